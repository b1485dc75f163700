// SPDX-License-Identifier: Apache-2.0
// The engagement model's outputs as CSV and text (forecast/engagement.hpp), shared by the CLI
// and the Python module.

#include "earlyhelp/forecast/engagement.hpp"

#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

std::string families_csv(const EngagementResult& r) {
  io::CsvWriter w;
  w.write_row({"family_ref", "record_id", "start_date", "weeks_engaged", "problems", "p_short", "p_achieved", "expected_weeks", "listed",
               "weeks_saved", "avoided_cost"});
  for (const auto& f : r.families)
    w.write_row(std::vector<std::string>{f.family_ref, f.record_id, format_date(f.start), fmt::format("{:.1f}", f.weeks_engaged),
                                         std::to_string(f.problems), fmt::format("{:.4f}", f.p_short), fmt::format("{:.4f}", f.p_achieved),
                                         fmt::format("{:.1f}", f.expected_weeks), f.listed ? "true" : "false",
                                         fmt::format("{:.1f}", f.weeks_saved), fmt::format("{:.0f}", f.avoided_cost)});
  return w.str();
}

std::string model_csv(const EngagementModel& m) {
  std::string out = "feature,center,scale,close,outcome\n";
  fmt::format_to(std::back_inserter(out), "intercept,0,1,{:.6f},{:.6f}\n", m.close_intercept, m.outcome_intercept);
  for (std::size_t j = 0; j < m.features.size(); ++j)
    fmt::format_to(std::back_inserter(out), "{},{:.6f},{:.6f},{:.6f},{:.6f}\n", m.features[j], m.center[j], m.scale[j], m.close_coef[j],
                   m.outcome_coef[j]);
  return out;
}

std::string rejects_csv(const EngagementEpisodes& d) {
  io::CsvWriter w;
  w.write_row({"file", "row", "field", "reason"});
  for (const auto& r : d.rejects) w.write_row(std::vector<std::string>{r.file, std::to_string(r.row), r.field, r.reason});
  return w.str();
}

std::string evaluation_csv(const EngagementEvaluation& e) {
  std::string out = "metric,value\n";
  const std::pair<const char*, double> rows[] = {
      {"train_episodes", static_cast<double>(e.train_episodes)}, {"test_episodes", static_cast<double>(e.test_episodes)},
      {"positives", static_cast<double>(e.positives)}, {"base_rate", e.base_rate}, {"brier", e.brier},
      {"brier_constant", e.brier_constant}, {"auc", e.auc}, {"listed", static_cast<double>(e.listed)},
      {"precision", e.precision}, {"recall", e.recall}, {"length_episodes", static_cast<double>(e.length_episodes)},
      {"length_mae", e.length_mae}, {"length_mae_constant", e.length_mae_constant}};
  for (const auto& [k, v] : rows) fmt::format_to(std::back_inserter(out), "{},{:.6g}\n", k, v);
  for (const auto& g : e.calibration) {
    fmt::format_to(std::back_inserter(out), "calibration:{}:episodes,{}\n", g.group, g.episodes);
    fmt::format_to(std::back_inserter(out), "calibration:{}:predicted,{:.6g}\n", g.group, g.mean_predicted);
    fmt::format_to(std::back_inserter(out), "calibration:{}:observed,{:.6g}\n", g.group, g.observed);
  }
  return out;
}

std::string to_text(const EngagementResult& r, const EngagementEpisodes& d, const EngagementOptions& o) {
  std::string out;
  fmt::format_to(std::back_inserter(out), "engagement: {} rows read, {} episodes, {} rejected\n", d.rows_read, d.episodes.size(),
                 d.rejects.size());
  fmt::format_to(std::back_inserter(out),
                 "model: fitted before {} on {} episodes ({} 4-week intervals, {} closures, {} with outcomes achieved)\n",
                 format_date(o.as_of), r.model.episodes, r.model.intervals, r.model.closures, r.model.outcomes_achieved);
  if (r.model.closures < 100)
    fmt::format_to(std::back_inserter(out), "warning: only {} closures before {}: too few for reliable predictions\n", r.model.closures,
                   format_date(o.as_of));
  fmt::format_to(std::back_inserter(out),
                 "families open on {}: {}; likely turned around within {:g} weeks (p >= {:g}): {}; avoided cost {:.0f} GBP "
                 "at {:g} GBP a week\n",
                 format_date(o.as_of), r.families.size(), o.short_weeks, o.threshold, r.listed, r.avoided_cost, o.weekly_cost);
  out += "predictions are advisory: they help plan a service, never decide a family's support\n";
  return out;
}

std::string to_text(const EngagementEvaluation& e, const EngagementOptions& o) {
  std::string out;
  fmt::format_to(std::back_inserter(out), "engagement back-test: fitted before {} on {} episodes; judged on {} that started after it\n",
                 format_date(o.as_of), e.train_episodes, e.test_episodes);
  fmt::format_to(std::back_inserter(out), "turned around within {:g} weeks: {} of {} (constant from the fit window {:.3f})\n",
                 o.short_weeks, e.positives, e.test_episodes, e.base_rate);
  fmt::format_to(std::back_inserter(out), "brier {:.4f} (constant {:.4f}), AUC {:.3f}\n", e.brier, e.brier_constant, e.auc);
  fmt::format_to(std::back_inserter(out), "listed (p >= {:g}): {}, precision {:.3f}, recall {:.3f}\n", o.threshold, e.listed,
                 e.precision, e.recall);
  fmt::format_to(std::back_inserter(out), "length (weeks, to {:g}): MAE {:.2f} (constant {:.2f}) on {} episodes\n", o.max_weeks,
                 e.length_mae, e.length_mae_constant, e.length_episodes);
  out += "calibration by group (episodes, mean predicted, observed):\n";
  for (const auto& g : e.calibration)
    fmt::format_to(std::back_inserter(out), "  {:<12} {:>5} {:.3f} {:.3f}\n", g.group, g.episodes, g.mean_predicted, g.observed);
  return out;
}

}  // namespace earlyhelp::forecast
