// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Honest evaluation of a risk score against outcomes: ROC AUC, PR AUC (average precision),
/// Brier score, precision and recall at a threshold or at the number of cases a team can take
/// (top k), and the calibration curve with its expected calibration error. Never a bare accuracy.
///
/// Conventions, shared by every function here:
/// - `y_true` holds outcomes 0 or 1; `score` finite numbers (probabilities where a function says
///   so); `weight` is empty (every row weighs 1) or one finite non-negative weight per row. Any
///   other input is an InvalidArgument naming the function, the row and what was expected.
/// - Ties are handled exactly as scikit-learn 1.2 does: ROC AUC and average precision treat all
///   rows of one score as one threshold (a tied positive and negative count half a correctly
///   ordered pair in the AUC). Results agree with `roc_auc_score`, `average_precision_score`,
///   `brier_score_loss`, `precision_score`/`recall_score` and `calibration_curve` within 1e-9
///   (tests/python/test_evaluation.py).
/// - A case is selected at a threshold t when `score >= t` (as in scikit-learn's curves). At top k
///   the k highest scores are selected; rows tied with the k-th score share the places left
///   (each selected with probability places / tied rows), so figures are the exact expectation
///   over random tie-breaking and never depend on row order.
///
/// References: Fawcett (2006) "An introduction to ROC analysis"; Brier (1950) "Verification of
/// forecasts expressed in terms of probability"; Naeini, Cooper and Hauskrecht (2015) and Guo et
/// al. (2017) for the expected calibration error.
///
/// Example:
/// @code
/// Eigen::VectorXd y(4), s(4);
/// y << 0, 0, 1, 1;
/// s << 0.1, 0.4, 0.35, 0.8;
/// double auc = earlyhelp::governance::roc_auc(y, s);            // 0.75
/// double ap = earlyhelp::governance::average_precision(y, s);   // 0.8333...
/// auto at2 = earlyhelp::governance::confusion(y, earlyhelp::governance::top_k_selection(s, 2));
/// double p = at2.precision();                                     // 0.5
/// @endcode

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/governance/detail/metrics_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::governance {

/// Area under the ROC curve (trapezoidal over distinct scores, as `sklearn.metrics.roc_auc_score`).
/// @param y_true outcomes 0/1
/// @param score  any finite scores (higher = more at risk)
/// @param weight empty, or one weight per row
/// @return the AUC in [0, 1]
/// @throws InvalidArgument on bad input, or when y_true holds only one class (the AUC is then
///         undefined). Complexity O(n log n).
inline double roc_auc(ConstVectorRef y_true, ConstVectorRef score, ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("roc_auc", y_true, score, weight);
  const auto c = detail::ranked_curve(y_true, score, weight);
  const double p = c.tps.back(), n = c.fps.back();
  EH_CHECK(p > 0 && n > 0, "roc_auc: y_true holds only {} (n={}); the AUC needs both outcomes",
           p > 0 ? "positives" : "negatives", y_true.size());
  double area = 0, tp0 = 0, fp0 = 0;
  for (std::size_t i = 0; i < c.tps.size(); ++i) {
    area += (c.fps[i] - fp0) * (c.tps[i] + tp0) / 2;
    tp0 = c.tps[i];
    fp0 = c.fps[i];
  }
  return area / (p * n);
}

/// Average precision, the PR AUC as scikit-learn defines it (`average_precision_score`): the sum
/// over distinct scores, highest first, of (recall gained) x (precision at that score), with no
/// interpolation.
/// @return the average precision in [0, 1]
/// @throws InvalidArgument on bad input, or when y_true holds no positive (recall is then
///         undefined). Complexity O(n log n).
inline double average_precision(ConstVectorRef y_true, ConstVectorRef score,
                                ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("average_precision", y_true, score, weight);
  const auto c = detail::ranked_curve(y_true, score, weight);
  const double p = c.tps.back();
  EH_CHECK(p > 0, "average_precision: y_true holds no positive (n={}); recall is undefined", y_true.size());
  double ap = 0, recall0 = 0;
  for (std::size_t i = 0; i < c.tps.size(); ++i) {
    const double recall = c.tps[i] / p;
    const double selected = c.tps[i] + c.fps[i];
    const double precision = selected != 0 ? c.tps[i] / selected : 0.0;
    ap += (recall - recall0) * precision;
    recall0 = recall;
  }
  return ap;
}

/// Brier score: the (weighted) mean squared difference between probability and outcome
/// (`sklearn.metrics.brier_score_loss`); 0 is perfect.
/// @throws InvalidArgument on bad input or a score outside [0, 1]. Complexity O(n).
inline double brier_score(ConstVectorRef y_true, ConstVectorRef score, ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("brier_score", y_true, score, weight);
  detail::check_probabilities("brier_score", score);
  double sum = 0, total = 0;
  for (Index i = 0; i < y_true.size(); ++i) {
    const double w = detail::weight_at(weight, i), d = y_true[i] - score[i];
    sum += w * d * d;
    total += w;
  }
  return sum / total;
}

/// Which rows a rule selects: 1 selected, 0 not, and for rows tied at the top-k boundary the
/// probability of being selected (see the file comment).
using SelectionVector = Eigen::VectorXd;

/// Rows with `score >= threshold`.
/// @throws InvalidArgument when the threshold is NaN. Complexity O(n).
inline SelectionVector threshold_selection(ConstVectorRef score, double threshold) {
  EH_CHECK(!std::isnan(threshold), "threshold_selection: the threshold is NaN");
  SelectionVector sel(score.size());
  for (Index i = 0; i < score.size(); ++i) sel[i] = score[i] >= threshold ? 1.0 : 0.0;
  return sel;
}

/// The k highest scores (all rows when k >= n); rows tied with the k-th score each get
/// (places left) / (rows tied), so the selection sums to min(k, n) exactly.
/// @throws InvalidArgument when k < 1 or a score is NaN. Complexity O(n).
inline SelectionVector top_k_selection(ConstVectorRef score, Index k) {
  EH_CHECK(k >= 1, "top_k_selection: k is {}, expected at least 1", k);
  for (Index i = 0; i < score.size(); ++i)
    EH_CHECK(!std::isnan(score[i]), "top_k_selection: score[{}] is NaN", i);
  const Index n = score.size();
  SelectionVector sel = SelectionVector::Zero(n);
  if (k >= n) return SelectionVector::Ones(n);
  std::vector<double> s(score.data(), score.data() + n);
  std::nth_element(s.begin(), s.begin() + (k - 1), s.end(), std::greater<>());
  const double kth = s[to_size(k - 1)];
  Index above = 0, tied = 0;
  for (Index i = 0; i < n; ++i) {
    above += score[i] > kth ? 1 : 0;
    tied += score[i] == kth ? 1 : 0;
  }
  const double share = static_cast<double>(k - above) / static_cast<double>(tied);
  for (Index i = 0; i < n; ++i) sel[i] = score[i] > kth ? 1.0 : (score[i] == kth ? share : 0.0);
  return sel;
}

/// A selection rule: the top k scores (the cases a team can take) or every score at or above a
/// threshold.
struct Selection {
  enum class Kind { top_k, threshold };
  Kind kind = Kind::top_k;
  Index k = 0;             ///< top_k: the number of cases
  double threshold = 0.0;  ///< threshold: select score >= threshold

  /// The top `k` scores. @throws InvalidArgument when k < 1.
  static Selection top(Index k) {
    EH_CHECK(k >= 1, "Selection::top: k is {}, expected at least 1", k);
    return Selection{Kind::top_k, k, 0.0};
  }
  /// Scores at or above `t`. @throws InvalidArgument when t is NaN.
  static Selection at_threshold(double t) {
    EH_CHECK(!std::isnan(t), "Selection::at_threshold: the threshold is NaN");
    return Selection{Kind::threshold, 0, t};
  }
  /// "top 100" or "score >= 0.3" (the shortest text that reads back as the same double).
  std::string label() const {
    return kind == Kind::top_k ? fmt::format("top {}", k) : fmt::format("score >= {}", threshold);
  }
  /// The selection vector of this rule over `score`.
  SelectionVector apply(ConstVectorRef score) const {
    return kind == Kind::top_k ? top_k_selection(score, k) : threshold_selection(score, threshold);
  }
};

/// (Weighted, expected) counts of a selection against outcomes, and the rates built from them.
/// A rate whose denominator is 0 is NaN (e.g. precision when nothing is selected).
struct Confusion {
  double true_positives = 0, false_positives = 0, false_negatives = 0, true_negatives = 0;

  double selected() const noexcept { return true_positives + false_positives; }
  double positives() const noexcept { return true_positives + false_negatives; }
  double negatives() const noexcept { return false_positives + true_negatives; }
  double total() const noexcept { return positives() + negatives(); }
  /// Selected rows that had the outcome: tp / (tp + fp).
  double precision() const noexcept { return ratio(true_positives, selected()); }
  /// Rows with the outcome that were selected (true-positive rate): tp / (tp + fn).
  double recall() const noexcept { return ratio(true_positives, positives()); }
  /// Rows without the outcome that were selected: fp / (fp + tn).
  double false_positive_rate() const noexcept { return ratio(false_positives, negatives()); }
  /// Rows with the outcome that were not selected: fn / (tp + fn).
  double false_negative_rate() const noexcept { return ratio(false_negatives, positives()); }
  /// Share of rows selected.
  double selection_rate() const noexcept { return ratio(selected(), total()); }

 private:
  static double ratio(double a, double b) noexcept { return b != 0 ? a / b : detail::nan(); }
};

/// The rates a selection is reported by; NaN where undefined (or, by group, not judged).
struct SelectionRates {
  double selection_rate = std::numeric_limits<double>::quiet_NaN();
  double precision = std::numeric_limits<double>::quiet_NaN();
  double recall = std::numeric_limits<double>::quiet_NaN();
  double false_positive_rate = std::numeric_limits<double>::quiet_NaN();
  double false_negative_rate = std::numeric_limits<double>::quiet_NaN();

  /// The rates of a confusion.
  static SelectionRates of(const Confusion& c) noexcept {
    return {c.selection_rate(), c.precision(), c.recall(), c.false_positive_rate(), c.false_negative_rate()};
  }
};

/// Counts a selection (threshold_selection, top_k_selection) against the outcomes.
/// @throws InvalidArgument on mismatched lengths, labels not 0/1, or a selection outside [0, 1].
/// Complexity O(n).
inline Confusion confusion(ConstVectorRef y_true, ConstVectorRef selection, ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("confusion", y_true, selection, weight);
  Confusion c;
  for (Index i = 0; i < y_true.size(); ++i) {
    const double sel = selection[i], w = detail::weight_at(weight, i);
    EH_CHECK(sel >= 0.0 && sel <= 1.0, "confusion: selection[{}] is {}, expected a value in [0, 1]", i, sel);
    if (y_true[i] == 1.0) {
      c.true_positives += w * sel;
      c.false_negatives += w * (1 - sel);
    } else {
      c.false_positives += w * sel;
      c.true_negatives += w * (1 - sel);
    }
  }
  return c;
}

/// How calibration bins are drawn.
enum class Binning {
  uniform,   ///< equal widths over [0, 1] (sklearn's default; the usual ECE)
  quantile,  ///< equal counts: edges at percentiles of the scores (better for rare outcomes)
};

/// "uniform" or "quantile".
inline std::string_view to_string(Binning b) noexcept { return b == Binning::uniform ? "uniform" : "quantile"; }
/// Parses "uniform" or "quantile". @throws InvalidArgument otherwise.
inline Binning binning_from_string(std::string_view s) {
  if (s == "uniform") return Binning::uniform;
  if (s == "quantile") return Binning::quantile;
  earlyhelp::detail::throw_error<InvalidArgument>("binning: '{}' is not a binning, expected 'uniform' or 'quantile'", s);
}

/// One calibration bin: scores in (lower, upper] (the first bin also holds `lower`).
struct CalibrationBin {
  double lower = 0, upper = 0;
  Index rows = 0;            ///< rows in the bin
  double weight = 0;         ///< their total weight (= rows when unweighted)
  double mean_score = 0;     ///< mean predicted probability (NaN for an empty bin)
  double observed_rate = 0;  ///< share with the outcome (NaN for an empty bin)
};

/// A reliability curve and its expected calibration error.
struct CalibrationCurve {
  Binning binning = Binning::uniform;
  std::vector<CalibrationBin> bins;  ///< all bins, empty ones included (rows == 0)
  /// Expected calibration error: sum over non-empty bins of (bin weight / total weight) x
  /// |mean_score - observed_rate|.
  double ece = 0;
};

/// The calibration curve of `sklearn.calibration.calibration_curve` (its prob_pred and prob_true
/// are the mean_score and observed_rate of the non-empty bins) with bin edges, counts and the
/// ECE over the same bins. Quantile edges are percentiles of the unweighted scores.
/// @param n_bins number of bins (>= 1), 10 by default
/// @throws InvalidArgument on bad input, a score outside [0, 1] or n_bins < 1. Complexity O(n log n).
inline CalibrationCurve calibration_curve(ConstVectorRef y_true, ConstVectorRef score, int n_bins = 10,
                                          Binning binning = Binning::uniform,
                                          ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("calibration_curve", y_true, score, weight);
  detail::check_probabilities("calibration_curve", score);
  EH_CHECK(n_bins >= 1, "calibration_curve: n_bins is {}, expected at least 1", n_bins);
  const std::vector<double> edges = detail::calibration_edges(score, n_bins, binning == Binning::quantile);
  CalibrationCurve curve;
  curve.binning = binning;
  curve.bins.resize(to_size(n_bins));
  std::vector<double> sum_score(curve.bins.size(), 0.0), sum_true(curve.bins.size(), 0.0);
  double total = 0;
  for (Index i = 0; i < y_true.size(); ++i) {
    const std::size_t b = detail::calibration_bin(edges, score[i]);
    const double w = detail::weight_at(weight, i);
    curve.bins[b].rows += 1;
    curve.bins[b].weight += w;
    sum_score[b] += w * score[i];
    sum_true[b] += w * y_true[i];
    total += w;
  }
  for (std::size_t b = 0; b < curve.bins.size(); ++b) {
    CalibrationBin& bin = curve.bins[b];
    bin.lower = edges[b];
    bin.upper = edges[b + 1];
    const bool filled = bin.rows > 0 && bin.weight > 0;
    bin.mean_score = filled ? sum_score[b] / bin.weight : detail::nan();
    bin.observed_rate = filled ? sum_true[b] / bin.weight : detail::nan();
    if (filled) curve.ece += bin.weight / total * std::abs(bin.mean_score - bin.observed_rate);
  }
  return curve;
}

/// The expected calibration error of calibration_curve() (same bins).
inline double expected_calibration_error(ConstVectorRef y_true, ConstVectorRef score, int n_bins = 10,
                                         Binning binning = Binning::uniform,
                                         ConstVectorRef weight = Eigen::VectorXd()) {
  return calibration_curve(y_true, score, n_bins, binning, weight).ece;
}

}  // namespace earlyhelp::governance
