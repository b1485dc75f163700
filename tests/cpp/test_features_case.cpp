// SPDX-License-Identifier: Apache-2.0
// One person's row for a case system (CaseRecords, the C API's eh_feature_case) agrees with the
// bulk computation on the same records.
#include "features_test_data.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/load.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::features;
using eh_test::Row;

TEST_SUITE("features") {

TEST_CASE("features.case: a case system's row equals the bulk row for the same records") {
  eh_test::CouncilDir dir("case");
  // Rows per stream: (member, values); member 0 is the person, 1 a child of the household.
  const std::map<std::string, std::vector<Row>> streams{
      {"person_register", {{"p1", {{"dob", "1979-06-30"}, {"start_date", "2016-02-01"}, {"sex", "F"}}},
                           {"p2", {{"dob", "2011-09-01"}, {"start_date", "2016-02-01"}, {"sex", "M"}}}}},
      {"police_domestic_abuse", {{"p1", {{"incident_date", "2024-01-10"}, {"role", "victim"}, {"risk_level", "high"}}},
                                 {"p1", {{"incident_date", "2023-08-10"}, {"role", "victim"}, {"risk_level", "medium"}}},
                                 {"p2", {{"incident_date", "2024-01-10"}, {"role", "child_present"}, {"risk_level", "high"}}}}},
      {"council_tax", {{"p1", {{"account_ref", "A"}, {"snapshot_date", "2023-05-01"}, {"arrears_gbp", "80"}, {"property_uprn", "1"}}},
                       {"p1", {{"account_ref", "A"}, {"snapshot_date", "2024-03-01"}, {"arrears_gbp", "240"}, {"property_uprn", "1"}, {"recovery_stage", "summons"}}}}},
      {"school_attendance", {{"p2", {{"term_end_date", "2023-12-20"}, {"sessions_possible", "120"}, {"sessions_attended", "100"}, {"dob", "2011-09-01"}}},
                             {"p2", {{"term_end_date", "2024-03-27"}, {"sessions_possible", "110"}, {"sessions_attended", "90"}, {"dob", "2011-09-01"}}}}},
      {"health_mental_health", {{"p1", {{"contact_date", "2023-11-11"}, {"service", "adult_community"}, {"dob", "1979-06-30"}}}}},
  };
  const FeatureSet set = FeatureSet::builtin();
  CaseRecords c(set);
  for (const auto& [name, rows] : streams) {
    dir.stream(name, rows);
    for (const std::string member : {"p1", "p2"}) {
      std::vector<Row> mine;
      for (const Row& r : rows)
        if (r.person == member) mine.push_back(r);
      auto [header, values] = dir.table(name, mine);
      CHECK(c.add_rows(member == "p1" ? 0 : 1, name, header, values) == 0);
    }
  }
  // The other streams: present and empty in both.
  for (const auto& s : set.schema().streams)
    if (!streams.count(s.name)) {
      dir.stream(s.name, {});
      c.add_rows(0, s.name, s.field_names(), {});
    }
  Linkage links = read_persons_csv(dir.persons(), set.schema());
  read_households_csv(links, dir.households({{"p1", "h", "adult"}, {"p2", "h", "child"}}));
  const EventStore store = load_events(set, dir.data(), links);
  for (const char* day : {"2023-09-01", "2024-04-01"}) {
    CAPTURE(day);
    const Date d = *parse_date(day);
    const FeatureTable t = compute(set, store, {d}, Level::person);
    REQUIRE(t.ids.front() == "p1");
    const std::vector<float> row = c.row(d);
    REQUIRE(row.size() == static_cast<std::size_t>(t.values.cols()));
    for (std::size_t j = 0; j < row.size(); ++j) {
      const float bulk = t.values(0, static_cast<Index>(j));
      CHECK_MESSAGE(std::memcmp(&bulk, &row[j], sizeof(float)) == 0, set.features()[j].name << ": bulk " << bulk
                                                                                          << ", case " << row[j]);
    }
    CHECK(row[*set.find("family_children")] == 1);
  }
  CHECK(c.members() == 2);
  CHECK_THROWS_AS(c.add_rows(0, "no_such_stream", {"a"}, {}), SchemaError);
  CHECK_THROWS_AS(c.add_rows(0, "health_ae", {"record_id"}, {{"a", "b"}}), InvalidArgument);
}

}  // TEST_SUITE
