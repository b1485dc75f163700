// SPDX-License-Identifier: Apache-2.0
// Reading what features come from: the persons and households files, and extracts checked
// against the schema (rejects counted and written, unlinked records counted, rows reconciled).
#include "features_test_data.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/load.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace earlyhelp;
using namespace earlyhelp::features;
using eh_test::Row;

namespace {

std::string write(const eh_test::CouncilDir& c, const std::string& name, const std::string& text) {
  std::ofstream(c.path(name)) << text;
  return c.path(name);
}

const schema::Schema& sch() {
  static const schema::Schema s = schema::Schema::builtin();
  return s;
}

}  // namespace

TEST_SUITE("features") {

TEST_CASE("features.load: both persons file layouts give the same linkage") {
  eh_test::CouncilDir c("persons");
  const Linkage a = read_persons_csv(write(c, "a.csv", "source,record_id,person_id\nhealth_ae,A1,P2\nhealth_ae,A2,P1\n"
                                                       "council_tax,C1,P2\nunknown_system,Z1,P3\n"),
                                     sch());
  const Linkage b = read_persons_csv(write(c, "b.csv", "record_id,person_id\nhealth_ae:A1,P2\nhealth_ae:A2,P1\n"
                                                       "council_tax:C1,P2\nunknown_system:Z1,P3\n"),
                                     sch());
  for (const Linkage* l : {&a, &b}) {
    CHECK(l->person_ids() == std::vector<std::string>{"P1", "P2"});  // sorted; P3's system is not a stream
    const auto ae = static_cast<std::size_t>(sch().find("health_ae") - sch().streams.data());
    const auto ct = static_cast<std::size_t>(sch().find("council_tax") - sch().streams.data());
    CHECK(l->person_of(ae, "A1") == 1);
    CHECK(l->person_of(ae, "A2") == 0);
    CHECK(l->person_of(ct, "C1") == 1);
    CHECK(l->person_of(ct, "A1") == -1);
    CHECK(l->unknown_streams() == std::vector<std::pair<std::string, std::size_t>>{{"unknown_system", 1}});
  }
}

TEST_CASE("features.load: errors in the persons and households files name the file and row") {
  eh_test::CouncilDir c("errors");
  CHECK_THROWS_WITH_AS(read_persons_csv(write(c, "p.csv", "source,record_id,person_id\nhealth_ae,A1,\n"), sch()),
                       doctest::Contains("p.csv: row 1: the person_id is empty"), FormatError);
  CHECK_THROWS_WITH_AS(read_persons_csv(write(c, "p.csv", "source,record_id,person_id\nhealth_ae,A1,P1\nhealth_ae,A1,P2\n"), sch()),
                       doctest::Contains("p.csv: row 2: a record of stream health_ae is given two different persons"),
                       FormatError);
  CHECK_THROWS_WITH_AS(read_persons_csv(write(c, "p.csv", "record_id,person_id\nA1,P1\n"), sch()),
                       doctest::Contains("p.csv: row 1: no stream for the record"), FormatError);
  CHECK_THROWS_WITH_AS(read_persons_csv(write(c, "p.csv", "record_id,person\nhealth_ae:A1,P1\n"), sch()),
                       doctest::Contains("p.csv: no 'person_id' column"), FormatError);
  CHECK_THROWS_WITH_AS(read_persons_csv(write(c, "p.csv", "record_id,person_id\nother:A1,P1\n"), sch()),
                       doctest::Contains("p.csv: no record belongs to a stream of the schema (sources seen: other (1 rows))"),
                       FormatError);
  CHECK_THROWS_WITH_AS(read_persons_csv(write(c, "p.csv", "record_id,person_id\nhealth_ae:A1,P1,extra\n"), sch()),
                       doctest::Contains("p.csv: row 1 (line 2) has 3 fields, the header has 2"), FormatError);
  Linkage l = read_persons_csv(write(c, "p.csv", "record_id,person_id\nhealth_ae:A1,P1\nhealth_ae:A2,P2\n"), sch());
  CHECK_THROWS_WITH_AS(read_households_csv(l, write(c, "h.csv", "person_id,household_id,role\nP1,H1,adult\nP1,H2,adult\n")),
                       doctest::Contains("h.csv: row 2: a person is given two households"), FormatError);
  Linkage l2 = read_persons_csv(c.path("p.csv"), sch());
  CHECK_THROWS_WITH_AS(read_households_csv(l2, write(c, "h.csv", "person_id,household_id,role\nP1,H1,grown-up\n")),
                       doctest::Contains("h.csv: row 1: role: expected adult, child or unknown; got \"grown-up\""),
                       FormatError);
  Linkage l3 = read_persons_csv(c.path("p.csv"), sch());
  read_households_csv(l3, write(c, "h.csv", "source,record_id,person_id,household_id,role,family\n"
                                            "health_ae,A1,P1,H9,adult,1\nhealth_ae,A2,P2,H9,child,1\n"
                                            "health_ae,A1,P1,H9,adult,1\nx,y,P7,H3,adult,0\n"));
  CHECK(l3.household() == std::vector<std::int32_t>{0, 0});
  CHECK(l3.household_ids() == std::vector<std::string>{"H9"});
  CHECK(l3.roles() == std::vector<Role>{Role::adult, Role::child});
  CHECK(l3.unknown_household_persons() == 1);
  CHECK_THROWS_AS(read_persons_csv(c.path("missing.csv"), sch()), IOError);
}

TEST_CASE("features.load: rejected rows are counted and written, never used; rows reconcile") {
  eh_test::CouncilDir c("rejects");
  c.stream("police_domestic_abuse",
           {{"p1", {{"incident_date", "2024-03-20"}, {"role", "victim"}}},
            {"p1", {{"incident_date", "2024-03-21"}, {"role", "victim"}, {"postcode", "ZZ9 ZZZ"}}},
            {"p1", {{"incident_date", "2024-03-22"}, {"role", "victimised"}}},
            {"", {{"incident_date", "2024-03-23"}, {"role", "victim"}}}});  // not in the persons file
  std::ofstream(c.data() + "/notes.csv") << "a,b\n1,2\n";
  const FeatureSet set = FeatureSet::from_json(R"({"name": "t", "features": [
    {"name": "da", "kind": "count", "stream": "police_domestic_abuse", "description": "d", "template": "{value}"},
    {"name": "ae", "kind": "count", "stream": "health_ae", "description": "d", "template": "{value}"}]})",
                                               sch(), "t.json");
  const Linkage links = read_persons_csv(c.persons(), sch());
  LoadOptions o;
  o.rejects_dir = c.path("rejects");
  LoadReport report;
  const EventStore store = load_events(set, c.data(), links, o, &report);
  const auto& da = report.streams[static_cast<std::size_t>(sch().find("police_domestic_abuse") - sch().streams.data())];
  CHECK(da.rows_read == 4);
  CHECK(da.rows_clean == 2);
  CHECK(da.rows_rejected == 2);
  CHECK(da.rows_unlinked == 1);
  CHECK(da.rows_used() == 1);
  CHECK(da.reconciled());
  CHECK(da.rejects_by_kind == std::vector<std::pair<std::string, std::size_t>>{{"invalid_value", 1}, {"invalid_format", 1}});
  const std::string rejects = [&] {
    std::ifstream in(da.rejects_file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  CHECK(rejects.rfind("row,line,field,reason,record_id", 0) == 0);
  CHECK_MESSAGE(rejects.find("postcode,not a valid UK postcode") != std::string::npos, rejects);
  const std::string text = report.to_text();
  CHECK(text.find("police_domestic_abuse: read 4 clean 2 rejected 2 (invalid_value 1, invalid_format 1) unlinked 1 used 1") !=
        std::string::npos);
  CHECK(text.find("notes.csv: not a stream of the schema, skipped") != std::string::npos);
  CHECK(text.find("health_ae: no extract in the folder; the features that read it are missing (NaN)") != std::string::npos);
  const FeatureTable t = compute(set, store, {*parse_date("2024-04-01")}, Level::person);
  REQUIRE(t.ids == std::vector<std::string>{"p1"});
  CHECK(t.values(0, 0) == 1);            // only the clean, linked row
  CHECK(std::isnan(t.values(0, 1)));     // no A&E extract: not known, not zero
  CHECK_THROWS_AS(load_events(set, c.path("nowhere"), links), IOError);
}

}  // TEST_SUITE
