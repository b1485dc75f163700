// SPDX-License-Identifier: Apache-2.0
// C API: the Troubled Families engagement model (forecast/engagement.hpp) and the intervention
// calculator (forecast/savings.hpp).

#include "earlyhelp/c_api.h"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/forecast/savings.hpp"
#include "earlyhelp/io/csv.hpp"
#include "guard.hpp"
#include "registry.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

struct eh_engagement {
  earlyhelp::forecast::EngagementOptions options;
  earlyhelp::forecast::EngagementResult result;  // the model and the families open on the as-of date
};

namespace {

namespace fc = earlyhelp::forecast;

earlyhelp::Date date_of(const char* fn, const char* what, const std::string& text) {
  const auto d = earlyhelp::parse_date(text);
  EH_CHECK(d.has_value(), "{}: {} is not a date (expected YYYY-MM-DD)", fn, what);
  return *d;
}

// The options object of eh_engagement_fit_file (c_api.h).
void read_options(const char* json, fc::EngagementOptions& o) {
  constexpr const char* fn = "eh_engagement_fit_file";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw earlyhelp::InvalidArgument(fmt::format("{}: options_json is not JSON ({})", fn, e.what()));
  }
  EH_CHECK(j.is_object(), "{}: options_json must be a JSON object", fn);
  for (const auto& [key, value] : j.items()) {
    double* number = key == "short_weeks" ? &o.short_weeks
                     : key == "weekly_cost" ? &o.weekly_cost
                     : key == "threshold"   ? &o.threshold
                     : key == "max_weeks"   ? &o.max_weeks
                                            : nullptr;
    if (number != nullptr) {
      EH_CHECK(value.is_number(), "{}: option '{}' must be a number", fn, key);
      *number = value.get<double>();
    } else {
      EH_CHECK(key == "data_start", "{}: unknown option '{}' (expected short_weeks, weekly_cost, threshold, "
                                    "max_weeks or data_start)", fn, key);
      EH_CHECK(value.is_string(), "{}: option 'data_start' must be a date string", fn);
      o.data_start = date_of(fn, "data_start", value.get<std::string>());
    }
  }
  EH_CHECK(o.short_weeks >= 1 && o.short_weeks <= 520, "{}: short_weeks is {}, expected 1..520", fn, o.short_weeks);
  EH_CHECK(o.weekly_cost >= 0 && o.weekly_cost <= 1e6, "{}: weekly_cost is {}, expected 0..1e6", fn, o.weekly_cost);
  EH_CHECK(o.threshold >= 0 && o.threshold <= 1, "{}: threshold is {}, expected 0..1", fn, o.threshold);
  EH_CHECK(o.max_weeks >= 1 && o.max_weeks <= 1040, "{}: max_weeks is {}, expected 1..1040", fn, o.max_weeks);
}

}  // namespace

extern "C" {

int eh_engagement_fit_file(const char* episodes_path, const char* as_of, const char* options_json,
                           size_t* n_rejected, eh_engagement** out) {
  return earlyhelp::capi::guarded([&] {
    constexpr const char* fn = "eh_engagement_fit_file";
    EH_CHECK_PTR(fn, episodes_path);
    EH_CHECK_PTR(fn, as_of);
    EH_CHECK_PTR(fn, out);
    fc::EngagementOptions o;
    o.as_of = date_of(fn, "as_of", as_of);
    if (options_json != nullptr) read_options(options_json, o);
    const fc::EngagementEpisodes data = fc::read_engagement_episodes(episodes_path);
    fc::EngagementResult r = fc::assess_engagement(data, o);
    *out = earlyhelp::capi::new_handle<eh_engagement>(o, std::move(r));
    if (n_rejected != nullptr) *n_rejected = data.rejects.size();
  });
}

void eh_engagement_free(eh_engagement* e) { earlyhelp::capi::free_handle(e, "eh_engagement_free"); }

int eh_engagement_families_csv(const eh_engagement* e, char* out, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_engagement_families_csv", e);
    return earlyhelp::capi::write_text("eh_engagement_families_csv", fc::families_csv(e->result), out, capacity,
                                       needed);
  });
}

int eh_engagement_predict(const eh_engagement* e, size_t n_columns, const char* const* column_names,
                          const char* const* values, size_t earlier_episodes, eh_engagement_prediction* out) {
  return earlyhelp::capi::guarded([&] {
    constexpr const char* fn = "eh_engagement_predict";
    EH_LIVE(fn, e);
    EH_CHECK_PTR(fn, column_names);
    EH_CHECK_PTR(fn, values);
    EH_CHECK_PTR(fn, out);
    EH_CHECK(n_columns > 0 && n_columns <= 4096, "{}: n_columns is {}", fn, n_columns);
    EH_CHECK(earlier_episodes <= 1000, "{}: earlier_episodes is {}, expected at most 1000", fn, earlier_episodes);
    std::vector<std::string> names, cells;
    for (std::size_t k = 0; k < n_columns; ++k) {
      names.emplace_back(column_names[k] == nullptr ? "" : column_names[k]);
      cells.emplace_back(values[k] == nullptr ? "" : values[k]);
    }
    // The row goes through the reader `earlyhelp engagement` uses, so it is checked as a file's are.
    const fc::EngagementEpisode ep =
        fc::parse_engagement_episode(names, cells, static_cast<int>(earlier_episodes), "the episode row");
    const fc::FamilyEngagement f = fc::score_engagement(e->result.model, ep, e->options);
    *out = eh_engagement_prediction{f.weeks_engaged, f.p_short,      f.p_achieved, f.expected_weeks, f.weeks_saved,
                                    f.avoided_cost,  f.problems, f.listed ? 1 : 0};
  });
}

int eh_savings_calculate(const char* intervention_json, char* out, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_savings_calculate", intervention_json);
    namespace sv = fc::savings;
    const sv::Result r = sv::calculate(sv::parse_intervention(intervention_json, "intervention_json"));
    return earlyhelp::capi::write_text("eh_savings_calculate", sv::to_json(r), out, capacity, needed);
  });
}

}  // extern "C"
