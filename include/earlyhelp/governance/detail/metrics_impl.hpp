// SPDX-License-Identifier: Apache-2.0
#pragma once

// Kernels of governance/metrics.hpp: input checks, the ranked curve and the calibration bins.
// Each follows the arithmetic of scikit-learn 1.2 (sklearn/metrics/_ranking.py
// _binary_clf_curve, sklearn/calibration.py calibration_curve) and numpy's linear percentile,
// so results agree with theirs to rounding.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string_view>
#include <vector>

namespace earlyhelp::governance::detail {

/// Checks labels, scores and weights for the metric `fn`: equal lengths, at least one row, labels
/// 0 or 1, finite scores, weights (when given) finite and non-negative with a positive sum.
inline void check_binary_inputs(std::string_view fn, ConstVectorRef y_true, ConstVectorRef score,
                                ConstVectorRef weight) {
  EH_CHECK(y_true.size() == score.size(), "{}: y_true has {} rows, score has {}", fn, y_true.size(),
           score.size());
  EH_CHECK(y_true.size() > 0, "{}: no rows to evaluate", fn);
  EH_CHECK(weight.size() == 0 || weight.size() == y_true.size(),
           "{}: weight has {} rows, y_true has {}", fn, weight.size(), y_true.size());
  for (Index i = 0; i < y_true.size(); ++i) {
    EH_CHECK(y_true[i] == 0.0 || y_true[i] == 1.0, "{}: y_true[{}] is {}, expected 0 or 1", fn, i,
             y_true[i]);
    EH_CHECK(std::isfinite(score[i]), "{}: score[{}] is {}, expected a finite number", fn, i, score[i]);
  }
  if (weight.size() > 0) {
    double total = 0;
    for (Index i = 0; i < weight.size(); ++i) {
      EH_CHECK(std::isfinite(weight[i]) && weight[i] >= 0, "{}: weight[{}] is {}, expected a finite number >= 0",
               fn, i, weight[i]);
      total += weight[i];
    }
    EH_CHECK(total > 0, "{}: the weights sum to 0", fn);
  }
}

/// Probabilities must lie in [0, 1] for the Brier score and calibration.
inline void check_probabilities(std::string_view fn, ConstVectorRef score) {
  for (Index i = 0; i < score.size(); ++i)
    EH_CHECK(score[i] >= 0.0 && score[i] <= 1.0, "{}: score[{}] is {}, expected a probability in [0, 1]",
             fn, i, score[i]);
}

inline double weight_at(ConstVectorRef weight, Index i) noexcept { return weight.size() == 0 ? 1.0 : weight[i]; }

/// Row indices by descending score, ties in descending row order (numpy's stable ascending
/// argsort reversed, as sklearn sorts).
inline std::vector<Index> descending_order(ConstVectorRef score) {
  std::vector<Index> order(to_size(score.size()));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return score[a] < score[b]; });
  std::reverse(order.begin(), order.end());
  return order;
}

/// Cumulative (weighted) true and false positives at each distinct score, highest first: the
/// points of the ROC and precision-recall curves before normalisation.
struct RankedCurve {
  std::vector<double> tps, fps, thresholds;
};

inline RankedCurve ranked_curve(ConstVectorRef y_true, ConstVectorRef score, ConstVectorRef weight) {
  const std::vector<Index> order = descending_order(score);
  RankedCurve c;
  double tp = 0, fp = 0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    const Index i = order[j];
    const double w = weight_at(weight, i);
    tp += y_true[i] * w;
    fp += (1.0 - y_true[i]) * w;
    if (j + 1 == order.size() || score[order[j + 1]] != score[i]) {
      c.tps.push_back(tp);
      c.fps.push_back(fp);
      c.thresholds.push_back(score[i]);
    }
  }
  return c;
}

/// numpy.percentile(score, q * 100) with the default linear method, reproducing numpy 1.24's
/// arithmetic (virtual index (n - 1) * q, gamma, and its two-sided lerp).
inline double numpy_percentile(const std::vector<double>& sorted, double q) {
  const double n1 = static_cast<double>(sorted.size() - 1);
  const double virtual_index = n1 * q;
  if (virtual_index >= n1) return sorted.back();
  if (virtual_index < 0) return sorted.front();
  const double prev = std::floor(virtual_index);
  const double gamma = virtual_index - prev;
  const double a = sorted[static_cast<std::size_t>(prev)];
  const double b = sorted[static_cast<std::size_t>(prev) + 1];
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/// The n_bins + 1 edges of sklearn's calibration_curve: numpy.linspace(0, 1, n_bins + 1)
/// (uniform) or percentiles of the scores at those fractions (quantile).
inline std::vector<double> calibration_edges(ConstVectorRef score, int n_bins, bool quantile) {
  std::vector<double> edges(static_cast<std::size_t>(n_bins) + 1);
  const double step = 1.0 / n_bins;
  for (int b = 0; b < n_bins; ++b) edges[static_cast<std::size_t>(b)] = b * step;
  edges.back() = 1.0;
  if (!quantile) return edges;
  std::vector<double> sorted(score.data(), score.data() + score.size());
  std::sort(sorted.begin(), sorted.end());
  // sklearn passes quantiles * 100 to np.percentile, which divides by 100 again.
  for (double& e : edges) e = numpy_percentile(sorted, (e * 100.0) / 100.0);
  return edges;
}

/// Bin of a score: the number of inner edges strictly below it (numpy.searchsorted, side left),
/// so a score on an edge belongs to the bin below it.
inline std::size_t calibration_bin(const std::vector<double>& edges, double s) noexcept {
  const auto first = edges.begin() + 1, last = edges.end() - 1;
  return static_cast<std::size_t>(std::lower_bound(first, last, s) - first);
}

inline double nan() noexcept { return std::numeric_limits<double>::quiet_NaN(); }

}  // namespace earlyhelp::governance::detail
