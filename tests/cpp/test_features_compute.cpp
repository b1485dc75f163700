// SPDX-License-Identifier: Apache-2.0
// Feature kernels on a tiny hand-made council: every kind against values worked out by hand.
#include "features_test_data.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/features/table.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>

using namespace earlyhelp;
using namespace earlyhelp::features;
using eh_test::Row;

namespace {

const Date kAsOf = *parse_date("2024-04-01");

// One feature per kind and variant; the expected values are worked out in the cases below.
const char* const definitions = R"({
  "name": "kinds",
  "streams": {"social_care_episodes": {"end_field": "end_date"}, "person_register": {"end_field": "end_date"}},
  "features": [
    {"name": "da_90d", "kind": "count", "stream": "police_domestic_abuse", "window_days": 90, "description": "d", "template": "{value}"},
    {"name": "da_90d_high", "kind": "count", "stream": "police_domestic_abuse", "window_days": 90, "where": {"risk_level": ["high"]}, "description": "d", "template": "{value}"},
    {"name": "da_90d_high_zero", "kind": "count", "stream": "police_domestic_abuse", "window_days": 90, "where": {"risk_level": ["high"]}, "missing": "zero", "description": "d", "template": "{value}"},
    {"name": "da_all", "kind": "count", "stream": "police_domestic_abuse", "description": "d", "template": "{value}"},
    {"name": "da_days_since", "kind": "days_since", "stream": "police_domestic_abuse", "description": "d", "template": "{value}"},
    {"name": "da_days_since_first", "kind": "days_since", "from": "first", "stream": "police_domestic_abuse", "description": "d", "template": "{value}"},
    {"name": "da_trend", "kind": "trend", "stream": "police_domestic_abuse", "window_days": 90, "description": "d", "template": "{value}"},
    {"name": "da_first_ever", "kind": "change", "change": "first_ever", "stream": "police_domestic_abuse", "window_days": 90, "description": "d", "template": "{value}"},
    {"name": "da_new", "kind": "change", "change": "new", "stream": "police_domestic_abuse", "window_days": 90, "lookback_days": 365, "description": "d", "template": "{value}"},
    {"name": "ct_now", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "sum", "latest_per": "account_ref", "description": "d", "template": "{value}"},
    {"name": "ct_sum", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "sum", "description": "d", "template": "{value}"},
    {"name": "ct_mean", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "mean", "description": "d", "template": "{value}"},
    {"name": "ct_min", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "min", "description": "d", "template": "{value}"},
    {"name": "ct_max", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "max", "description": "d", "template": "{value}"},
    {"name": "ct_first", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "first", "description": "d", "template": "{value}"},
    {"name": "ct_last", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "last", "description": "d", "template": "{value}"},
    {"name": "ct_doubled", "kind": "change", "change": "doubled", "stream": "council_tax", "field": "arrears_gbp", "function": "sum", "latest_per": "account_ref", "lookback_days": 180, "description": "d", "template": "{value}"},
    {"name": "ct_moved", "kind": "change", "change": "changed", "stream": "council_tax", "field": "property_uprn", "window_days": 365, "description": "d", "template": "{value}"},
    {"name": "ct_reminder_now", "kind": "state", "stream": "council_tax", "where": {"recovery_stage": ["reminder"]}, "description": "d", "template": "{value}"},
    {"name": "ct_summons_now", "kind": "state", "stream": "council_tax", "where": {"recovery_stage": ["summons"]}, "description": "d", "template": "{value}"},
    {"name": "att_last", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 1, "description": "d", "template": "{value}"},
    {"name": "att_last3", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 3, "description": "d", "template": "{value}"},
    {"name": "att_prev3", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 3, "offset_events": 3, "description": "d", "template": "{value}"},
    {"name": "att_trend", "kind": "trend", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 3, "description": "d", "template": "{value}"},
    {"name": "att_worst", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 3, "per_event": "min", "description": "d", "template": "{value}"},
    {"name": "att_best", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 3, "per_event": "max", "description": "d", "template": "{value}"},
    {"name": "terms_365d", "kind": "count", "stream": "school_attendance", "window_days": 365, "description": "d", "template": "{value}"},
    {"name": "open_cpp", "kind": "state", "stream": "social_care_episodes", "where": {"episode_type": ["cpp"]}, "description": "d", "template": "{value}"},
    {"name": "open_cin", "kind": "state", "stream": "social_care_episodes", "where": {"episode_type": ["cin"]}, "description": "d", "template": "{value}"},
    {"name": "open_lac", "kind": "state", "stream": "social_care_episodes", "where": {"episode_type": ["lac"]}, "description": "d", "template": "{value}"},
    {"name": "new_episode", "kind": "change", "change": "new", "stream": "social_care_episodes", "window_days": 90, "description": "d", "template": "{value}"},
    {"name": "register_rows", "kind": "count", "stream": "person_register", "description": "d", "template": "{value}"},
    {"name": "register_rows_undated", "kind": "count", "stream": "person_register", "undated": true, "description": "d", "template": "{value}"},
    {"name": "services_12m", "kind": "records", "excluded_streams": ["person_register", "school_attendance", "council_tax"], "window_months": 12, "description": "d", "template": "{value}"},
    {"name": "records_90d", "kind": "records", "window_days": 90, "description": "d", "template": "{value}"},
    {"name": "ae_12m", "kind": "records", "streams": ["health_ae"], "window_months": 12, "description": "d", "template": "{value}"},
    {"name": "age", "kind": "attribute", "attribute": "age", "description": "d", "template": "{value}"},
    {"name": "band", "kind": "attribute", "attribute": "age_band", "bands": [5, 10, 16, 18, 25, 65], "description": "d", "template": "{value}"},
    {"name": "female", "kind": "attribute", "attribute": "sex", "equals": "F", "description": "d", "template": "{value}"},
    {"name": "education", "kind": "rule", "all": [{"feature": "att_best", "op": "<", "value": 0.9}, {"feature": "terms_365d", "op": ">=", "value": 3}], "description": "d", "template": "{value}"},
    {"name": "adult_da", "kind": "rollup", "rollup": "any_adult", "of": "da_all", "description": "d", "template": "{value}"},
    {"name": "child_cpp", "kind": "rollup", "rollup": "any_child", "of": "open_cpp", "description": "d", "template": "{value}"},
    {"name": "child_lac", "kind": "rollup", "rollup": "any_child", "of": "open_lac", "description": "d", "template": "{value}"},
    {"name": "children", "kind": "rollup", "rollup": "count_children", "description": "d", "template": "{value}"},
    {"name": "adults", "kind": "rollup", "rollup": "count_adults", "description": "d", "template": "{value}"},
    {"name": "members", "kind": "rollup", "rollup": "count_members", "description": "d", "template": "{value}"},
    {"name": "max_days_since", "kind": "rollup", "rollup": "max", "of": "da_days_since", "description": "d", "template": "{value}"},
    {"name": "sum_da", "kind": "rollup", "rollup": "sum", "of": "da_all", "description": "d", "template": "{value}"},
    {"name": "sum_services", "kind": "rollup", "rollup": "sum", "of": "services_12m", "description": "d", "template": "{value}"},
    {"name": "problems", "kind": "count_true", "features": ["adult_da", "child_cpp", "child_lac"], "description": "d", "template": "{value}"},
    {"name": "eligible", "kind": "rule", "all": [{"feature": "problems", "op": ">=", "value": 2}], "description": "d", "template": "{value}"}
  ]
})";

// p1: an adult (born 1980-04-01, turning 44 on the as-of date); p2: a child (born 2012-04-02, 11);
// p3: a child (9); p4: only records after the date; p5: no date of birth anywhere, a child by the
// households file.
void write_council(eh_test::CouncilDir& c) {
  c.stream("police_domestic_abuse",
           {{"p1", {{"incident_date", "2024-03-20"}, {"role", "victim"}, {"risk_level", "high"}, {"dob", "1980-04-01"}, {"sex", "M"}}},
            {"p1", {{"incident_date", "2024-02-01"}, {"role", "victim"}, {"risk_level", "standard"}, {"dob", "1980-01-04"}, {"sex", "F"}}},
            {"p1", {{"incident_date", "2023-12-15"}, {"role", "perpetrator"}, {"risk_level", "high"}, {"sex", "M"}}},
            {"p1", {{"incident_date", "2023-01-10"}, {"role", "victim"}, {"risk_level", "medium"}}},
            {"p1", {{"incident_date", "2024-04-01"}, {"role", "victim"}, {"risk_level", "high"}}},  // on the date: not yet
            {"p1", {{"incident_date", "2024-05-01"}, {"role", "victim"}, {"risk_level", "high"}}},
            {"p2", {{"incident_date", "2024-03-01"}, {"role", "child_present"}}},  // risk level missing
            {"p4", {{"incident_date", "2024-06-01"}, {"role", "victim"}}}});
  c.stream("council_tax",
           {{"p1", {{"account_ref", "A"}, {"snapshot_date", "2022-12-01"}, {"arrears_gbp", "50"}, {"property_uprn", "100"}}},
            {"p1", {{"account_ref", "A"}, {"snapshot_date", "2023-06-01"}, {"arrears_gbp", "100"}, {"property_uprn", "100"}}},
            {"p1", {{"account_ref", "A"}, {"snapshot_date", "2023-10-01"}, {"arrears_gbp", "150"}, {"property_uprn", "100"}}},
            {"p1", {{"account_ref", "B"}, {"snapshot_date", "2024-01-15"}, {"arrears_gbp", "200"}, {"property_uprn", "200"}, {"recovery_stage", "summons"}}},
            {"p1", {{"account_ref", "A"}, {"snapshot_date", "2024-02-01"}, {"arrears_gbp", "300"}, {"property_uprn", "100"}, {"recovery_stage", "reminder"}}},
            {"p1", {{"account_ref", "A"}, {"snapshot_date", "2024-05-01"}, {"arrears_gbp", "999"}, {"property_uprn", "300"}}}});
  auto term = [](const char* end, const char* attended) {
    return Row{"p2", {{"term_end_date", end}, {"sessions_possible", "100"}, {"sessions_attended", attended},
                      {"dob", "2012-04-02"}, {"sex", "F"}}};
  };
  c.stream("school_attendance", {term("2022-12-20", "95"), term("2023-03-31", "90"), term("2023-07-21", "85"),
                                 term("2023-12-20", "80"), term("2024-03-28", "70"), term("2024-07-19", "100")});
  c.stream("social_care_episodes",
           {{"p2", {{"episode_type", "cpp"}, {"start_date", "2023-06-01"}, {"end_date", "2024-05-01"}, {"dob", "2012-04-02"}}},
            {"p2", {{"episode_type", "cin"}, {"start_date", "2022-01-01"}, {"end_date", "2023-05-31"}, {"dob", "2012-04-02"}}},
            {"p2", {{"episode_type", "cin"}, {"start_date", "2024-03-01"}, {"end_date", "2024-03-15"}, {"dob", "2012-04-02"}}},
            {"p2", {{"episode_type", "lac"}, {"start_date", "2024-04-01"}, {"dob", "2012-04-02"}}},
            {"p3", {{"episode_type", "cin"}, {"start_date", "2024-02-01"}, {"dob", "2014-05-01"}}}});
  c.stream("social_care_contacts", {{"p5", {{"contact_date", "2024-02-10"}}}, {"p1", {{"contact_date", "2023-04-01"}}}});
  c.stream("person_register",
           {{"p1", {{"dob", "1980-04-01"}, {"start_date", "2015-01-01"}, {"sex", "M"}}},
            {"p1", {{"dob", "1980-04-01"}, {"sex", "M"}}}});  // no start date: undated
}

struct Fixture {
  eh_test::CouncilDir dir{"kinds"};
  FeatureSet set = FeatureSet::from_json(definitions, schema::Schema::builtin(), "kinds.json");
  EventStore store;
  FeatureTable table;
  Fixture() {
    write_council(dir);
    Linkage links = read_persons_csv(dir.persons(), set.schema());
    read_households_csv(links, dir.households({{"p1", "h1", "adult"}, {"p2", "h1", "child"}, {"p3", "h1", "child"},
                                               {"p4", "h1", "adult"}, {"p5", "h1", "child"}}));
    store = load_events(set, dir.data(), links);
    table = compute(set, store, {kAsOf}, Level::person);
  }
  double at(const std::string& person, const std::string& feature) const {
    std::size_t r = 0;
    while (r < table.ids.size() && table.ids[r] != person) ++r;
    REQUIRE_MESSAGE(r < table.ids.size(), person << " is not in the table");
    std::size_t c = 0;
    while (c < table.columns.size() && table.columns[c] != feature) ++c;
    REQUIRE_MESSAGE(c < table.columns.size(), feature);
    return static_cast<double>(table.values(static_cast<Index>(r), static_cast<Index>(c)));
  }
};

}  // namespace

TEST_SUITE("features") {

TEST_CASE("features.compute: rows are the persons known before the date, sorted") {
  Fixture f;
  CHECK(f.table.ids == std::vector<std::string>{"p1", "p2", "p3", "p5"});  // p4's records all come after it
  CHECK(f.table.as_of == std::vector<Date>(4, kAsOf));
  CHECK(f.table.columns.size() == f.set.size());
}

TEST_CASE("features.compute: counts in windows, filters and missing values") {
  Fixture f;
  // [2024-01-02, 2024-04-01): 03-20 and 02-01; the row on the as-of date is not known yet.
  CHECK(f.at("p1", "da_90d") == 2);
  CHECK(f.at("p1", "da_90d_high") == 1);
  CHECK(f.at("p1", "da_all") == 4);
  CHECK(f.at("p2", "da_90d") == 1);
  CHECK(std::isnan(f.at("p2", "da_90d_high")));  // risk level missing, the schema's policy propagates
  CHECK(f.at("p2", "da_90d_high_zero") == 0);     // the definition says a missing value is none
  CHECK(f.at("p3", "da_all") == 0);
  CHECK(f.at("p1", "da_days_since") == 12);        // 2024-03-20
  CHECK(f.at("p1", "da_days_since_first") == 447); // 2023-01-10
  CHECK(std::isnan(f.at("p3", "da_days_since")));
  CHECK(f.at("p1", "da_trend") == 1);  // 2 now against 1 (2023-12-15) in the 90 days before
  CHECK(f.at("p1", "register_rows") == 1);
  CHECK(f.at("p1", "register_rows_undated") == 2);
}

TEST_CASE("features.compute: records over several streams in a window, the registers excluded") {
  Fixture f;
  // [2023-04-01, 2024-04-01), twelve calendar months: p1's notifications of 2024-03-20, 02-01 and
  // 2023-12-15 and contact of 2023-04-01 (the first day; council tax and the register do not
  // count); p2's notification and the episodes started 2023-06-01 and 2024-03-01 (the attendance
  // terms do not count; the episode starting on the date is not known yet); p5's contact.
  CHECK(f.at("p1", "services_12m") == 4);
  CHECK(f.at("p2", "services_12m") == 3);
  CHECK(f.at("p3", "services_12m") == 1);
  CHECK(f.at("p5", "services_12m") == 1);
  // Every dated stream over [2024-01-02, 2024-04-01): p1's two notifications and two council tax
  // snapshots; p2's notification, the term ending 2024-03-28 and the episode of 2024-03-01.
  CHECK(f.at("p1", "records_90d") == 4);
  CHECK(f.at("p2", "records_90d") == 3);
  CHECK(f.at("p5", "records_90d") == 1);
  for (const char* p : {"p1", "p2", "p3", "p5"}) CHECK(f.at(p, "sum_services") == 9);
  CHECK(std::isnan(f.at("p1", "ae_12m")));  // no A&E extract was read: not known, not none
}

TEST_CASE("features.compute: change flags") {
  Fixture f;
  CHECK(f.at("p1", "da_first_ever") == 0);  // earlier notifications exist
  CHECK(f.at("p2", "da_first_ever") == 1);
  CHECK(f.at("p1", "da_new") == 0);  // notifications in the year before the window
  CHECK(f.at("p2", "da_new") == 1);
  // Arrears now: A's latest (300) + B's (200); 180 days before: A's 150, so doubled.
  CHECK(f.at("p1", "ct_doubled") == 1);
  CHECK(f.at("p1", "ct_moved") == 1);  // property 200 in the year after 100
  CHECK(f.at("p2", "ct_moved") == 0);
  // Episodes: p2's CIN started in the window while the CPP was open; p3's CIN started with none open.
  CHECK(f.at("p2", "new_episode") == 0);
  CHECK(f.at("p3", "new_episode") == 1);
}

TEST_CASE("features.compute: aggregates and the latest snapshot per account") {
  Fixture f;
  CHECK(f.at("p1", "ct_now") == 500);
  CHECK(f.at("p1", "ct_sum") == 800);
  CHECK(f.at("p1", "ct_mean") == 160);
  CHECK(f.at("p1", "ct_min") == 50);
  CHECK(f.at("p1", "ct_max") == 300);
  CHECK(f.at("p1", "ct_first") == 50);
  CHECK(f.at("p1", "ct_last") == 300);
  CHECK(f.at("p2", "ct_sum") == 0);
  CHECK(std::isnan(f.at("p2", "ct_last")));
  CHECK(f.at("p1", "ct_reminder_now") == 1);  // the latest snapshot (2024-02-01) is at reminder
  CHECK(f.at("p1", "ct_summons_now") == 0);   // the summons was an earlier snapshot
}

TEST_CASE("features.compute: attendance ratios per term and over three terms") {
  Fixture f;
  CHECK(f.at("p2", "att_last") == doctest::Approx(0.70).epsilon(1e-6));
  CHECK(f.at("p2", "att_last3") == doctest::Approx(235.0 / 300).epsilon(1e-6));
  CHECK(f.at("p2", "att_prev3") == doctest::Approx(185.0 / 200).epsilon(1e-6));  // only two terms before
  CHECK(f.at("p2", "att_trend") == doctest::Approx(235.0 / 300 - 185.0 / 200).epsilon(1e-6));
  CHECK(f.at("p2", "att_worst") == doctest::Approx(0.70).epsilon(1e-6));
  CHECK(f.at("p2", "att_best") == doctest::Approx(0.85).epsilon(1e-6));
  CHECK(f.at("p2", "terms_365d") == 3);
  CHECK(f.at("p2", "education") == 1);
  CHECK(std::isnan(f.at("p1", "att_last")));
  CHECK(f.at("p1", "education") == 0);
}

TEST_CASE("features.compute: states of episodes on the date") {
  Fixture f;
  CHECK(f.at("p2", "open_cpp") == 1);  // ends after the date: still open on it
  CHECK(f.at("p2", "open_cin") == 0);  // both CIN episodes ended before it
  CHECK(f.at("p2", "open_lac") == 0);  // starts on the date: not yet
  CHECK(f.at("p3", "open_cin") == 1);
}

TEST_CASE("features.compute: attributes as of the date") {
  Fixture f;
  CHECK(f.at("p1", "age") == 44);  // the date of birth recorded most often; the birthday itself counts
  CHECK(f.at("p2", "age") == 11);  // 12 the day after
  CHECK(f.at("p3", "age") == 9);
  CHECK(std::isnan(f.at("p5", "age")));
  CHECK(f.at("p1", "band") == 5);
  CHECK(f.at("p2", "band") == 2);
  CHECK(f.at("p1", "female") == 0);  // M three times, F once
  CHECK(f.at("p2", "female") == 1);
}

TEST_CASE("features.compute: family roll-ups over the members known on the date") {
  Fixture f;
  for (const char* p : {"p1", "p2", "p3", "p5"}) {
    CHECK(f.at(p, "members") == 4);   // p4 is not known yet
    CHECK(f.at(p, "adults") == 1);    // p1 by age (p4, an adult, is not known yet)
    CHECK(f.at(p, "children") == 3);  // p2 and p3 by age, p5 by the households file
    CHECK(f.at(p, "adult_da") == 1);
    CHECK(f.at(p, "child_cpp") == 1);
    CHECK(f.at(p, "child_lac") == 0);
    CHECK(f.at(p, "max_days_since") == 31);  // p2's notification on 2024-03-01
    CHECK(f.at(p, "sum_da") == 5);
    CHECK(f.at(p, "problems") == 2);
    CHECK(f.at(p, "eligible") == 1);
  }
  const FeatureTable fam = compute(f.set, f.store, {kAsOf}, Level::family);
  CHECK(fam.ids == std::vector<std::string>{"h1"});
  CHECK(fam.columns.size() == 11);
  CHECK(fam.values(0, 0) == 1);
}

TEST_CASE("features.compute: several dates, person_row, blocks, threads and errors") {
  Fixture f;
  const std::vector<Date> dates{*parse_date("2023-06-01"), kAsOf, *parse_date("2024-07-01")};
  const FeatureTable one = compute(f.set, f.store, dates, Level::person, {1, 2, {}, {}});
  const FeatureTable two = compute(f.set, f.store, dates, Level::person, {2, 1, {}, {}});
  CHECK(one.ids == two.ids);
  REQUIRE(one.values.size() == two.values.size());  // identical bits for any thread count and block size
  CHECK(std::memcmp(one.values.data(), two.values.data(), sizeof(float) * static_cast<std::size_t>(one.values.size())) == 0);
  CHECK(one.ids == std::vector<std::string>{"p1", "p2", "p1", "p2", "p3", "p5", "p1", "p2", "p3", "p4", "p5"});
  const std::vector<float> row = person_row(f.set, f.store, 1, kAsOf);  // p2
  for (std::size_t j = 0; j < f.set.size(); ++j) {
    const float t = f.table.values(1, static_cast<Index>(j));
    CHECK_MESSAGE(((std::isnan(row[j]) && std::isnan(t)) || row[j] == t), f.set.features()[j].name);
  }
  CHECK(parse_as_of("2024-04-01, 2024-10-01").size() == 2);
  CHECK_THROWS_WITH_AS(parse_as_of("2024-13-01"), doctest::Contains("as_of: '2024-13-01' is not a date"), InvalidArgument);
  CHECK_THROWS_AS(compute(f.set, f.store, {}, Level::person), InvalidArgument);
}

TEST_CASE("features.compute over several levels: each table as computed alone, progress per level") {
  Fixture f;
  const std::vector<Date> dates{*parse_date("2023-06-01"), kAsOf, *parse_date("2024-07-01")};
  std::vector<std::string> stages;
  ComputeOptions co{2, 2, {}, {}};
  co.progress = [&](std::string_view stage, std::uint64_t done, std::uint64_t) {
    if (done == 0) stages.emplace_back(stage);
  };
  const std::vector<FeatureTable> both = compute(f.set, f.store, dates, {Level::family, Level::person}, co);
  CHECK(stages == std::vector<std::string>{"family features", "person features"});
  REQUIRE(both.size() == 2);
  for (const FeatureTable& t : both) {
    const FeatureTable alone = compute(f.set, f.store, dates, t.level, {1, 3, {}, {}});
    CHECK(t.ids == alone.ids);
    CHECK(t.columns == alone.columns);
    CHECK(t.as_of == alone.as_of);
    REQUIRE(t.values.size() == alone.values.size());  // the same bits, NaN included
    CHECK(std::memcmp(t.values.data(), alone.values.data(), sizeof(float) * static_cast<std::size_t>(t.values.size())) == 0);
  }
  CHECK(both[0].level == Level::family);
  CHECK(both[1].ids.size() == 11);
  std::vector<Level> seen;
  compute_blocks(f.set, f.store, {kAsOf}, {Level::person, Level::family}, [&](const FeatureBlock& b) {
    if (seen.empty() || seen.back() != b.level) seen.push_back(b.level);
  });
  CHECK(seen == std::vector<Level>{Level::person, Level::family});  // levels in the order asked, per date
  CHECK_THROWS_WITH_AS(compute(f.set, f.store, {kAsOf}, {Level::person, Level::person}),
                       doctest::Contains("level person is asked twice"), InvalidArgument);
  CHECK_THROWS_AS(compute(f.set, f.store, {kAsOf}, std::vector<Level>{}), InvalidArgument);
}

TEST_CASE("features.compute with only: the features asked for and what they read as in full, every other column NaN") {
  Fixture f;
  const std::vector<Date> dates{kAsOf, *parse_date("2024-07-01")};
  // A family roll-up of a person feature: asking for it needs its member feature too.
  const auto& feats = f.set.features();
  const auto rollup = std::find_if(feats.begin(), feats.end(), [](const FeatureDef& d) {
    return d.level == Level::family && d.kind == Kind::rollup && d.plan.of.has_value();
  });
  REQUIRE(rollup != feats.end());
  const std::string member = feats[*rollup->plan.of].name;
  ComputeOptions co{2, 3, {}, {}};
  co.only = needed_features(f.set, {rollup->name});
  CHECK(co.only[*f.set.find(member)] == 1);
  const std::size_t wanted = static_cast<std::size_t>(std::count(co.only.begin(), co.only.end(), 1));
  CHECK(wanted < feats.size());
  const std::vector<FeatureTable> part = compute(f.set, f.store, dates, {Level::family, Level::person}, co);
  const std::vector<FeatureTable> full = compute(f.set, f.store, dates, {Level::family, Level::person});
  for (std::size_t t = 0; t < 2; ++t) {
    REQUIRE(part[t].ids == full[t].ids);
    REQUIRE(part[t].columns == full[t].columns);
    for (std::size_t c = 0; c < part[t].columns.size(); ++c) {
      const bool asked = co.only[*f.set.find(part[t].columns[c])] != 0;
      for (Index r = 0; r < part[t].values.rows(); ++r) {
        const float a = part[t].values(r, static_cast<Index>(c)), b = full[t].values(r, static_cast<Index>(c));
        if (asked) CHECK(std::memcmp(&a, &b, sizeof a) == 0);
        else CHECK(std::isnan(a));
      }
    }
  }
  CHECK_THROWS_WITH_AS(needed_features(f.set, {"no_such_feature"}), doctest::Contains("no_such_feature"), InvalidArgument);
}

TEST_CASE("features.csv: the file is the same for any block size and thread count (blocks written in the background)") {
  Fixture f;
  const std::vector<Date> dates{*parse_date("2023-06-01"), kAsOf, *parse_date("2024-07-01")};
  const auto write = [&](const std::string& name, ComputeOptions co) {
    const std::string path = f.dir.path(name);
    FeatureCsvWriter w(path, Level::person, f.set.column_names(Level::person), co.n_threads);
    compute_blocks(f.set, f.store, dates, Level::person, [&](const FeatureBlock& b) { w.write(b, f.store); }, co);
    CHECK(w.rows() == 11);
    CHECK_FALSE(std::filesystem::exists(path));  // only <path>.part until close()
    w.close();
    CHECK_FALSE(std::filesystem::exists(path + ".part"));
    return eh_test::slurp(path);
  };
  const std::string one_block = write("a.csv", {1, 65536, {}, {}});
  const std::string row_blocks = write("b.csv", {2, 1, {}, {}});  // eleven blocks, each formatted while the last is written
  CHECK(one_block == row_blocks);
  // header and one line per row, in the table's order
  CHECK(std::count(one_block.begin(), one_block.end(), '\n') == 12);
  CHECK(one_block.rfind("person_id,as_of,da_90d,", 0) == 0);
  CHECK(one_block.find("\np1,2023-06-01,") < one_block.find("\np2,2023-06-01,"));
  CHECK(one_block.find("\np2,2023-06-01,") < one_block.find("\np1,2024-04-01,"));
  CHECK(one_block.find("\np5,2024-07-01,") != std::string::npos);
}

}  // TEST_SUITE
