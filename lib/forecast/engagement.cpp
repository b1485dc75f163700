// SPDX-License-Identifier: Apache-2.0
// The engagement model (forecast/engagement.hpp): a discrete-time competing-risks model of
// early-help episodes in 4-week intervals, fitted as two logistic regressions, and the families
// likely to be turned around in a short engagement with their avoided cost.

#include "earlyhelp/forecast/engagement.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/detail/engagement_design.hpp"
#include "earlyhelp/forecast/savings.hpp"
#include "earlyhelp/models/logistic_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace earlyhelp::forecast {
namespace detail {

std::vector<std::string> design_names() {
  std::vector<std::string> n;
  for (auto p : headline_problems) n.push_back(fmt::format("problem_{}", p));
  for (const char* s : {"problems", "children", "earlier_episodes"}) n.emplace_back(s);
  for (const char* s : {"interval_1", "interval_2", "interval_3", "interval_4_6", "interval_7_9", "interval_10_13", "interval_14_plus"})
    n.emplace_back(s);
  return n;
}

int interval_band(int k) noexcept { return k <= 3 ? k - 1 : k <= 6 ? 3 : k <= 9 ? 4 : k <= 13 ? 5 : 6; }

void design_row(const EngagementEpisode& e, int k, double* row) noexcept {
  int n = 0;
  for (std::size_t p = 0; p < headline_problems.size(); ++p) {
    row[p] = e.problems[p] ? 1.0 : 0.0;
    n += e.problems[p] ? 1 : 0;
  }
  row[6] = n;
  row[7] = std::min(e.children, 4);
  row[8] = std::min(e.earlier_episodes, 2);
  for (int b = 0; b < n_bands; ++b) row[9 + b] = interval_band(k) == b ? 1.0 : 0.0;
}

Risk risk_sets(const std::vector<EngagementEpisode>& episodes, std::optional<Date> first_end, const EngagementOptions& o) {
  Risk r;
  const Date data_start = o.data_start ? *o.data_start : first_end ? *first_end : Date{std::numeric_limits<std::int32_t>::min()};
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    const EngagementEpisode& e = episodes[i];
    if (!(e.start < o.as_of)) continue;
    const bool closed = e.end && *e.end < o.as_of;
    const double weeks = ((closed ? *e.end : o.as_of).days - e.start.days) / 7.0;
    const int entry = e.start < data_start ? static_cast<int>((data_start.days - e.start.days) / 28) + 1 : 1;
    const int last = closed ? static_cast<int>(weeks / 4) + 1 : static_cast<int>(weeks / 4);  // complete intervals only when open
    if (last < entry) continue;
    ++r.episodes;
    for (int k = entry; k <= last; ++k) r.rows.push_back({i, k, closed && k == last, closed && k == last && e.closure == Closure::outcomes_achieved});
  }
  return r;
}

}  // namespace detail

namespace {

using detail::n_design;

double logistic(double v) { return 1.0 / (1.0 + std::exp(-v)); }

double margin(const EngagementModel& m, const std::vector<double>& coef, double intercept, const double* row) {
  double s = intercept;
  for (std::size_t j = 0; j < coef.size(); ++j) s += coef[j] * (row[j] - m.center[j]) / m.scale[j];
  return s;
}

}  // namespace

EngagementModel fit_engagement(const std::vector<EngagementEpisode>& episodes, std::optional<Date> first_end, const EngagementOptions& o) {
  EH_CHECK(o.short_weeks > 0 && o.max_weeks >= o.short_weeks, "engagement: short_weeks {} and max_weeks {} (expected 0 < short <= max)",
           o.short_weeks, o.max_weeks);
  EH_CHECK(o.threshold >= 0 && o.threshold <= 1, "engagement: threshold {} (expected 0 to 1)", o.threshold);
  EH_CHECK(o.weekly_cost >= 0, "engagement: weekly_cost {} (expected >= 0)", o.weekly_cost);
  const detail::Risk risk = detail::risk_sets(episodes, first_end, o);
  std::size_t closures = 0, achieved = 0;
  for (const auto& row : risk.rows) closures += row.closed, achieved += row.achieved;
  EH_CHECK(closures > 0 && achieved > 0 && achieved < closures,
           "engagement: before {} the episodes hold {} closures, {} with outcomes achieved: the model needs closures of "
           "both kinds (outcomes achieved and others)",
           format_date(o.as_of), closures, achieved);
  const auto n = static_cast<Index>(risk.rows.size());
  Eigen::MatrixXd x(n, n_design);
  for (Index i = 0; i < n; ++i) {
    const auto& row = risk.rows[static_cast<std::size_t>(i)];
    double v[n_design];
    detail::design_row(episodes[row.episode], row.interval, v);
    for (int j = 0; j < n_design; ++j) x(i, j) = v[j];
  }
  EngagementModel m;
  m.features = detail::design_names();
  m.center.resize(n_design);
  m.scale.resize(n_design);
  for (int j = 0; j < n_design; ++j) {
    const double mean = x.col(j).mean();
    const double sd = std::sqrt(std::max(0.0, (x.col(j).array() - mean).square().mean()));
    m.center[static_cast<std::size_t>(j)] = mean;
    m.scale[static_cast<std::size_t>(j)] = sd > 1e-12 ? sd : 1.0;
    x.col(j) = (x.col(j).array() - mean) / m.scale[static_cast<std::size_t>(j)];
  }
  Eigen::VectorXd y_close(n);
  std::vector<Index> closed_rows;
  for (Index i = 0; i < n; ++i) {
    y_close(i) = risk.rows[static_cast<std::size_t>(i)].closed ? 1.0 : 0.0;
    if (risk.rows[static_cast<std::size_t>(i)].closed) closed_rows.push_back(i);
  }
  const auto close = models::fit_logistic(x, y_close, {}, o.l2);
  Eigen::MatrixXd xc(static_cast<Index>(closed_rows.size()), n_design);
  Eigen::VectorXd y_out(xc.rows());
  for (Index r = 0; r < xc.rows(); ++r) {
    const Index i = closed_rows[static_cast<std::size_t>(r)];
    xc.row(r) = x.row(i);
    y_out(r) = risk.rows[static_cast<std::size_t>(i)].achieved ? 1.0 : 0.0;
  }
  const auto outcome = models::fit_logistic(xc, y_out, {}, o.l2);
  m.close_coef.assign(close.coef.data(), close.coef.data() + close.coef.size());
  m.outcome_coef.assign(outcome.coef.data(), outcome.coef.data() + outcome.coef.size());
  m.close_intercept = close.intercept;
  m.outcome_intercept = outcome.intercept;
  m.episodes = risk.episodes;
  m.intervals = risk.rows.size();
  m.closures = closures;
  m.outcomes_achieved = achieved;
  return m;
}

EngagementPrediction predict_engagement(const EngagementModel& m, const EngagementEpisode& e, double engaged_weeks, const EngagementOptions& o) {
  EngagementPrediction p;
  const int first = static_cast<int>(std::max(0.0, engaged_weeks) / 4) + 1;
  const int last = static_cast<int>(std::ceil(o.max_weeks / 4));
  double survive = 1, expected = 0;
  double row[n_design];
  for (int k = first; k <= last; ++k) {
    detail::design_row(e, k, row);
    const double h = logistic(margin(m, m.close_coef, m.close_intercept, row));
    const double q = logistic(margin(m, m.outcome_coef, m.outcome_intercept, row));
    const double closes = survive * h;
    if (4.0 * k <= o.short_weeks + 1e-9) p.p_short += closes * q;
    p.p_achieved += closes * q;
    expected += closes * std::min(o.max_weeks, std::max(engaged_weeks, 4.0 * k - 2));
    survive -= closes;
  }
  p.expected_weeks = expected + survive * o.max_weeks;
  return p;
}

FamilyEngagement score_engagement(const EngagementModel& model, const EngagementEpisode& e, const EngagementOptions& o) {
  EH_CHECK(e.start < o.as_of && !(e.end && *e.end < o.as_of),
           "score_engagement: episode {} is not open on the as-of date {} (it must start before it and not end before it)",
           e.record_id, format_date(o.as_of));
  FamilyEngagement f;
  f.family_ref = e.family_ref;
  f.record_id = e.record_id;
  f.start = e.start;
  f.weeks_engaged = (o.as_of.days - e.start.days) / 7.0;
  f.problems = static_cast<int>(std::count(e.problems.begin(), e.problems.end(), true));
  const auto p = predict_engagement(model, e, f.weeks_engaged, o);
  f.p_short = p.p_short;
  f.p_achieved = p.p_achieved;
  f.expected_weeks = p.expected_weeks;
  f.listed = f.p_short >= o.threshold && f.p_short > 0;
  if (f.listed) {
    f.weeks_saved = std::max(0.0, f.expected_weeks - o.short_weeks);
    f.avoided_cost = savings::calculate(detail::short_engagement(1, f.weeks_saved, o)).gross;
  }
  return f;
}

EngagementResult assess_engagement(const EngagementEpisodes& data, const EngagementOptions& o) {
  EngagementResult r;
  r.model = fit_engagement(data.episodes, data.first_end, o);
  double weeks_saved = 0;
  for (const auto& e : data.episodes) {
    if (!(e.start < o.as_of) || (e.end && *e.end < o.as_of)) continue;  // open on the as-of date only
    FamilyEngagement f = score_engagement(r.model, e, o);
    if (f.listed) {
      ++r.listed;
      weeks_saved += f.weeks_saved;
    }
    r.families.push_back(std::move(f));
  }
  std::stable_sort(r.families.begin(), r.families.end(), [](const auto& a, const auto& b) { return a.p_short > b.p_short; });
  if (r.listed)
    r.avoided_cost = savings::calculate(detail::short_engagement(static_cast<double>(r.listed), weeks_saved / static_cast<double>(r.listed), o)).gross;
  return r;
}

namespace detail {
savings::Intervention short_engagement(double families, double weeks_saved, const EngagementOptions& o) {
  savings::Intervention in;
  in.name = "short engagement";
  in.eligible = families;
  in.weeks_saved = weeks_saved;
  in.outcome = "weeks of engagement saved";
  in.savings.push_back({"family support (per family per week)", o.weekly_cost, false, false, "EngagementOptions::weekly_cost"});
  return in;
}
}  // namespace detail

}  // namespace earlyhelp::forecast
