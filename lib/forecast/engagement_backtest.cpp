// SPDX-License-Identifier: Apache-2.0
// Back-test of the engagement model (forecast/engagement.hpp): fit before the as-of date, judge
// the predictions for the episodes that start after it, against constants from the same fit
// window (the pooled interval rates: what one would say of every family without the model).

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/detail/engagement_design.hpp"
#include "earlyhelp/forecast/engagement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace earlyhelp::forecast {
namespace {

// Area under the ROC curve (Mann-Whitney, ties counted half).
double auc(std::vector<std::pair<double, bool>> s) {
  std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double pos = 0, neg = 0, rank_sum = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = i;
    while (j < s.size() && s[j].first == s[i].first) ++j;
    const double mid = (static_cast<double>(i + j) + 1) / 2;  // average 1-based rank
    for (std::size_t k = i; k < j; ++k)
      if (s[k].second) rank_sum += mid, ++pos;
      else ++neg;
    i = j;
  }
  return pos > 0 && neg > 0 ? (rank_sum - pos * (pos + 1) / 2) / (pos * neg) : std::nan("");
}

}  // namespace

EngagementEvaluation evaluate_engagement(const EngagementEpisodes& data, Date data_end, const EngagementOptions& o) {
  EH_CHECK(o.as_of < data_end, "engagement backtest: the as-of date {} must be before the end of the data {}", format_date(o.as_of),
           format_date(data_end));
  EngagementEvaluation ev;
  const EngagementModel m = fit_engagement(data.episodes, data.first_end, o);
  ev.train_episodes = m.episodes;
  // The constants: pooled rates of closing, and of outcomes achieved among closures, per
  // interval of the same risk sets (a model without features).
  const detail::Risk risk = detail::risk_sets(data.episodes, data.first_end, o);
  const int last = static_cast<int>(std::ceil(o.max_weeks / 4));
  std::vector<double> at_risk(static_cast<std::size_t>(last + 1)), closed(at_risk.size()), achieved(at_risk.size());
  for (const auto& r : risk.rows) {
    const auto k = static_cast<std::size_t>(std::min(r.interval, last));
    at_risk[k] += 1, closed[k] += r.closed, achieved[k] += r.achieved;
  }
  double survive = 1, const_short = 0, const_length = 0;
  for (int k = 1; k <= last; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    const double h = at_risk[kk] > 0 ? closed[kk] / at_risk[kk] : 0.0;
    const double q = closed[kk] > 0 ? achieved[kk] / closed[kk] : 0.0;
    if (4.0 * k <= o.short_weeks + 1e-9) const_short += survive * h * q;
    const_length += survive * h * std::min(o.max_weeks, 4.0 * k - 2);
    survive -= survive * h;
  }
  const_length += survive * o.max_weeks;
  ev.base_rate = const_short;

  std::vector<std::pair<double, bool>> scored;
  struct Cell { std::size_t n = 0; double predicted = 0, observed = 0; };
  std::map<std::string, Cell> groups;
  double length_abs = 0, length_abs_constant = 0;
  for (const auto& e : data.episodes) {
    if (e.start < o.as_of) continue;
    const auto p = predict_engagement(m, e, 0, o);
    const double weeks = e.end ? (e.end->days - e.start.days) / 7.0 : 1e9;
    if (e.start.days + o.short_weeks * 7 <= data_end.days) {
      const bool y = e.closure == Closure::outcomes_achieved && weeks <= o.short_weeks;
      ++ev.test_episodes;
      ev.positives += y;
      ev.brier += (p.p_short - y) * (p.p_short - y);
      ev.brier_constant += (const_short - y) * (const_short - y);
      scored.emplace_back(p.p_short, y);
      if (p.p_short >= o.threshold) ++ev.listed, ev.listed_positives += y;
      const int n_problems = static_cast<int>(std::count(e.problems.begin(), e.problems.end(), true));
      for (const std::string& g : {fmt::format("problems:{}", n_problems <= 1 ? "0-1" : n_problems == 2 ? "2" : "3+"),
                                   fmt::format("children:{}", e.children <= 1 ? "1" : e.children == 2 ? "2" : "3+")}) {
        auto& c = groups[g];
        ++c.n, c.predicted += p.p_short, c.observed += y;
      }
    }
    if (e.start.days + o.max_weeks * 7 <= data_end.days || (e.end && *e.end <= data_end)) {
      const double observed = std::min(weeks, o.max_weeks);
      ++ev.length_episodes;
      length_abs += std::abs(p.expected_weeks - observed);
      length_abs_constant += std::abs(const_length - observed);
    }
  }
  EH_CHECK(ev.test_episodes > 0, "engagement backtest: no episode starts between {} and {} weeks before {}", format_date(o.as_of),
           o.short_weeks, format_date(data_end));
  const double n = static_cast<double>(ev.test_episodes);
  ev.brier /= n, ev.brier_constant /= n;
  ev.auc = auc(std::move(scored));
  ev.precision = ev.listed ? static_cast<double>(ev.listed_positives) / static_cast<double>(ev.listed) : std::nan("");
  ev.recall = ev.positives ? static_cast<double>(ev.listed_positives) / static_cast<double>(ev.positives) : std::nan("");
  if (ev.length_episodes) {
    ev.length_mae = length_abs / static_cast<double>(ev.length_episodes);
    ev.length_mae_constant = length_abs_constant / static_cast<double>(ev.length_episodes);
  }
  for (const auto& [g, c] : groups)
    ev.calibration.push_back({g, c.n, c.predicted / static_cast<double>(c.n), c.observed / static_cast<double>(c.n)});
  return ev;
}

}  // namespace earlyhelp::forecast
