// SPDX-License-Identifier: Apache-2.0
// The alert policy's rules, each shown blocking an alert on its own, and the contact window.
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/profiling/alerts.hpp"
#include "earlyhelp/profiling/contact.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::profiling;

namespace {
Date day(const char* iso) { return *parse_date(iso); }
const std::string kSha(64, 'a');

// One person who meets every rule on 2024-02-29: score 0.40 over a 0.30 threshold, up 0.15 from
// 0.25 on 2024-01-31, in contact, never alerted.
AssessmentRun one_run(double score = 0.40, std::vector<std::string> features = {"asb_incidents_90d"},
                      bool in_contact = true) {
  AssessmentRun run;
  run.domain = "asb";
  run.as_of = day("2024-02-29");
  run.model = ModelIdentity{"asb-reference", "1.0.0", kSha};
  run.threshold = 0.30;
  run.assessments.push_back(Assessment{"p1", score, "high", std::move(features),
                                       {"3 anti-social behaviour incidents in the last 90 days"}, in_contact});
  return run;
}
std::map<std::string, PreviousState> history(double score = 0.25, std::vector<std::string> features = {"asb_incidents_90d"},
                                             std::optional<Date> last_alert = std::nullopt) {
  return {{"p1", PreviousState{day("2024-01-31"), score, std::move(features), last_alert}}};
}
std::vector<std::string> blocked(const RunDecisions& d) { return d.decisions.at(0).blocked_by(); }
}  // namespace

TEST_SUITE("profiling") {
  TEST_CASE("profiling.alerts: all rules hold: an alert with everything a professional needs, no action") {
    const RunDecisions d = decide_alerts(one_run(), history());
    REQUIRE(d.alerts.size() == 1);
    CHECK(d.decisions[0].alert);
    CHECK(blocked(d).empty());
    const Alert& a = d.alerts[0];
    CHECK(a.domain == "asb");
    CHECK(a.subject_id == "p1");
    CHECK(a.as_of == day("2024-02-29"));
    CHECK(a.score == 0.40);
    CHECK(a.band == "high");
    CHECK(a.previous_score == 0.25);
    CHECK(a.previous_as_of == day("2024-01-31"));
    CHECK(a.new_features.empty());
    CHECK(a.reasons == std::vector<std::string>{"3 anti-social behaviour incidents in the last 90 days"});
    CHECK(a.model.name == "asb-reference");
    CHECK(a.model.version == "1.0.0");
    CHECK(a.model.sha256 == kSha);
  }

  TEST_CASE("profiling.alerts: the threshold alone blocks an alert") {
    // A new alerting feature and contact, but 0.29 < 0.30.
    const RunDecisions d = decide_alerts(one_run(0.29, {"asb_incidents_90d", "police_da_90d"}), history());
    CHECK(d.alerts.empty());
    CHECK(blocked(d) == std::vector<std::string>{"below_threshold"});
    // On the threshold counts as crossing it.
    CHECK(decide_alerts(one_run(0.30, {"asb_incidents_90d", "police_da_90d"}), history()).alerts.size() == 1);
  }

  TEST_CASE("profiling.alerts: no change since the last assessment alone blocks an alert") {
    // Above the threshold and in contact, but up only 0.03 with the same features.
    const RunDecisions d = decide_alerts(one_run(0.33), history(0.30));
    CHECK(d.alerts.empty());
    CHECK(blocked(d) == std::vector<std::string>{"no_change"});
    // A rise of exactly min_rise is a change (0.35 - 0.30 is 0.0499999... in binary).
    CHECK(decide_alerts(one_run(0.35), history(0.30)).alerts.size() == 1);
    // A new alerting feature is a change even when the score did not move.
    const RunDecisions f = decide_alerts(one_run(0.40, {"asb_incidents_90d", "police_da_90d"}), history(0.40));
    REQUIRE(f.alerts.size() == 1);
    CHECK(f.alerts[0].new_features == std::vector<std::string>{"police_da_90d"});
    // A larger margin turns the 0.15 rise into no change.
    AlertPolicy strict;
    strict.min_rise = 0.2;
    CHECK(blocked(decide_alerts(one_run(), history(), strict)) == std::vector<std::string>{"no_change"});
  }

  TEST_CASE("profiling.alerts: a first assessment is a baseline unless the policy says otherwise") {
    const RunDecisions d = decide_alerts(one_run(), {});
    CHECK(d.alerts.empty());
    CHECK(d.decisions[0].first_assessment);
    CHECK(blocked(d) == std::vector<std::string>{"first_assessment"});
    AlertPolicy first;
    first.alert_on_first_assessment = true;
    const RunDecisions f = decide_alerts(one_run(), {}, first);
    REQUIRE(f.alerts.size() == 1);
    CHECK_FALSE(f.alerts[0].previous_score.has_value());
    CHECK(f.alerts[0].new_features == std::vector<std::string>{"asb_incidents_90d"});
    // History dated on or after the run's date is not "before" it.
    auto later = history();
    later["p1"].assessed_on = day("2024-02-29");
    CHECK(blocked(decide_alerts(one_run(), later)) == std::vector<std::string>{"first_assessment"});
  }

  TEST_CASE("profiling.alerts: not being in contact alone blocks an alert") {
    const RunDecisions d = decide_alerts(one_run(0.40, {"asb_incidents_90d"}, false), history());
    CHECK(d.alerts.empty());
    CHECK(blocked(d) == std::vector<std::string>{"not_in_contact"});
    AlertPolicy any;
    any.require_contact = false;
    CHECK(decide_alerts(one_run(0.40, {"asb_incidents_90d"}, false), history(), any).alerts.size() == 1);
  }

  TEST_CASE("profiling.alerts: the cool-down alone blocks an alert, for 90 days by default") {
    // 2023-12-02 is 89 days before 2024-02-29: still cooling down; 2023-12-01 is 90: free again.
    const RunDecisions d = decide_alerts(one_run(), history(0.25, {"asb_incidents_90d"}, day("2023-12-02")));
    CHECK(d.alerts.empty());
    CHECK(blocked(d) == std::vector<std::string>{"cooldown"});
    CHECK(decide_alerts(one_run(), history(0.25, {"asb_incidents_90d"}, day("2023-12-01"))).alerts.size() == 1);
    AlertPolicy short_cooldown;
    short_cooldown.cooldown_days = 30;
    CHECK(decide_alerts(one_run(), history(0.25, {"asb_incidents_90d"}, day("2023-12-02")), short_cooldown)
              .alerts.size() == 1);
  }

  TEST_CASE("profiling.alerts: bad runs are InvalidArgument naming the row, never the id") {
    auto run = one_run();
    run.model.sha256 = "abc";
    CHECK_THROWS_AS(decide_alerts(run, {}), InvalidArgument);
    run = one_run();
    run.assessments.push_back(run.assessments[0]);
    CHECK_THROWS_WITH_AS(decide_alerts(run, {}), "decide_alerts: row 1 repeats the subject id of an earlier row",
                         InvalidArgument);
    run = one_run(std::nan(""));
    CHECK_THROWS_WITH_AS(decide_alerts(run, {}), "decide_alerts: row 0 has score nan, expected a finite number",
                         InvalidArgument);
    run = one_run();
    run.domain.clear();
    CHECK_THROWS_AS(decide_alerts(run, {}), InvalidArgument);
    AlertPolicy bad;
    bad.cooldown_days = -1;
    CHECK_THROWS_AS(decide_alerts(one_run(), {}, bad), InvalidArgument);
    CHECK(subject_kind_from_string("family") == SubjectKind::family);
    CHECK_THROWS_AS(subject_kind_from_string("household"), InvalidArgument);
  }

  TEST_CASE("profiling.contact: calendar months, universal registers excluded") {
    CHECK(add_months(day("2024-01-31"), 1) == day("2024-02-29"));
    CHECK(add_months(day("2024-02-29"), -12) == day("2023-02-28"));
    CHECK(add_months(day("2023-12-15"), 1) == day("2024-01-15"));
    CHECK(add_months(day("2024-03-31"), -25) == day("2022-02-28"));
    const auto schema = schema::Schema::builtin();
    const ContactWindow w(schema, ContactRule{}, day("2024-03-31"));
    CHECK(w.first_day() == day("2023-03-31"));
    CHECK(w.counts("social_care_contacts", day("2024-03-30")));
    CHECK(w.counts("social_care_contacts", day("2023-03-31")));
    CHECK_FALSE(w.counts("social_care_contacts", day("2023-03-30")));
    CHECK_FALSE(w.counts("social_care_contacts", day("2024-03-31")));  // the as-of date is not yet known
    for (const char* universal : {"person_register", "school_attendance", "council_tax"})
      CHECK_FALSE(w.counts(universal, day("2024-01-01")));
    CHECK(w.streams().size() == schema.streams.size() - 3);
    ContactRule own;
    own.streams = {"health_ae", "council_tax"};
    own.window_months = 6;
    CHECK(contact_streams(schema, own) == std::vector<std::string>{"health_ae"});
    own.streams = {"no_such_stream"};
    CHECK_THROWS_AS(contact_streams(schema, own), InvalidArgument);
    own.streams.clear();
    own.window_months = 0;
    CHECK_THROWS_AS(contact_streams(schema, own), InvalidArgument);
  }
}
