// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/profiling/alerts.hpp"

#include "earlyhelp/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

namespace earlyhelp::profiling {

std::string_view to_string(SubjectKind k) noexcept { return k == SubjectKind::person ? "person" : "family"; }

SubjectKind subject_kind_from_string(std::string_view s) {
  if (s == "person") return SubjectKind::person;
  if (s == "family") return SubjectKind::family;
  earlyhelp::detail::throw_error<InvalidArgument>("subject kind: '{}' is not 'person' or 'family'", s);
}

std::vector<std::string> Decision::blocked_by() const {
  std::vector<std::string> out;
  if (!above_threshold) out.emplace_back("below_threshold");
  if (!changed) out.emplace_back(first_assessment ? "first_assessment" : "no_change");
  if (!in_contact) out.emplace_back("not_in_contact");
  if (!outside_cooldown) out.emplace_back("cooldown");
  return out;
}

void check_run(const AssessmentRun& run, const AlertPolicy& policy) {
  EH_CHECK(!run.domain.empty(), "decide_alerts: the domain is empty");
  EH_CHECK(!run.model.name.empty(), "decide_alerts: the model name is empty");
  const auto& sha = run.model.sha256;
  EH_CHECK(sha.size() == 64 && std::all_of(sha.begin(), sha.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }),
           "decide_alerts: model sha256 '{}' is not 64 lower-case hex digits", sha);
  EH_CHECK(std::isfinite(run.threshold), "decide_alerts: the threshold is {}, expected a finite number",
           run.threshold);
  EH_CHECK(std::isfinite(policy.min_rise) && policy.min_rise >= 0,
           "decide_alerts: min_rise is {}, expected a finite number >= 0", policy.min_rise);
  EH_CHECK(policy.cooldown_days >= 0, "decide_alerts: cooldown_days is {}, expected >= 0", policy.cooldown_days);
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < run.assessments.size(); ++i) {
    const Assessment& a = run.assessments[i];
    // Row numbers, not ids, in messages: an id may be a raw identifier in a careless extract.
    EH_CHECK(!a.subject_id.empty(), "decide_alerts: row {} has an empty subject id", i);
    EH_CHECK(seen.insert(a.subject_id).second, "decide_alerts: row {} repeats the subject id of an earlier row", i);
    EH_CHECK(std::isfinite(a.score), "decide_alerts: row {} has score {}, expected a finite number", i, a.score);
  }
}

RunDecisions decide_alerts(const AssessmentRun& run, const std::map<std::string, PreviousState>& previous,
                           const AlertPolicy& policy) {
  check_run(run, policy);
  static const PreviousState kNone{};
  RunDecisions out;
  out.decisions.reserve(run.assessments.size());
  for (const Assessment& a : run.assessments) {
    const auto it = previous.find(a.subject_id);
    const PreviousState& prev = it == previous.end() ? kNone : it->second;
    // Only what was known before the date counts (a rerun of the same date sees the same past).
    const bool has_prev = prev.assessed_on && *prev.assessed_on < run.as_of;
    Decision d;
    d.subject_id = a.subject_id;
    d.above_threshold = a.score >= run.threshold;
    d.first_assessment = !has_prev;
    std::vector<std::string> new_features;
    if (has_prev) {
      std::vector<std::string> before = prev.alerting_features, now = a.alerting_features;
      std::sort(before.begin(), before.end());
      std::sort(now.begin(), now.end());
      now.erase(std::unique(now.begin(), now.end()), now.end());
      std::set_difference(now.begin(), now.end(), before.begin(), before.end(), std::back_inserter(new_features));
      d.changed = a.score - prev.score >= policy.min_rise - 1e-12 || !new_features.empty();
    } else {
      // Nothing to compare with: every alerting feature is new, but only the policy makes a
      // first assessment a change.
      new_features = a.alerting_features;
      std::sort(new_features.begin(), new_features.end());
      new_features.erase(std::unique(new_features.begin(), new_features.end()), new_features.end());
      d.changed = policy.alert_on_first_assessment;
    }
    d.in_contact = a.in_contact || !policy.require_contact;
    const bool recent_alert = prev.last_alert_on && *prev.last_alert_on < run.as_of &&
                              run.as_of.days - prev.last_alert_on->days < policy.cooldown_days;
    d.outside_cooldown = !recent_alert;
    d.alert = d.above_threshold && d.changed && d.in_contact && d.outside_cooldown;
    if (d.alert) {
      Alert al;
      al.domain = run.domain;
      al.subject_kind = run.subject_kind;
      al.subject_id = a.subject_id;
      al.as_of = run.as_of;
      al.score = a.score;
      al.band = a.band;
      if (has_prev) {
        al.previous_score = prev.score;
        al.previous_as_of = prev.assessed_on;
      }
      al.new_features = std::move(new_features);
      al.reasons = a.reasons;
      al.model = run.model;
      out.alerts.push_back(std::move(al));
    }
    out.decisions.push_back(std::move(d));
  }
  return out;
}

}  // namespace earlyhelp::profiling
