// SPDX-License-Identifier: Apache-2.0
// Troubled Families criteria on hand-built families: each headline problem alone, the rule of two,
// the evidence records, attendance distance travelled and to 90%, near misses, and a framework
// file with criteria of its own.
#include "features_test_data.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/profile.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::profiling;
using eh_test::Row;

namespace {

const Date kAsOf = *parse_date("2024-04-01");

Row term(const std::string& person, const std::string& id, const std::string& end, const std::string& attended) {
  return Row{person, {{"record_id", id}, {"term_end_date", end}, {"sessions_possible", "100"},
                      {"sessions_attended", attended}, {"dob", "2012-06-06"}}};
}

// h1: crime (a child's offence) and domestic abuse (an adult's notification): eligible.
// h2: education (attendance below 90% in each of the last three terms) and worklessness: eligible.
// h3: health only, and a child at 91-93% attendance: one short, a near miss.
// h4: a child in need only: not eligible, no attendance.
// h5: education by three suspensions, plus a permanent exclusion long ago that no longer counts;
//     worklessness by council tax owed on one of two accounts.
// Each family also has records that must not count (after the date, outside the window, or not
// matching the feature's filter).
void write_council(eh_test::CouncilDir& c) {
  c.stream("youth_offending",
           {{"c1", {{"record_id", "YO1"}, {"offence_date", "2024-01-10"}, {"dob", "2012-06-06"}}},
            {"c1", {{"record_id", "YO2"}, {"offence_date", "2022-01-10"}, {"dob", "2012-06-06"}}},    // > 365 days
            {"c1", {{"record_id", "YO3"}, {"offence_date", "2024-04-01"}, {"dob", "2012-06-06"}}}});  // on the date
  c.stream("police_domestic_abuse",
           {{"a1", {{"record_id", "DA1"}, {"incident_date", "2023-11-01"}, {"role", "victim"}}},
            {"a3", {{"record_id", "DA2"}, {"incident_date", "2024-06-01"}, {"role", "victim"}}}});  // after
  c.stream("school_attendance",
           {term("c2", "SA1", "2022-10-20", "95"), term("c2", "SA2", "2022-12-20", "95"), term("c2", "SA3", "2023-03-31", "95"),
            term("c2", "SA4", "2023-12-20", "85"), term("c2", "SA5", "2024-03-28", "80"), term("c2", "SA6", "2023-10-20", "88"),
            term("c3", "SA7", "2023-10-20", "92"), term("c3", "SA8", "2023-12-20", "91"), term("c3", "SA9", "2024-03-28", "93")});
  c.stream("dwp_benefits",
           {{"a2", {{"record_id", "DW1"}, {"snapshot_date", "2024-02-01"}, {"benefit_type", "uc"},
                    {"work_status", "out_of_work"}, {"dob", "1980-05-05"}}},
            {"a3", {{"record_id", "DW2"}, {"snapshot_date", "2024-02-01"}, {"benefit_type", "uc"},
                    {"work_status", "in_work"}, {"dob", "1981-05-05"}}}});  // in work: not worklessness
  c.stream("health_mental_health",
           {{"a3", {{"record_id", "MH1"}, {"contact_date", "2023-09-01"}, {"service", "adult_community"}, {"dob", "1981-05-05"}}}});
  c.stream("social_care_episodes",
           {{"c4", {{"record_id", "SC1"}, {"episode_type", "cin"}, {"start_date", "2024-01-05"}, {"dob", "2015-02-02"}}},
            {"c4", {{"record_id", "SC2"}, {"episode_type", "cin"}, {"start_date", "2021-01-05"}, {"end_date", "2021-06-01"},
                    {"dob", "2015-02-02"}}}});  // closed long ago
  c.stream("school_exclusions",
           {{"c5", {{"record_id", "EX1"}, {"start_date", "2023-10-01"}, {"category", "suspension"}, {"dob", "2011-01-01"}}},
            {"c5", {{"record_id", "EX2"}, {"start_date", "2023-11-01"}, {"category", "suspension"}, {"dob", "2011-01-01"}}},
            {"c5", {{"record_id", "EX3"}, {"start_date", "2024-02-01"}, {"category", "suspension"}, {"dob", "2011-01-01"}}},
            {"c5", {{"record_id", "EX4"}, {"start_date", "2021-02-01"}, {"category", "permanent_exclusion"}, {"dob", "2011-01-01"}}}});
  c.stream("council_tax",
           {{"a5", {{"record_id", "CT1"}, {"account_ref", "A1"}, {"snapshot_date", "2024-01-01"}, {"arrears_gbp", "120"}}},
            {"a5", {{"record_id", "CT2"}, {"account_ref", "A2"}, {"snapshot_date", "2024-01-01"}, {"arrears_gbp", "0"}}},
            {"a5", {{"record_id", "CT3"}, {"account_ref", "A1"}, {"snapshot_date", "2023-06-01"}, {"arrears_gbp", "80"}}}});
  c.stream("health_substance_misuse",
           {{"a5", {{"record_id", "SM1"}, {"contact_date", "2024-03-01"}, {"substance", "alcohol"}, {"dob", "1979-01-01"}}}});
}

std::string households(eh_test::CouncilDir& c) {
  return c.households({{"a1", "h1", "adult"}, {"c1", "h1", "child"}, {"a2", "h2", "adult"}, {"c2", "h2", "child"},
                       {"a3", "h3", "adult"}, {"c3", "h3", "child"}, {"c4", "h4", "child"}, {"c5", "h5", "child"},
                       {"a5", "h5", "adult"}});
}

struct Fixture {
  eh_test::CouncilDir dir{"tf"};
  features::Linkage links{schema::Schema::builtin()};
  FamiliesResult r;
  explicit Fixture(const Framework& fw = Framework::builtin()) {
    write_council(dir);
    links = features::read_persons_csv(dir.persons(), schema::Schema::builtin());
    features::read_households_csv(links, households(dir));
    r = assess_families(fw, dir.data(), links, kAsOf);
  }
  const FamilyAssessment& family(const std::string& id) const {
    for (const auto& f : r.families)
      if (f.family_id == id) return f;
    FAIL("no family " << id);
    return r.families.front();
  }
  std::vector<std::string> met(const std::string& id) const {
    std::vector<std::string> out;
    const auto& f = family(id);
    for (std::size_t c = 0; c < r.criteria.size(); ++c)
      if (f.met[c]) out.push_back(r.criteria[c]);
    return out;
  }
  std::vector<std::string> evidence(const std::string& id, const std::string& criterion) const {
    for (std::size_t c = 0; c < r.criteria.size(); ++c)
      if (r.criteria[c] == criterion) return family(id).evidence[c];
    FAIL("no criterion " << criterion);
    return {};
  }
};

using V = std::vector<std::string>;

// Two assessments of one family agree in every field.
void check_same_family(const FamilyAssessment& x, const FamilyAssessment& y) {
  CAPTURE(y.family_id);
  CHECK(x.family_id == y.family_id);
  CHECK(x.met == y.met);
  CHECK(x.criteria_met == y.criteria_met);
  CHECK(x.eligible == y.eligible);
  CHECK(x.near_miss == y.near_miss);
  CHECK(x.evidence == y.evidence);
  for (const auto& [u, v] : {std::pair{x.attendance_distance_travelled, y.attendance_distance_travelled},
                             std::pair{x.attendance_distance_to_target, y.attendance_distance_to_target}})
    CHECK((u == v || (std::isnan(u) && std::isnan(v))));
}

// A framework's own features (the end of its JSON): whether a member was ever named in a
// domestic-abuse notification, which the built-in definitions lack.
const char* const kDaEverFeatures = R"(
    "features": [
      {"name": "da_ever", "kind": "count", "stream": "police_domestic_abuse", "description": "Notifications ever.",
       "template": "{value} notification{s}"},
      {"name": "family_da_ever", "kind": "rollup", "rollup": "any_member", "of": "da_ever",
       "description": "A member was ever named.", "template": "{value}"}
    ]})";

}  // namespace

TEST_SUITE("profiling") {

TEST_CASE("profiling.tf: the default framework is the six headline problems, eligible with two") {
  const Framework fw = Framework::builtin();
  CHECK(fw.name() == "troubled_families");
  CHECK(fw.min_criteria() == 2);
  V names;
  for (const auto& c : fw.criteria()) names.push_back(c.name);
  CHECK(names == V{"crime_asb", "education", "children_need_help", "worklessness", "domestic_abuse", "health"});
  CHECK(fw.attendance().criterion == "education");
  CHECK(fw.attendance().target == 0.9);
}

TEST_CASE("profiling.tf: each headline problem from linked records, and the rule of two") {
  const Fixture fx;
  REQUIRE(fx.r.families.size() == 5);
  CHECK(fx.met("h1") == V{"crime_asb", "domestic_abuse"});
  CHECK(fx.met("h2") == V{"education", "worklessness"});
  CHECK(fx.met("h3") == V{"health"});
  CHECK(fx.met("h4") == V{"children_need_help"});
  CHECK(fx.met("h5") == V{"education", "worklessness", "health"});
  CHECK(fx.family("h1").eligible);
  CHECK(fx.family("h2").eligible);
  CHECK_FALSE(fx.family("h3").eligible);
  CHECK_FALSE(fx.family("h4").eligible);
  CHECK(fx.family("h5").eligible);
  CHECK(fx.family("h1").criteria_met == 2);
  CHECK(fx.family("h4").criteria_met == 1);
}

TEST_CASE("profiling.tf: evidence is the records the criterion's features read on the date") {
  const Fixture fx;
  CHECK(fx.evidence("h1", "crime_asb") == V{"youth_offending:YO1"});  // not the old one nor the one on the date
  CHECK(fx.evidence("h1", "domestic_abuse") == V{"police_domestic_abuse:DA1"});
  CHECK(fx.evidence("h1", "education").empty());
  CHECK(fx.evidence("h2", "education") == V{"school_attendance:SA4", "school_attendance:SA5", "school_attendance:SA6"});
  CHECK(fx.evidence("h2", "worklessness") == V{"dwp_benefits:DW1"});
  CHECK(fx.evidence("h3", "health") == V{"health_mental_health:MH1"});
  CHECK(fx.evidence("h4", "children_need_help") == V{"social_care_episodes:SC1"});  // the open episode only
  CHECK(fx.evidence("h5", "education") ==
        V{"school_exclusions:EX1", "school_exclusions:EX2", "school_exclusions:EX3"});
  // the latest snapshot of the account that owes; not the account at zero, nor the older snapshot
  CHECK(fx.evidence("h5", "worklessness") == V{"council_tax:CT1"});
  CHECK(fx.r.evidence_text(0) == "crime_asb: youth_offending:YO1; domestic_abuse: police_domestic_abuse:DA1");
}

TEST_CASE("profiling.tf: the evidence is the same read on one thread or on several") {
  // add_evidence reads each stream's extract on its own thread and adds the selections after.
  Fixture fx;
  FamiliesOptions one, three;
  one.n_threads = 1;
  three.n_threads = 3;
  const FamiliesResult a = assess_families(Framework::builtin(), fx.dir.data(), fx.links, kAsOf, one);
  const FamiliesResult b = assess_families(Framework::builtin(), fx.dir.data(), fx.links, kAsOf, three);
  REQUIRE(a.families.size() == b.families.size());
  REQUIRE(a.families.size() == fx.r.families.size());
  std::size_t records = 0;
  for (std::size_t f = 0; f < a.families.size(); ++f) {
    CHECK(a.families[f].evidence == b.families[f].evidence);
    CHECK(a.families[f].evidence == fx.r.families[f].evidence);
    for (const auto& ev : a.families[f].evidence) records += ev.size();
  }
  CHECK(records >= 10);
}

TEST_CASE("profiling.tf: attendance distance travelled and to 90%, and near misses") {
  const Fixture fx;
  // h2: last three terms 253/300, the three before 285/300.
  CHECK(fx.family("h2").attendance_distance_travelled == doctest::Approx(-10.67).epsilon(1e-9));
  CHECK(fx.family("h2").attendance_distance_to_target == doctest::Approx(5.67).epsilon(1e-9));
  // h3: 276/300 = 92%, no earlier terms.
  CHECK(std::isnan(fx.family("h3").attendance_distance_travelled));
  CHECK(fx.family("h3").attendance_distance_to_target == doctest::Approx(-2.0).epsilon(1e-9));
  CHECK(fx.family("h3").near_miss);
  CHECK_FALSE(fx.family("h2").near_miss);  // eligible already
  CHECK_FALSE(fx.family("h4").near_miss);  // no attendance recorded
  CHECK(std::isnan(fx.family("h4").attendance_distance_to_target));
}

TEST_CASE("profiling.tf: one family from a case's records is assessed as the folder assesses it") {
  // Each household's rows handed to a features::CaseRecords (member by member, stream by stream,
  // as a case system would) give assess_family the same criteria, evidence, attendance and near
  // miss as assess_families gives that family from the folder.
  const Fixture fx;
  const std::vector<std::vector<std::string>> homes = {{"a1", "h1", "adult"}, {"c1", "h1", "child"}, {"a2", "h2", "adult"},
                                                       {"c2", "h2", "child"}, {"a3", "h3", "adult"}, {"c3", "h3", "child"},
                                                       {"c4", "h4", "child"}, {"c5", "h5", "child"}, {"a5", "h5", "adult"}};
  std::map<std::string, std::string> person_of;  // "<stream>:<record_id>" -> person
  {
    io::CsvReader persons = io::CsvReader::open(fx.dir.path("persons.csv"));
    io::CsvRecord rec;
    while (persons.next(rec)) person_of[std::string(rec[0]) + ":" + std::string(rec[1])] = std::string(rec[2]);
  }
  const Framework fw = Framework::builtin();
  for (const auto& f : fx.r.families) {
    CAPTURE(f.family_id);
    features::CaseRecords c(features::FeatureSet::builtin());
    std::map<std::string, std::size_t> member;
    for (const auto& h : homes)
      if (h[1] == f.family_id) {
        const std::size_t m = member.size();
        member[h[0]] = m;
        c.set_role(m, h[2] == "adult" ? features::Role::adult : features::Role::child);
      }
    for (const auto& entry : std::filesystem::directory_iterator(fx.dir.data())) {
      const std::string stream = entry.path().stem().string();
      io::CsvReader in = io::CsvReader::open(entry.path().string());
      std::map<std::size_t, std::vector<std::vector<std::string>>> rows;  // member -> rows
      io::CsvRecord rec;
      while (in.next(rec)) {
        const auto p = person_of.find(stream + ":" + std::string(rec[0]));
        if (p == person_of.end() || member.count(p->second) == 0) continue;
        rows[member[p->second]].emplace_back(rec.fields.begin(), rec.fields.end());
      }
      for (const auto& [m, r] : rows) c.add_rows(m, stream, in.header(), r);
    }
    const FamiliesResult one = assess_family(fw, c, kAsOf, f.family_id);
    REQUIRE(one.families.size() == 1);
    check_same_family(one.families.front(), f);
    std::vector<std::string> roles, case_roles;
    for (const auto& m : fx.r.members)
      if (m.family_id == f.family_id) roles.push_back(m.person_id + ":" + m.role);
    for (const auto& m : one.members) {
      std::string person;
      for (const auto& [id, n] : member)
        if (n == std::stoul(m.person_id)) person = id;
      case_roles.push_back(person + ":" + m.role);
    }
    std::sort(case_roles.begin(), case_roles.end());
    CHECK(case_roles == roles);
  }
}

TEST_CASE("profiling.tf: members with their roles on the date") {
  const Fixture fx;
  REQUIRE(fx.r.members.size() == 9);
  CHECK(fx.r.members[0].family_id == "h1");
  CHECK(fx.r.members[0].person_id == "a1");
  CHECK(fx.r.members[0].role == "adult");  // no date of birth: the households file's role
  CHECK(fx.r.members[1].person_id == "c1");
  CHECK(fx.r.members[1].role == "child");
}

TEST_CASE("profiling.tf: the criteria agree with the features' family roll-ups") {
  Fixture fx;
  const Framework fw = Framework::builtin();
  const auto store = features::load_events(fw.feature_set(), fx.dir.data(), fx.links);
  const auto table = features::compute(fw.feature_set(), store, {kAsOf}, features::Level::family);
  const FamiliesResult no_evidence = assess_families(fw, store, kAsOf);
  REQUIRE(table.ids.size() == fx.r.families.size());
  for (std::size_t c = 0; c < fw.criteria().size(); ++c) {
    std::size_t col = 0;
    while (table.columns[col] != fw.criteria()[c].feature) ++col;
    for (std::size_t i = 0; i < table.ids.size(); ++i) {
      CHECK(table.ids[i] == fx.r.families[i].family_id);
      CHECK((table.values(static_cast<Index>(i), static_cast<Index>(col)) != 0.0f) == (fx.r.families[i].met[c] != 0));
      CHECK(no_evidence.families[i].met[c] == fx.r.families[i].met[c]);
    }
  }
}

TEST_CASE("profiling.tf: a framework file with criteria of its own") {
  const std::string json = R"({
    "name": "two_outcomes", "version": "1", "min_criteria": 1,
    "criteria": [
      {"name": "domestic_abuse_ever", "label": "Domestic abuse at any time", "feature": "family_da_ever"},
      {"name": "safe_housing", "feature": "open_tenancy"}
    ],)" + std::string(kDaEverFeatures);
  const Framework fw = Framework::from_json(json, schema::Schema::builtin(), "two.json");
  CHECK(fw.min_criteria() == 1);
  CHECK(fw.attendance().criterion.empty());
  const Fixture fx(fw);
  CHECK(fx.met("h1") == V{"domestic_abuse_ever"});
  CHECK(fx.family("h1").eligible);
  CHECK_FALSE(fx.family("h2").eligible);
  CHECK(fx.evidence("h1", "domestic_abuse_ever") == V{"police_domestic_abuse:DA1"});
  CHECK_FALSE(fx.family("h3").near_miss);
}

TEST_CASE("profiling.tf: profile assesses the families as assess_families does, on one reading of the extracts") {
  // A framework of its own (features the built-in definitions lack) and the built-in one, beside
  // a domain with definitions of its own (homelessness) and one without (asb).
  const std::string json = R"({
    "name": "own", "version": "1", "min_criteria": 1,
    "criteria": [{"name": "domestic_abuse_ever", "feature": "family_da_ever"}, {"name": "health", "feature": "tf_health"}],)" +
                           std::string(kDaEverFeatures);
  for (const Framework& fw : {Framework::builtin(), Framework::from_json(json, schema::Schema::builtin(), "own.json")}) {
    CAPTURE(fw.name());
    const Fixture fx(fw);
    ProfileOptions o;
    o.domains = {"asb", "homelessness"};
    o.n_threads = 2;
    o.families = fw;
    const ProfileResult p = profile(fx.dir.data(), fx.links, kAsOf, o);
    REQUIRE(p.families.has_value());
    const FamiliesResult& a = *p.families;
    const FamiliesResult& b = fx.r;
    CHECK(a.criteria == b.criteria);
    REQUIRE(a.families.size() == b.families.size());
    for (std::size_t f = 0; f < a.families.size(); ++f) {
      check_same_family(a.families[f], b.families[f]);
      CHECK(a.evidence_text(f) == b.evidence_text(f));
    }
    REQUIRE(a.members.size() == b.members.size());
    for (std::size_t m = 0; m < a.members.size(); ++m) {
      CHECK(a.members[m].family_id == b.members[m].family_id);
      CHECK(a.members[m].person_id == b.members[m].person_id);
      CHECK(a.members[m].role == b.members[m].role);
    }
    CHECK(a.load.reconciliation() == p.load.reconciliation());
    CHECK(p.domains.size() == 2);
  }
  // Without a framework there are no families; a framework that defines a domain's feature
  // otherwise is refused before anything is scored.
  const Fixture fx;
  ProfileOptions o;
  o.domains = {"asb"};
  CHECK_FALSE(profile(fx.dir.data(), fx.links, kAsOf, o).families.has_value());
  o.domains = {"homelessness"};
  o.families = Framework::from_json(R"({"name": "clash", "criteria": [{"name": "a", "feature": "tf_health"}],
    "features": [{"name": "homelessness_population", "kind": "count", "stream": "police_domestic_abuse",
                  "description": "x", "template": "{value}"}]})",
                                    schema::Schema::builtin(), "clash.json");
  CHECK_THROWS_WITH_AS(profile(fx.dir.data(), fx.links, kAsOf, o),
                       doctest::Contains("domain 'homelessness' and framework 'clash' define feature "
                                         "'homelessness_population' differently"),
                       InvalidArgument);
}

TEST_CASE("profiling.tf: framework errors name the file, the JSON path and what was expected") {
  const auto sch = schema::Schema::builtin();
  CHECK_THROWS_WITH_AS(Framework::from_json(R"({"name": "x", "criteria": [{"name": "a", "feature": "tf_crime_asbb"}]})", sch, "f.json"),
                       doctest::Contains("f.json: criteria[0].feature: expected a feature of the definitions; got "
                                         "\"tf_crime_asbb\" (did you mean \"tf_crime_asb\"?)"),
                       SchemaError);
  CHECK_THROWS_WITH_AS(Framework::from_json(R"({"name": "x", "min_criteria": 3, "criteria": [{"name": "a", "feature": "tf_health"}]})", sch, "f.json"),
                       doctest::Contains("f.json: min_criteria: expected a whole number from 1 to 1"), SchemaError);
  CHECK_THROWS_WITH_AS(Framework::from_json(R"({"name": "x", "criteria": [{"name": "a", "feature": "tf_headline_problems"}]})", sch, "f.json"),
                       doctest::Contains("expected a person feature or a family roll-up of one"), SchemaError);
  CHECK_THROWS_AS(Framework::from_json(R"({"name": "x", "criteria": [{"name": "a", "feature": "tf_health"}, {"name": "a", "feature": "tf_health"}]})", sch, "f.json"),
                  SchemaError);
  CHECK_THROWS_AS(Framework::from_json(R"({"name": "x", "criteria": []})", sch, "f.json"), SchemaError);
  CHECK_THROWS_AS(Framework::from_file("/nonexistent/framework.json"), IOError);
}

TEST_CASE("profiling.tf: families need households") {
  eh_test::CouncilDir dir("tf_nohh");
  write_council(dir);
  const auto links = features::read_persons_csv(dir.persons(), schema::Schema::builtin());
  CHECK_THROWS_AS(assess_families(Framework::builtin(), dir.data(), links, kAsOf), InvalidArgument);
}

}  // TEST_SUITE
