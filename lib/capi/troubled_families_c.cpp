// SPDX-License-Identifier: Apache-2.0
// C API: one family's Troubled Families assessment (profiling::assess_family) as JSON text.

#include "earlyhelp/c_api.h"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"
#include "guard.hpp"
#include "handles.hpp"
#include "registry.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

namespace {

namespace pf = earlyhelp::profiling;

// A percentage-point figure, null when not known (NaN).
nlohmann::json points(double x) { return std::isnan(x) ? nlohmann::json() : nlohmann::json(x); }

// The result of assess_family as the JSON c_api.h documents.
std::string to_json(const pf::Framework& fw, const pf::FamiliesResult& r) {
  nlohmann::json j;
  j["framework"] = fw.name();
  j["as_of"] = earlyhelp::format_date(r.as_of);
  const bool known = !r.families.empty();
  j["known"] = known;
  const pf::FamilyAssessment none{"", std::vector<char>(r.criteria.size(), 0), 0, false, std::nan(""), std::nan(""),
                                  false, std::vector<std::vector<std::string>>(r.criteria.size())};
  const pf::FamilyAssessment& f = known ? r.families.front() : none;
  j["criteria_met"] = f.criteria_met;
  j["min_criteria"] = fw.min_criteria();
  j["eligible"] = f.eligible;
  j["near_miss"] = f.near_miss;
  j["attendance_distance_travelled"] = points(f.attendance_distance_travelled);
  j["attendance_distance_to_target"] = points(f.attendance_distance_to_target);
  nlohmann::json criteria = nlohmann::json::array();
  for (std::size_t c = 0; c < r.criteria.size(); ++c)
    criteria.push_back({{"name", r.criteria[c]}, {"met", f.met[c] != 0}, {"evidence", f.evidence[c]}});
  j["criteria"] = std::move(criteria);
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : r.members) members.push_back({{"member", std::stoul(m.person_id)}, {"role", m.role}});
  j["members"] = std::move(members);
  return j.dump();
}

}  // namespace

extern "C" {

int eh_feature_case_tf(const eh_feature_case* c, const char* framework_json, const char* as_of, char* out,
                       size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_feature_case_tf", c);
    EH_CHECK_PTR("eh_feature_case_tf", as_of);
    const auto d = earlyhelp::parse_date(as_of);
    EH_CHECK(d.has_value(), "eh_feature_case_tf: as_of is not a date (expected YYYY-MM-DD)");
    const pf::Framework fw = framework_json == nullptr ? pf::Framework::builtin() : pf::Framework::from_json(framework_json);
    const pf::FamiliesResult r = pf::assess_family(fw, c->records, *d);
    return earlyhelp::capi::write_text("eh_feature_case_tf", to_json(fw, r), out, capacity, needed);
  });
}

}  // extern "C"
