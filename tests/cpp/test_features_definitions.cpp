// SPDX-License-Identifier: Apache-2.0
// Feature definitions: the built-in set loads, and every kind of error names the file, the JSON
// path and what was expected.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <ostream>
#include <set>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::features;

namespace {

// A valid file; each bad case below changes one thing in it.
const char* const good = R"({
  "name": "test features",
  "streams": {"social_care_episodes": {"end_field": "end_date"}},
  "features": [
    {"name": "da_90d", "kind": "count", "stream": "police_domestic_abuse", "window_days": 90,
     "where": {"risk_level": ["high"], "crime_flag": true}, "description": "d", "template": "{value} notification{s}"},
    {"name": "arrears", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "function": "last",
     "description": "d", "template": "{value} owed"},
    {"name": "attendance", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended",
     "denominator": "sessions_possible", "events": 3, "description": "d", "template": "{value}"},
    {"name": "cpp", "kind": "state", "stream": "social_care_episodes", "where": {"episode_type": ["cpp"]},
     "description": "d", "template": "{value}"},
    {"name": "age", "kind": "attribute", "attribute": "age", "description": "d", "template": "aged {value}"},
    {"name": "any_adult_da", "kind": "rollup", "rollup": "any_adult", "of": "da_90d", "template": "{value}",
     "description": "d"},
    {"name": "flag", "kind": "rule", "any": [{"feature": "da_90d", "op": ">=", "value": 1}], "description": "d",
     "template": "{value}"}
  ]
})";

// A part of an error message (doctest's Contains matches exceptions, these are strings).
struct Has {
  std::string part;
};
bool operator==(const std::string& text, const Has& h) { return text.find(h.part) != std::string::npos; }
std::ostream& operator<<(std::ostream& os, const Has& h) { return os << "... " << h.part << " ..."; }

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE_MESSAGE(pos != std::string::npos, "test setup: '" << from << "' not in the definitions");
  text.replace(pos, from.size(), to);
  return text;
}

std::string load_error(const std::string& text) {
  try {
    FeatureSet::from_json(text, schema::Schema::builtin(), "my.features.json");
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "(no error)";
}

// Loads `good` with one change and returns the error.
std::string bad(const std::string& from, const std::string& to) { return load_error(replace(good, from, to)); }

}  // namespace

TEST_SUITE("features") {

TEST_CASE("features.definitions: the good file loads and keeps its order and levels") {
  const FeatureSet set = FeatureSet::from_json(good, schema::Schema::builtin(), "my.features.json");
  REQUIRE(set.size() == 7);
  CHECK(set.features()[0].name == "da_90d");
  CHECK(set.features()[0].format == Format::integer);
  CHECK(set.features()[1].format == Format::gbp);  // the field's unit is GBP
  CHECK(set.features()[2].format == Format::percent);
  CHECK(set.features()[5].level == Level::family);
  CHECK(set.column_names(Level::family) == std::vector<std::string>{"any_adult_da"});
  CHECK(set.column_names(Level::person).size() == 7);
  CHECK(set.features()[3].plan.measure.end_field.has_value());
  CHECK(set.features()[0].label == "da 90d");  // no label: the name in words
}

TEST_CASE("features.definitions: the built-in set loads, about a hundred features, each described") {
  const FeatureSet set = FeatureSet::builtin();
  CHECK(set.size() >= 100);
  std::set<std::string> domains;
  for (const auto& f : set.features()) {
    CHECK_MESSAGE(f.description.size() > 20, f.name);
    CHECK_MESSAGE(!f.template_text.empty(), f.name);
    CHECK_MESSAGE(!f.domains.empty(), f.name);
    domains.insert(f.domains.begin(), f.domains.end());
  }
  CHECK(domains == std::set<std::string>{"asb", "debt", "homelessness", "safeguarding", "troubled_families"});
  for (const char* name : {"tf_crime_asb", "tf_education", "tf_children_need_help", "tf_worklessness",
                           "tf_domestic_abuse", "tf_health", "tf_headline_problems"}) {
    const auto j = set.find(name);
    REQUIRE_MESSAGE(j.has_value(), name);
    CHECK(set.features()[*j].level == Level::family);
  }
  CHECK(set.to_text().find("tf_headline_problems") != std::string::npos);
  CHECK(set.to_markdown().rfind("| name | level | kind | domains | description |", 0) == 0);
}

TEST_CASE("features.definitions: syntax and top-level errors") {
  CHECK(load_error("{\"name\": \"x\",\n \"features\": [}") ==
        Has{"my.features.json: JSON syntax error at line 2, column 15"});
  CHECK(load_error(R"({"name": "x", "name": "y", "features": []})") ==
        Has{"my.features.json: name: duplicate key"});
  CHECK(load_error(R"({"name": "x"})") == Has{"my.features.json: (top level): missing required key \"features\""});
  CHECK(load_error(R"({"name": "x", "features": []})") ==
        Has{"features: expected a non-empty list of features; got an empty list []"});
  CHECK(load_error(R"({"name": "x", "feature": []})") ==
        Has{"feature: unknown key (did you mean \"features\"?)"});
  CHECK(load_error(R"({"name": "x", "features": [3]})") == Has{"features[0]: expected an object; got 3"});
  CHECK(bad("\"social_care_episodes\": {\"end_field\"", "\"social_care_episode\": {\"end_field\"") ==
        Has{"streams.social_care_episode: expected the name of a stream of the schema \"council\" "
                          "(did you mean \"social_care_episodes\"?)"});
  CHECK(bad("{\"end_field\": \"end_date\"}", "{\"end_field\": \"category_of_need\"}") ==
        Has{"streams.social_care_episodes.end_field: expected a date field other than the event date"});
  CHECK(bad("{\"end_field\": \"end_date\"}", "{\"end_field\": \"start_date\"}") ==
        Has{"streams.social_care_episodes.end_field: expected a date field other than the event date"});
}

TEST_CASE("features.definitions: errors in the keys every feature has") {
  CHECK(bad("\"name\": \"da_90d\", \"kind\": \"count\"", "\"name\": \"da_90d\", \"kind\": \"cout\"") ==
        Has{"features[0].kind: expected one of count, aggregate"});
  CHECK(bad("\"name\": \"da_90d\", \"kind\": \"count\",", "\"name\": \"da_90d\",") ==
        Has{"my.features.json: features[0]: missing required key \"kind\""});
  CHECK(bad("\"window_days\": 90,", "\"windows_days\": 90,") ==
        Has{"features[0].windows_days: unknown key (did you mean \"window_days\"?)"});
  CHECK(bad("\"name\": \"da_90d\"", "\"name\": \"DA 90d\"") ==
        Has{"features[0].name: expected a snake_case name"});
  CHECK(bad("\"name\": \"arrears\"", "\"name\": \"da_90d\"") ==
        Has{"features[1].name: expected a unique feature name; got \"da_90d\" again"});
  CHECK(bad("\"description\": \"d\", \"template\": \"{value} owed\"", "\"template\": \"{value} owed\"") ==
        Has{"features[1]: missing required key \"description\""});
  CHECK(bad("\"template\": \"{value} owed\"", "\"template\": \"{value} owed\", \"domains\": [\"debts\"]") ==
        Has{"features[1].domains[0]: expected one of safeguarding, homelessness, asb, debt, "
                          "troubled_families; got \"debts\" (did you mean \"debt\"?)"});
  CHECK(bad("\"template\": \"{value} owed\"", "\"template\": \"{value} owed\", \"format\": \"band\"") ==
        Has{"features[1].format: expected \"band\" only on an age band"});
  CHECK(bad("\"template\": \"{value} owed\"", "\"template\": \"{value} owed\", \"format\": \"pounds\"") ==
        Has{"features[1].format: expected one of integer, number, percent"});
}

TEST_CASE("features.definitions: streams, fields and filters are checked against the schema") {
  CHECK(bad("\"stream\": \"police_domestic_abuse\"", "\"stream\": \"police_domestic_abus\"") ==
        Has{"features[0].stream: expected the name of a stream of the schema \"council\"; got "
                          "\"police_domestic_abus\" (did you mean \"police_domestic_abuse\"?)"});
  CHECK(bad("\"risk_level\": [\"high\"]", "\"risk_levels\": [\"high\"]") ==
        Has{"features[0].where.risk_levels: expected a field of stream \"police_domestic_abuse\""});
  CHECK(bad("\"risk_level\": [\"high\"]", "\"risk_level\": [\"hihg\"]") ==
        Has{"features[0].where.risk_level[0]: expected one of standard, medium, high (the categories "
                          "of police_domestic_abuse.risk_level); got \"hihg\" (did you mean \"high\"?)"});
  CHECK(bad("\"risk_level\": [\"high\"]", "\"risk_level\": \"high\"") ==
        Has{"features[0].where.risk_level: expected a non-empty list of categories"});
  CHECK(bad("\"crime_flag\": true", "\"crime_flag\": \"yes\"") ==
        Has{"features[0].where.crime_flag: expected true or false"});
  CHECK(bad("\"crime_flag\": true", "\"postcode\": [\"AB1 2CD\"]") ==
        Has{"features[0].where.postcode: expected a category, boolean, integer or float field to "
                          "filter on; police_domestic_abuse.postcode is text"});
  CHECK(bad("\"denominator\": \"sessions_possible\"", "\"denominator\": \"sessions_possible\", \"where\": "
                                                      "{\"sessions_possible\": {\"=>\": 10}}") ==
        Has{"features[2].where.sessions_possible.=>: expected an operator, one of <, <=, >, >=, ==, !="});
  CHECK(bad("\"denominator\": \"sessions_possible\"", "\"denominator\": \"sessions_possible\", \"where\": "
                                                      "{\"sessions_possible\": 10}") ==
        Has{"features[2].where.sessions_possible: expected an object of comparisons"});
  CHECK(bad("\"field\": \"arrears_gbp\"", "\"field\": \"band\"") ==
        Has{"features[1].field: expected a numeric field (integer, float or boolean) of stream "
                          "\"council_tax\"; got \"band\" (category)"});
  CHECK(bad("\"function\": \"last\"", "\"function\": \"latest\"") ==
        Has{"features[1].function: expected one of sum, mean, min, max, first, last"});
  CHECK(bad("\"numerator\": \"sessions_attended\"", "\"numerator\": \"sessions_atended\"") ==
        Has{"features[2].numerator: expected a field of stream \"school_attendance\""});
  CHECK(bad("\"window_days\": 90", "\"window_days\": 0") ==
        Has{"features[0].window_days: expected a whole number from 1 to 36500; got 0"});
  CHECK(bad("\"window_days\": 90", "\"window_days\": 90.5") ==
        Has{"features[0].window_days: expected a whole number from 1 to 36500; got 90.5"});
  CHECK(bad("\"events\": 3,", "\"offset_events\": 3,") ==
        Has{"features[2].offset_events: expected \"events\" with \"offset_events\""});
  CHECK(bad("\"window_days\": 90,", "\"window_days\": 90, \"undated\": true,") ==
        Has{"features[0].undated: expected no \"undated\": true with a window"});
  CHECK(bad("\"function\": \"last\",", "\"function\": \"last\", \"latest_per\": \"snapshot_date\",") ==
        Has{"features[1].latest_per: expected a field whose values identify something"});
  CHECK(bad("\"where\": {\"episode_type\": [\"cpp\"]},", "\"where\": {\"episode_type\": [\"cpp\"]}, \"window_days\": 30,") ==
        Has{"features[3].window_days: expected no window on an episode stream"});
}

TEST_CASE("features.definitions: kind-specific errors") {
  auto with = [&](const std::string& feature) { return bad(R"({"name": "flag", "kind": "rule")", feature + R"(, {"name": "flag", "kind": "rule")"); };
  CHECK(with(R"({"name": "t", "kind": "trend", "stream": "health_ae", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: expected \"window_days\" or \"events\" (a trend compares"});
  CHECK(with(R"({"name": "t", "kind": "trend", "stream": "school_attendance", "window_days": 90, "events": 3, "numerator": "sessions_attended", "denominator": "sessions_possible", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: expected either \"window_days\" or \"events\", not both"});
  CHECK(with(R"({"name": "c", "kind": "change", "stream": "health_ae", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"change\""});
  CHECK(with(R"({"name": "c", "kind": "change", "change": "first_ever", "stream": "health_ae", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"window_days\""});
  CHECK(with(R"({"name": "c", "kind": "change", "change": "changed", "stream": "council_tax", "window_days": 90, "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"field\" (the value that changes"});
  CHECK(with(R"({"name": "c", "kind": "change", "change": "doubled", "stream": "council_tax", "field": "arrears_gbp", "function": "sum", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"lookback_days\""});
  CHECK(with(R"({"name": "c", "kind": "change", "change": "doubled", "stream": "council_tax", "field": "arrears_gbp", "function": "sum", "lookback_days": 90, "factor": 1, "description": "d", "template": "{value}"})") ==
        Has{"features[6].factor: expected a number above 1; got 1"});
  CHECK(with(R"({"name": "c", "kind": "change", "change": "first_ever", "window_days": 30, "factor": 3, "stream": "health_ae", "description": "d", "template": "{value}"})") ==
        Has{"features[6].factor: expected no \"factor\" for change \"first_ever\""});
  CHECK(with(R"({"name": "a", "kind": "attribute", "attribute": "height", "description": "d", "template": "{value}"})") ==
        Has{"features[6].attribute: expected one of age, age_band, sex"});
  CHECK(with(R"({"name": "a", "kind": "attribute", "attribute": "age_band", "bands": [10, 5], "description": "d", "template": "{value}"})") ==
        Has{"features[6].bands[1]: expected ages in increasing order; got 5 after 10"});
  CHECK(with(R"({"name": "a", "kind": "attribute", "attribute": "sex", "equals": "female", "description": "d", "template": "{value}"})") ==
        Has{"features[6].equals: expected one of F, M, U (the categories of the sex fields); got \"female\""});
  CHECK(with(R"({"name": "r", "kind": "rollup", "rollup": "max", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"of\" (the person feature to take the max of)"});
  CHECK(with(R"({"name": "r", "kind": "rollup", "rollup": "max", "of": "any_adult_da", "description": "d", "template": "{value}"})") ==
        Has{"features[6].of: expected a person-level feature to roll up over the members; got "
                          "\"any_adult_da\" (family level)"});
  CHECK(with(R"({"name": "r", "kind": "rollup", "rollup": "max", "of": "later", "description": "d", "template": "{value}"})") ==
        Has{"features[6].of: expected the name of a feature defined above this one; got \"later\""});
  CHECK(with(R"({"name": "n", "kind": "count_true", "features": ["da_90d", "any_adult_da"], "description": "d", "template": "{value}"})") ==
        Has{"features[6].features[1]: expected a person-level feature like the others; got "
                          "\"any_adult_da\" (family level)"});
  CHECK(with(R"({"name": "n", "kind": "rule", "any": [], "all": [], "description": "d", "template": "{value}"})") ==
        Has{"features[6]: expected exactly one of \"any\" or \"all\""});
  CHECK(with(R"({"name": "n", "kind": "rule", "any": [{"feature": "age", "op": "=", "value": 3}], "description": "d", "template": "{value}"})") ==
        Has{"features[6].any[0].op: expected an operator, one of <, <=, >, >=, ==, !=; got \"=\""});
  CHECK(with(R"({"name": "n", "kind": "rule", "any": [{"all": [{"feature": "aeg", "op": ">", "value": 3}]}], "description": "d", "template": "{value}"})") ==
        Has{"features[6].any[0].all[0].feature: expected the name of a feature defined above this "
                          "one; got \"aeg\" (did you mean \"age\"?)"});
  CHECK(with(R"({"name": "n", "kind": "rule", "all": [{"feature": "age", "value": 3}], "description": "d", "template": "{value}"})") ==
        Has{"features[6].all[0]: missing required key \"op\""});
  // count, aggregate, days_since, ratio, trend: their own keys and values
  CHECK(with(R"({"name": "n", "kind": "count", "stream": "health_ae", "function": "sum", "description": "d", "template": "{value}"})") ==
        Has{"features[6].function: unknown key; expected one of name, kind, label, description, template, format, "
            "domains, alerting, stream, where, window_days, undated, missing"});
  CHECK(with(R"({"name": "n", "kind": "count", "stream": "health_ae", "missing": "ignore", "description": "d", "template": "{value}"})") ==
        Has{"features[6].missing: expected one of propagate, zero, skip; got \"ignore\""});
  CHECK(with(R"({"name": "n", "kind": "aggregate", "stream": "council_tax", "field": "arrears_gbp", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"function\""});
  CHECK(with(R"({"name": "n", "kind": "days_since", "stream": "health_ae", "from": "latest", "description": "d", "template": "{value}"})") ==
        Has{"features[6].from: expected one of last, first; got \"latest\" (did you mean \"last\"?)"});
  CHECK(with(R"({"name": "n", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "events": 3, "description": "d", "template": "{value}"})") ==
        Has{"features[6]: missing required key \"denominator\""});
  CHECK(with(R"({"name": "n", "kind": "ratio", "stream": "school_attendance", "numerator": "sessions_attended", "denominator": "sessions_possible", "events": 3, "per_event": "mean", "description": "d", "template": "{value}"})") ==
        Has{"features[6].per_event: expected one of min, max; got \"mean\""});
  CHECK(with(R"({"name": "n", "kind": "trend", "stream": "health_ae", "window_days": 90, "compare": "percent", "description": "d", "template": "{value}"})") ==
        Has{"features[6].compare: expected one of difference, ratio; got \"percent\""});
  CHECK(with(R"({"name": "n", "kind": "state", "stream": "social_care_episodes", "undated": "yes", "description": "d", "template": "{value}"})") ==
        Has{"features[6].undated: expected true or false; got \"yes\""});
  CHECK(with(R"({"name": "n", "kind": "change", "change": "new", "stream": "health_ae", "window_days": 90, "lookback_days": -3, "description": "d", "template": "{value}"})") ==
        Has{"features[6].lookback_days: expected a whole number from 1 to 36500; got -3"});
  CHECK(with(R"({"name": "n", "kind": "rollup", "rollup": "most", "of": "da_90d", "description": "d", "template": "{value}"})") ==
        Has{"features[6].rollup: expected one of any_adult, any_child, any_member, count_adults"});
  CHECK(with(R"({"name": "n", "kind": "count_true", "features": [], "description": "d", "template": "{value}"})") ==
        Has{"features[6].features: expected a non-empty list of feature names; got an empty list []"});
}

TEST_CASE("features.definitions: records count several streams, checked against the schema") {
  auto with = [&](const std::string& feature) { return bad(R"({"name": "flag", "kind": "rule")", feature + R"(, {"name": "flag", "kind": "rule")"); };
  const FeatureSet set = FeatureSet::from_json(
      replace(good, R"({"name": "flag", "kind": "rule")",
              R"({"name": "r", "kind": "records", "excluded_streams": ["council_tax", "person_register"], "window_days": 365, "description": "d", "template": "{value}"}, {"name": "flag", "kind": "rule")"),
      schema::Schema::builtin(), "my.features.json");
  const FeatureDef& r = set.features()[6];
  CHECK(r.format == Format::integer);
  CHECK(r.stream.empty());
  CHECK(r.streams.size() == schema::Schema::builtin().streams.size() - 2);
  CHECK(std::find(r.streams.begin(), r.streams.end(), "council_tax") == r.streams.end());
  CHECK(std::find(r.streams.begin(), r.streams.end(), "health_ae") != r.streams.end());
  CHECK(with(R"({"name": "r", "kind": "records", "description": "d", "template": "{value}"})") ==
        Has{"features[6]: expected exactly one of \"window_days\" or \"window_months\""});
  CHECK(with(R"({"name": "r", "kind": "records", "window_days": 30, "excluded_streams": ["counciltax"], "description": "d", "template": "{value}"})") ==
        Has{"features[6].excluded_streams[0]: expected the name of a stream of the schema \"council\"; got \"counciltax\" (did you mean \"council_tax\"?)"});
  CHECK(with(R"({"name": "r", "kind": "records", "window_days": 30, "streams": ["health_ae"], "excluded_streams": ["health_ae"], "description": "d", "template": "{value}"})") ==
        Has{"features[6]: expected at least one stream to count"});
  CHECK(with(R"({"name": "r", "kind": "records", "window_days": 30, "stream": "health_ae", "description": "d", "template": "{value}"})") ==
        Has{"features[6].stream: unknown key"});
}

TEST_CASE("features.definitions: template errors name the template and what was expected") {
  CHECK(bad("\"{value} owed\"", "\"{valeu} owed\"") ==
        Has{"features[1].template: expected {value}, {value:abs}, {s}, {sign:...} or the name of a "
                          "feature of this file in braces; got {valeu}"});
  CHECK(bad("\"{value} owed\"", "\"{value owed\"") ==
        Has{"features[1].template: expected a '}' closing the placeholder opened at character 1"});
  CHECK(bad("\"{value} owed\"", "\"{value} owed}\"") ==
        Has{"features[1].template: expected '}' to be written '}}' outside a placeholder"});
  CHECK(bad("\"{value} owed\"", "\"{sign:up} owed\"") ==
        Has{"features[1].template: expected {sign:rising|falling} or {sign:rising|falling|unchanged}"});
  CHECK(bad("\"{value} owed\"", "\"{value:pct} owed\"") ==
        Has{"features[1].template: expected {value} or {value:abs}; got {value:pct}"});
  // A family feature's sentence can name only family features (a family row has no person values).
  CHECK(bad("\"of\": \"da_90d\", \"template\": \"{value}\"", "\"of\": \"da_90d\", \"template\": \"{value} ({da_90d})\"") ==
        Has{"features[5].template: expected only family-level features in a family feature's "
                          "template; \"da_90d\" is a person feature"});
}

TEST_CASE("features.definitions: templates fill values in their formats") {
  const FeatureSet set = FeatureSet::builtin();
  std::vector<float> row(set.size(), std::numeric_limits<float>::quiet_NaN());
  auto at = [&](const char* name) -> float& { return row[*set.find(name)]; };
  at("attendance_prev3_terms") = 0.96f;
  at("attendance_last3_terms") = 0.81f;
  at("attendance_trend_3terms") = 0.81f - 0.96f;
  CHECK(set.describe(*set.find("attendance_trend_3terms"), row.data()) ==
        "school attendance fell from 96% to 81% over the last three terms");
  at("da_notifications_90d") = 1;
  CHECK(set.describe(*set.find("da_notifications_90d"), row.data()) ==
        "1 police domestic-abuse notification in the last 90 days");
  at("da_notifications_90d") = 3;
  CHECK(set.describe(*set.find("da_notifications_90d"), row.data()) ==
        "3 police domestic-abuse notifications in the last 90 days");
  at("da_trend_90d") = -2;
  CHECK(set.describe(*set.find("da_trend_90d"), row.data()) ==
        "2 fewer domestic-abuse notifications in the last 90 days than in the 90 days before");
  at("ct_arrears") = 1234.4f;
  CHECK(set.describe(*set.find("ct_arrears"), row.data()) == "£1,234 council tax arrears");
  at("open_cpp") = 1;
  CHECK(set.describe(*set.find("open_cpp"), row.data()) == "an open child protection plan: yes");
  at("age_band") = 2;
  CHECK(set.describe(*set.find("age_band"), row.data()) == "aged 10 to 15");
  CHECK(set.format_value(*set.find("age_band"), 0) == "under 5");
  CHECK(set.format_value(*set.find("age_band"), 6) == "65 and over");
  CHECK(set.format_value(*set.find("attendance_trend_3terms"), 0.01) == "1 percentage point");
  CHECK(set.describe(*set.find("offences_365d"), row.data()) == "Offences, 1 year: not known");
}

TEST_CASE("features.definitions: a schema stream without an event date cannot feed a feature") {
  schema::Schema s = schema::Schema::builtin();
  s.streams[0].event_date_field.clear();  // person_register
  CHECK_THROWS_WITH_AS(
      FeatureSet::from_json(R"({"name": "x", "features": [{"name": "r", "kind": "count", "stream": "person_register",
        "description": "d", "template": "{value}"}]})", s, "x.json"),
      doctest::Contains("x.json: features[0].stream: expected a stream with an event_date_field"), SchemaError);
  CHECK(parse_level("family") == Level::family);
  CHECK_THROWS_AS(parse_level("household"), InvalidArgument);
}

}  // TEST_SUITE
