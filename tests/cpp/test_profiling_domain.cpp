// SPDX-License-Identifier: Apache-2.0
// Risk domains: the four built-in configurations, populations on the date and outcomes derived
// from later events on hand-built cases (the horizon's edges, filters, families), and the
// training table's guards (evaluation overlap, outcomes not yet known, a stream not read).
#include "features_test_data.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/domain.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::profiling;
using eh_test::Row;

namespace {

const Date kAsOf = *parse_date("2024-04-01");  // 9 months: to 2024-12-31; 6 months: to 2024-09-30

Row reg(const std::string& person, const std::string& dob) {
  return Row{person, {{"dob", dob}, {"start_date", "2020-01-01"}}};
}
Row episode(const std::string& person, const std::string& type, const std::string& start, const std::string& end = "") {
  return Row{person, {{"episode_type", type}, {"start_date", start}, {"end_date", end}, {"dob", "2015-01-01"}}};
}

void write_council(eh_test::CouncilDir& c) {
  c.stream("person_register", {reg("k1", "2015-01-01"), reg("k2", "2015-01-01"), reg("k3", "2015-01-01"),
                               reg("k4", "2015-01-01"), reg("k5", "2015-01-01"), reg("k6", "2015-01-01"),
                               reg("a1", "1980-01-01"), reg("a2", "1980-01-01"), reg("a3", "1980-01-01"),
                               reg("a4", "1980-01-01"), reg("y9", "2015-01-01"), reg("y12", "2012-01-01")});
  c.stream("social_care_episodes",
           {episode("k1", "cin", "2024-06-01"),                 // inside the horizon: 1
            episode("k2", "cin", "2025-02-01"),                 // after it: 0
            episode("k3", "cpp", "2023-01-01"),                 // open on the date: not in the population
            episode("k3", "lac", "2024-05-01"),
            episode("k4", "cpp", "2024-12-31"),                 // the horizon's last day: 1
            episode("k5", "lac", "2025-01-01"),                 // the day after it: 0
            episode("k6", "cin", "2022-01-01", "2022-06-01"),   // closed long ago, nothing new: 0
            episode("k6", "cin", "2024-04-01")});               // on the date itself: inside, 1
  c.stream("asb_incidents",
           {{"y12", {{"incident_date", "2024-05-01"}, {"role", "perpetrator"}}},   // 1
            {"y9", {{"incident_date", "2024-05-01"}, {"role", "perpetrator"}}},    // under 10: not scored
            {"a1", {{"incident_date", "2024-05-01"}, {"role", "victim"}}},         // a victim: 0
            {"a2", {{"incident_date", "2024-10-01"}, {"role", "perpetrator"}}}});  // after 6 months: 0
  c.stream("council_tax",
           {{"a1", {{"account_ref", "C1"}, {"snapshot_date", "2024-01-01"}, {"arrears_gbp", "300"}, {"recovery_stage", "summons"}}},
            {"a1", {{"account_ref", "C1"}, {"snapshot_date", "2024-07-01"}, {"arrears_gbp", "400"}, {"recovery_stage", "liability_order"}}},
            {"a2", {{"account_ref", "C2"}, {"snapshot_date", "2024-01-01"}, {"arrears_gbp", "300"}, {"recovery_stage", "liability_order"}}},
            {"a2", {{"account_ref", "C2"}, {"snapshot_date", "2024-07-01"}, {"arrears_gbp", "300"}, {"recovery_stage", "enforcement_agent"}}},
            {"a3", {{"account_ref", "C3"}, {"snapshot_date", "2024-07-01"}, {"arrears_gbp", "50"}, {"recovery_stage", "reminder"}}}});
  c.stream("rent_arrears",
           {{"a4", {{"tenancy_ref", "T4"}, {"snapshot_date", "2024-08-01"}, {"balance_gbp", "900"}, {"recovery_action", "court"}}}});
  c.stream("homelessness_applications",
           {{"a1", {{"approach_date", "2024-05-01"}, {"duty_owed", "prevention"}, {"dob", "1980-01-01"}}},
            {"a3", {{"approach_date", "2024-05-01"}, {"duty_owed", "none"}, {"dob", "1980-01-01"}}},
            {"a4", {{"approach_date", "2024-03-01"}, {"duty_owed", "relief"}, {"dob", "1980-01-01"}}}});  // before: 0
}

struct Fixture {
  eh_test::CouncilDir dir{"domain"};
  features::Linkage links{schema::Schema::builtin()};
  Fixture() {
    write_council(dir);
    links = features::read_persons_csv(dir.persons(), schema::Schema::builtin());
    features::read_households_csv(links, dir.households({{"a1", "h1", "adult"}, {"k1", "h1", "child"},
                                                         {"a3", "h3", "adult"}, {"k2", "h3", "child"},
                                                         {"a4", "h4", "adult"}}));
  }
  std::map<std::string, int> outcomes(const std::string& name, std::optional<Date> eval = std::nullopt) const {
    const Domain d = Domain::builtin(name);
    const auto store = features::load_events(d.feature_set(), dir.data(), links);
    const DomainTable t = training_table(d, store, {kAsOf}, eval);
    std::map<std::string, int> out;
    for (std::size_t i = 0; i < t.ids.size(); ++i) out[t.ids[i]] = t.outcome[i];
    return out;
  }
};

using M = std::map<std::string, int>;

}  // namespace

TEST_SUITE("profiling") {

TEST_CASE("profiling.domain: the four built-in domains") {
  CHECK(Domain::builtin_names() == std::vector<std::string>{"safeguarding", "homelessness", "asb", "debt"});
  const Domain s = Domain::builtin("safeguarding");
  CHECK(s.outcome().horizon_months == 9);
  CHECK(s.level() == features::Level::person);
  CHECK(s.horizon_end(kAsOf) == *parse_date("2025-01-01"));
  CHECK(Domain::builtin("homelessness").level() == features::Level::family);
  CHECK(Domain::builtin("asb").outcome().horizon_months == 6);
  CHECK(Domain::builtin("debt").outcome().events.size() == 2);
  for (const auto& name : Domain::builtin_names()) {
    const Domain d = Domain::builtin(name);
    CHECK(!d.features().empty());
    for (const auto& f : d.features()) CHECK(f.find("_outcome_") == std::string::npos);
  }
  CHECK_THROWS_WITH_AS(Domain::builtin("fraud"), doctest::Contains("safeguarding, homelessness, asb, debt"), InvalidArgument);
}

TEST_CASE("profiling.domain: safeguarding outcome: entry to CIN, CPP or LAC within 9 months") {
  const Fixture fx;
  const M y = fx.outcomes("safeguarding");
  CHECK(y == M{{"k1", 1}, {"k2", 0}, {"k4", 1}, {"k5", 0}, {"k6", 1}, {"y12", 0}, {"y9", 0}});  // k3 open: out
}

TEST_CASE("profiling.domain: asb outcome: perpetrator within 6 months, aged 10 or over") {
  const Fixture fx;
  const M y = fx.outcomes("asb");
  CHECK(y.at("y12") == 1);
  CHECK(y.count("y9") == 0);
  CHECK(y.at("a1") == 0);
  CHECK(y.at("a2") == 0);
  CHECK(y.count("k1") == 0);     // 9 years old
}

TEST_CASE("profiling.domain: debt outcome: a liability order or court action within 6 months") {
  const Fixture fx;
  const M y = fx.outcomes("debt");
  CHECK(y.at("a1") == 1);        // summons, then a liability order
  CHECK(y.count("a2") == 0);     // at a liability order already: not in the population
  CHECK(y.at("a3") == 0);        // a reminder only
  CHECK(y.at("a4") == 1);        // rent: court action
  CHECK(y.count("k1") == 0);     // children are not scored
}

TEST_CASE("profiling.domain: homelessness outcome: a household owed a duty within 6 months") {
  const Fixture fx;
  const M y = fx.outcomes("homelessness");
  CHECK(y == M{{"h1", 1}, {"h3", 0}, {"h4", 0}});
}

TEST_CASE("profiling.domain: training table over several dates, never into the evaluation period") {
  const Fixture fx;
  const Domain d = Domain::builtin("asb");
  const auto store = features::load_events(d.feature_set(), fx.dir.data(), fx.links);
  const std::vector<Date> dates{*parse_date("2023-10-01"), kAsOf};
  const DomainTable t = training_table(d, store, dates, *parse_date("2024-10-01"));
  CHECK(t.columns.size() == d.features().size() + 0);  // sex_female and age_band are features already
  CHECK(t.values.rows() == static_cast<Index>(t.ids.size()));
  CHECK(t.as_of.front() == dates[0]);
  CHECK(t.as_of.back() == kAsOf);
  CHECK_THROWS_WITH_AS(training_table(d, store, dates, *parse_date("2024-09-30")),
                       doctest::Contains("into the evaluation period starting 2024-09-30"), InvalidArgument);
  CHECK_THROWS_WITH_AS(training_table(d, store, {*parse_date("2024-09-01")}),
                       doctest::Contains("the outcome is not known yet"), InvalidArgument);
  CHECK_THROWS_AS(training_table(d, store, {}), InvalidArgument);
}

TEST_CASE("profiling.domain: a domain file, and its errors") {
  const char* json = R"({"name": "youth_crime", "level": "person", "population": "young",
    "features": ["offences_365d", "asb_perpetrator_365d"],
    "outcome": {"horizon_months": 3, "events": [{"stream": "asb_incidents", "where": {"role": ["perpetrator"]}}]},
    "definitions": [{"name": "young", "kind": "rule", "all": [{"feature": "age", "op": "<", "value": 18}],
                     "description": "Under 18.", "template": "{value}"}]})";
  const Domain d = Domain::from_json(json, schema::Schema::builtin(), "youth.json");
  CHECK(d.features() == std::vector<std::string>{"offences_365d", "asb_perpetrator_365d"});
  const Fixture fx;
  const auto store = features::load_events(d.feature_set(), fx.dir.data(), fx.links);
  const DomainTable t = training_table(d, store, {kAsOf});
  std::map<std::string, int> y;
  for (std::size_t i = 0; i < t.ids.size(); ++i) y[t.ids[i]] = t.outcome[i];
  CHECK(y.at("y12") == 1);  // May: inside a 3-month horizon from April
  const auto sch = schema::Schema::builtin();
  CHECK_THROWS_WITH_AS(Domain::from_json(R"({"name": "x", "population": "agee", "outcome": {"horizon_months": 3, "events": [{"stream": "asb_incidents"}]}})", sch, "x.json"),
                       doctest::Contains("x.json: population: expected a feature of a person table; got \"agee\" (did you mean \"age\"?)"),
                       SchemaError);
  CHECK_THROWS_WITH_AS(Domain::from_json(R"({"name": "x", "population": "age", "outcome": {"horizon_months": 0, "events": [{"stream": "asb_incidents"}]}})", sch, "x.json"),
                       doctest::Contains("outcome.horizon_months: expected a whole number of months from 1 to 120"), SchemaError);
  CHECK_THROWS_WITH_AS(Domain::from_json(R"({"name": "x", "population": "age", "outcome": {"horizon_months": 3, "events": [{"stream": "asb"}]}})", sch, "x.json"),
                       doctest::Contains("outcome.events[0].stream: expected a stream"), SchemaError);
}

TEST_CASE("profiling.domain: an outcome stream that was not read is an error, not zeros") {
  eh_test::CouncilDir dir("domain_nostream");
  dir.stream("person_register", {reg("y12", "2012-01-01")});
  dir.stream("youth_offending", {{"y12", {{"offence_date", "2025-01-01"}, {"dob", "2012-01-01"}}}});
  const auto links = features::read_persons_csv(dir.persons(), schema::Schema::builtin());
  const Domain d = Domain::builtin("asb");
  const auto store = features::load_events(d.feature_set(), dir.data(), links);
  CHECK_THROWS_WITH_AS(training_table(d, store, {kAsOf}), doctest::Contains("stream 'asb_incidents', which was not read"),
                       InvalidArgument);
}

}  // TEST_SUITE
