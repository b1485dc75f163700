// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One call that evaluates a score against outcomes the way earlyhelp reports every model: the
/// overall figures (metrics.hpp), the figures at each selection rule (top k for each caseload a
/// team can take, or a threshold) and the same by group for every grouping given (fairness.hpp).
/// evaluation_report.hpp writes the result as JSON (`evaluation/<domain>.json`) and Markdown.
///
/// Scores need not be probabilities: for any score outside [0, 1] (an activity-count baseline,
/// say) the figures that only mean something for probabilities — Brier score, calibration curve,
/// ECE, calibration in the large — are NaN and `probabilities` is false.
///
/// Against a baseline score (an activity count) on the same rows, add compare_with_baseline()'s
/// paired bootstrap to `baselines`; the writers report each difference, its interval and the
/// verdict.
///
/// Example:
/// @code
/// using namespace earlyhelp::governance;
/// EvaluationOptions opt;
/// opt.selections = {Selection::top(50), Selection::top(200)};
/// Evaluation e = evaluate(y, score, {GroupColumn{"sex", sex}, GroupColumn{"age_band", age_band}}, opt);
/// std::string md = to_markdown(e);
/// @endcode

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/governance/comparison.hpp"
#include "earlyhelp/governance/fairness.hpp"
#include "earlyhelp/governance/metrics.hpp"

#include <iterator>
#include <string>
#include <vector>

namespace earlyhelp::governance {

/// What to evaluate besides the overall figures.
struct EvaluationOptions {
  std::vector<Selection> selections;  ///< rules (top k, threshold), in reporting order
  int n_bins = 10;                    ///< calibration bins
  Binning binning = Binning::uniform;  ///< equal-width bins by default (the usual ECE)
  FairnessOptions fairness;           ///< minimum counts for a group to be judged
};

/// The figures at one selection rule, over the whole population.
struct SelectionMetrics {
  Selection selection;
  std::string label;  ///< selection.label()
  double selected = 0;  ///< rows selected (expected count at a top-k tie)
  SelectionRates rates;
};

/// A whole evaluation.
struct Evaluation {
  Index rows = 0, positives = 0;
  bool weighted = false;
  bool probabilities = true;  ///< every score in [0, 1]
  double base_rate = 0, mean_score = 0;
  double roc_auc = 0, pr_auc = 0, brier = 0;  ///< pr_auc: average precision
  CalibrationCurve calibration;               ///< its ece is the expected calibration error
  std::vector<SelectionMetrics> selections;
  std::vector<GroupMetrics> by_group;  ///< every grouping, each group, each rule
  /// The score against baselines on the same rows (comparison.hpp), in reporting order; empty
  /// unless the caller adds them (compare_with_baseline); the verdict is overall_verdict of them.
  std::vector<BaselineComparison> baselines;
  EvaluationOptions options;
};

/// Evaluates `score` against `y_true` overall, at each rule of `options.selections` and by each
/// group column.
/// @throws InvalidArgument on bad input (see metrics.hpp), when y_true holds only one class (the
///         overall AUC and recall are undefined), or a group column of the wrong length.
/// Complexity O(n log n + groupings x rules x n).
inline Evaluation evaluate(ConstVectorRef y_true, ConstVectorRef score, const std::vector<GroupColumn>& groups,
                           const EvaluationOptions& options = {}, ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("evaluate", y_true, score, weight);
  Evaluation e;
  e.options = options;
  e.rows = y_true.size();
  e.positives = static_cast<Index>(y_true.sum());
  EH_CHECK(e.positives > 0 && e.positives < e.rows,
           "evaluate: y_true holds only {} (n={}); AUC, precision and recall need both outcomes",
           e.positives > 0 ? "positives" : "negatives", e.rows);
  e.weighted = weight.size() > 0;
  const Confusion all = confusion(y_true, Eigen::VectorXd::Ones(e.rows), weight);
  e.base_rate = all.positives() / all.total();
  double weighted_score = 0;
  for (Index i = 0; i < e.rows; ++i) weighted_score += detail::weight_at(weight, i) * score[i];
  e.mean_score = weighted_score / all.total();
  e.roc_auc = roc_auc(y_true, score, weight);
  e.pr_auc = average_precision(y_true, score, weight);
  for (Index i = 0; i < e.rows; ++i) e.probabilities = e.probabilities && score[i] >= 0.0 && score[i] <= 1.0;
  if (e.probabilities) {
    e.brier = brier_score(y_true, score, weight);
    e.calibration = calibration_curve(y_true, score, options.n_bins, options.binning, weight);
  } else {
    EH_CHECK(options.n_bins >= 1, "evaluate: n_bins is {}, expected at least 1", options.n_bins);
    e.brier = detail::nan();
    e.calibration.binning = options.binning;
    e.calibration.ece = detail::nan();
  }
  for (const Selection& s : options.selections) {
    const SelectionVector sel = s.apply(score);
    const Confusion c = confusion(y_true, sel, weight);
    SelectionMetrics m;
    m.selection = s;
    m.label = s.label();
    m.selected = sel.sum();
    m.rates = SelectionRates::of(c);
    e.selections.push_back(std::move(m));
  }
  for (const GroupColumn& g : groups) {
    auto rows = metrics_by_group(y_true, score, g, options.selections, options.fairness, weight);
    e.by_group.insert(e.by_group.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
  }
  return e;
}

}  // namespace earlyhelp::governance
