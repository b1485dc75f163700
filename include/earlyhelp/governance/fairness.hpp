// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The evaluation figures by group (sex, age band, ethnicity group, deprivation decile, or any
/// column a user names): size, outcomes, selection rate, precision, recall, false-positive and
/// false-negative rates, calibration in the large and AUC, at each selection rule.
///
/// Equal calibration and equal error rates cannot both hold across groups whose base rates differ
/// (unless prediction is perfect): Kleinberg, Mullainathan and Raghavan (2016) "Inherent
/// trade-offs in the fair determination of risk scores"; Chouldechova (2017) "Fair prediction with
/// disparate impact". So both are reported side by side and neither is hidden.
///
/// A group is judged only when it holds at least `min_positives` rows with the outcome and
/// `min_negatives` without (10 each by default): below that its rates are NaN, `judged` is false
/// and `note` says why, but the group and its counts are still reported. Rows with an empty group
/// value form the group "(missing)", so no row is dropped.
///
/// Example:
/// @code
/// GroupColumn sex{"sex", {"F", "M", "F", ...}};
/// auto rows = earlyhelp::governance::metrics_by_group(y, score, sex, {Selection::top(100)});
/// for (const auto& g : rows) fmt::print("{} {}: precision {}\n", g.column, g.group, g.rates.precision);
/// @endcode

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/governance/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace earlyhelp::governance {

/// One grouping: its name and one value per row ("" for missing).
struct GroupColumn {
  std::string name;
  std::vector<std::string> values;
};

/// Minimum counts for a group's rates to be reported.
struct FairnessOptions {
  Index min_positives = 10;  ///< rows with the outcome
  Index min_negatives = 10;  ///< rows without it
};

/// The label of the group of rows whose value is empty.
inline constexpr const char* kMissingGroup = "(missing)";

/// One group at one selection rule. Rates are weighted when weights are given; counts are rows.
struct GroupMetrics {
  std::string column;     ///< the grouping, e.g. "sex"
  std::string group;      ///< its value, e.g. "F"
  std::string selection;  ///< Selection::label(), "" when no rule was given
  Index rows = 0, positives = 0, negatives = 0;
  double selected = 0;    ///< rows selected (expected count at a top-k tie)
  bool judged = false;    ///< enough positives and negatives to report rates
  std::string note;       ///< why not judged, e.g. "3 positives, fewer than 10"
  double base_rate = 0, mean_score = 0;
  SelectionRates rates;                 ///< at the rule (NaN when not judged or no rule)
  double calibration_in_the_large = 0;  ///< mean score - observed rate (NaN unless probabilities)
  double auc = 0;
};

namespace detail {
inline bool parse_number(const std::string& s, double& out) noexcept {
  if (s.empty()) return false;
  // strtod depends on the locale only for the decimal point; group labels such as deciles are
  // integers (std::from_chars for double is missing from some standard libraries in use).
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

/// Group labels in reading order: numerically when every label is a number (deciles 1..10),
/// else alphabetically; "(missing)" last.
inline std::vector<std::string> ordered_groups(std::map<std::string, std::vector<Index>>& members) {
  std::vector<std::string> labels;
  bool numeric = true;
  for (const auto& [label, rows] : members) {
    if (label == kMissingGroup) continue;
    labels.push_back(label);
    double v = 0;
    numeric = numeric && parse_number(label, v);
  }
  if (numeric) {
    std::stable_sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
      double x = 0, y = 0;
      parse_number(a, x);
      parse_number(b, y);
      return x < y;
    });
  }
  if (members.count(kMissingGroup) > 0) labels.emplace_back(kMissingGroup);
  return labels;
}
}  // namespace detail

/// The figures of each group of `column` at each selection rule (rules applied to the whole
/// population, so a group's selection rate is its share of the team's caseload). With no rule,
/// one row per group with selection-dependent rates NaN.
/// @param y_true outcomes 0/1; @param score scores; @param weight empty or one per row
/// @return rows grouped by group, then by rule in the order given
/// @throws InvalidArgument on bad input or when the column's length differs from y_true's.
/// Complexity O(n log n + groups x rules x n_group).
inline std::vector<GroupMetrics> metrics_by_group(ConstVectorRef y_true, ConstVectorRef score,
                                                  const GroupColumn& column,
                                                  const std::vector<Selection>& selections,
                                                  const FairnessOptions& options = {},
                                                  ConstVectorRef weight = Eigen::VectorXd()) {
  detail::check_binary_inputs("metrics_by_group", y_true, score, weight);
  EH_CHECK(to_index(column.values.size()) == y_true.size(),
           "metrics_by_group: group column '{}' has {} rows, y_true has {}", column.name, column.values.size(),
           y_true.size());
  EH_CHECK(options.min_positives >= 1 && options.min_negatives >= 1,
           "metrics_by_group: min_positives and min_negatives must be at least 1 (got {} and {})",
           options.min_positives, options.min_negatives);
  bool probabilities = true;
  for (Index i = 0; i < score.size(); ++i) probabilities = probabilities && score[i] >= 0.0 && score[i] <= 1.0;

  std::vector<SelectionVector> chosen;
  for (const Selection& s : selections) chosen.push_back(s.apply(score));
  std::map<std::string, std::vector<Index>> members;
  for (std::size_t i = 0; i < column.values.size(); ++i)
    members[column.values[i].empty() ? std::string(kMissingGroup) : column.values[i]].push_back(to_index(i));

  std::vector<GroupMetrics> out;
  for (const std::string& label : detail::ordered_groups(members)) {
    const std::vector<Index>& rows = members[label];
    const Index m = to_index(rows.size());
    Eigen::VectorXd y(m), s(m), w(weight.size() == 0 ? 0 : m);
    for (Index j = 0; j < m; ++j) {
      y[j] = y_true[rows[to_size(j)]];
      s[j] = score[rows[to_size(j)]];
      if (w.size() > 0) w[j] = weight[rows[to_size(j)]];
    }
    GroupMetrics base;
    base.column = column.name;
    base.group = label;
    base.rows = m;
    base.positives = static_cast<Index>(y.sum());
    base.negatives = m - base.positives;
    base.judged = base.positives >= options.min_positives && base.negatives >= options.min_negatives;
    if (!base.judged)
      base.note = base.positives < options.min_positives
                      ? fmt::format("{} positive{}, fewer than {}", base.positives, base.positives == 1 ? "" : "s",
                                    options.min_positives)
                      : fmt::format("{} negative{}, fewer than {}", base.negatives, base.negatives == 1 ? "" : "s",
                                    options.min_negatives);
    Confusion all;
    double weighted_score = 0;
    for (Index j = 0; j < m; ++j) {
      const double wj = detail::weight_at(w, j);
      (y[j] == 1.0 ? all.true_positives : all.true_negatives) += wj;
      weighted_score += wj * s[j];
    }
    if (base.judged && (all.positives() <= 0 || all.negatives() <= 0)) {
      base.judged = false;
      base.note = all.positives() <= 0 ? "the positives' weights sum to 0" : "the negatives' weights sum to 0";
    }
    const double nan = detail::nan();
    base.base_rate = base.judged ? all.positives() / all.total() : nan;
    base.mean_score = base.judged ? weighted_score / all.total() : nan;
    base.calibration_in_the_large = base.judged && probabilities ? base.mean_score - base.base_rate : nan;
    base.auc = base.judged ? roc_auc(y, s, w) : nan;
    if (selections.empty()) {
      out.push_back(base);
      continue;
    }
    for (std::size_t r = 0; r < selections.size(); ++r) {
      GroupMetrics g = base;
      g.selection = selections[r].label();
      Eigen::VectorXd sel(m);
      for (Index j = 0; j < m; ++j) sel[j] = chosen[r][rows[to_size(j)]];
      g.selected = sel.sum();
      if (g.judged) g.rates = SelectionRates::of(confusion(y, sel, w));
      out.push_back(std::move(g));
    }
  }
  return out;
}

}  // namespace earlyhelp::governance
