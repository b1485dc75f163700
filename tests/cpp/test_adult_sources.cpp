// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/adult_sources.hpp"
#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/settings.hpp"
#include "earlyhelp/linkage/source_ages.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

namespace {

// `n` records of `source` named `stem`0.. `stem`n-1, each with a date of birth `age` to
// `age + spread - 1` years before its record date in 2024.
void add_dated(std::vector<Record>& out, const std::string& source, const std::string& stem, int n, int age, int spread) {
  for (int i = 0; i < n; ++i) {
    const int born = 2024 - age - i % spread;
    out.push_back(dated(person(fmt::format("{}-{}", source, i), fmt::format("{}{}", stem, i), "x",
                               fmt::format("{}-03-0{}", born, 1 + i % 9), "", "", "", source),
                        "2024-06-01"));
  }
}

// `n` records of `source` without a date of birth; record i is named as `stem`i.
void add_undated(std::vector<Record>& out, const std::string& source, const std::string& stem, int n) {
  for (int i = 0; i < n; ++i)
    out.push_back(dated(person(fmt::format("{}-{}", source, i), fmt::format("{}{}", stem, i), "x", "", "", "", "", source),
                        "2024-06-01"));
}

struct Council {
  std::vector<Record> records;
  PreparedRecords r;
  std::vector<std::uint32_t> group_of;
  std::uint32_t identity(const std::string& record_id) const {
    for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec)
      if (r.record_ids[rec] == record_id) return r.identity_of[rec];
    FAIL("no record " << record_id);
    return 0;
  }
  // A first clustering that joined record `from` to the group of record `to`.
  void join(const std::string& from, const std::string& to) { group_of[identity(from)] = identity(to); }
};

// Children on a school roll (aged 5 to 15) and adults paying council tax (25 to 60), with dates
// of birth; and three sources without any: rent (60 records, a first clustering joined 59 to
// adults and one, wrongly, to a child), police (60: half joined to children) and visits (10).
Council make_council() {
  Council c;
  add_dated(c.records, "school", "kid", 80, 5, 11);
  add_dated(c.records, "tax", "adult", 80, 25, 36);
  add_undated(c.records, "rent", "adult", 60);
  add_undated(c.records, "police", "p", 60);
  add_undated(c.records, "visits", "adult", 10);
  c.r.add(c.records);
  c.group_of.resize(c.r.n_identities());
  for (std::uint32_t x = 0; x < c.group_of.size(); ++x) c.group_of[x] = x;
  for (int i = 0; i < 59; ++i) c.join(fmt::format("rent-{}", i), fmt::format("tax-{}", i));
  c.join("rent-59", "school-3");
  for (int i = 0; i < 60; ++i) c.join(fmt::format("police-{}", i), fmt::format("{}-{}", i % 2 ? "tax" : "school", i));
  for (int i = 0; i < 10; ++i) c.join(fmt::format("visits-{}", i), fmt::format("tax-{}", i));
  return c;
}

bool adult(const Council& c, const SourceAges& ages, const std::string& source) {
  for (std::size_t s = 0; s < c.r.sources.values.size(); ++s)
    if (c.r.sources.values[s] == source) return ages.adult[s];
  FAIL("no source " << source);
  return false;
}

}  // namespace

TEST_SUITE("adult_sources") {
  TEST_CASE("adult_sources.learn: a source whose records join adults records adults; one joining children too does not") {
    const Council c = make_council();
    SourceAges ages = learn_source_ages(c.r);
    CHECK(learn_adult_sources(c.r, c.group_of, ages));
    CHECK(adult(c, ages, "rent"));          // 1 of 59 joins under 16 against half the council's records
    CHECK_FALSE(adult(c, ages, "police"));  // half its joins are children
    CHECK_FALSE(adult(c, ages, "visits"));  // too few joins to say
    CHECK_FALSE(adult(c, ages, "tax"));     // its own ages are learnt from its dates of birth
    const std::vector<BirthWindow> w = birth_windows(c.r, ages);
    const BirthWindow rent = w[c.identity("rent-0")], police = w[c.identity("police-0")];
    CHECK(rent.contains(day_number(20080601)));         // 16 on the record's date
    CHECK_FALSE(rent.contains(day_number(20080602)));   // a day short of 16
    CHECK(police.contains(day_number(20150101)));       // born by a year after the record: no more
    CHECK_FALSE(police.contains(day_number(20260101)));
  }

  TEST_CASE("adult_sources.learn: nothing without a first clustering's joins, nor where every source has its ages") {
    Council c = make_council();
    for (std::uint32_t x = 0; x < c.group_of.size(); ++x) c.group_of[x] = x;  // nothing joined
    SourceAges ages = learn_source_ages(c.r);
    CHECK_FALSE(learn_adult_sources(c.r, c.group_of, ages));
    CHECK_FALSE(adult(c, ages, "rent"));
    std::vector<Record> dated_only;
    add_dated(dated_only, "school", "kid", 80, 5, 11);
    add_dated(dated_only, "tax", "adult", 80, 25, 36);
    PreparedRecords r;
    r.add(dated_only);
    std::vector<std::uint32_t> group_of(r.n_identities());
    for (std::uint32_t x = 0; x < group_of.size(); ++x) group_of[x] = x;
    SourceAges all_learnt = learn_source_ages(r);
    CHECK_FALSE(learn_adult_sources(r, group_of, all_learnt));
    CHECK_FALSE(learn_adult_sources(r, std::vector<std::uint32_t>(3, 0), all_learnt));  // wrong size: nothing
  }

  TEST_CASE("adult_sources.cluster: a rent record without a date of birth joins the father, not the son it scores higher with") {
    Council c = make_council();
    c.records.push_back(dated(person("father", "john", "smith", "1980-05-02", "1 mill lane", "LS1 1AA", "", "tax"), "2024-06-01"));
    c.records.push_back(dated(person("junior", "john", "smith", "2012-09-14", "1 mill lane", "LS1 1AA", "", "school"), "2024-06-01"));
    c.records.push_back(dated(person("rent", "john", "smith", "", "1 mill lane", "LS1 1AA", "", "rent"), "2024-07-01"));
    PreparedRecords r;
    r.add(c.records);
    std::vector<std::uint32_t> group_of(r.n_identities());
    for (std::uint32_t x = 0; x < group_of.size(); ++x) group_of[x] = x;
    const auto id = [&](const std::string& record_id) {
      for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec)
        if (r.record_ids[rec] == record_id) return r.identity_of[rec];
      return std::uint32_t{0};
    };
    for (int i = 0; i < 59; ++i) group_of[id(fmt::format("rent-{}", i))] = id(fmt::format("tax-{}", i));
    const std::uint32_t father = id("father"), junior = id("junior"), rent = id("rent");
    for (const bool learn : {false, true}) {
      SourceAges ages = learn_source_ages(r);
      if (learn) {
        CHECK(learn_adult_sources(r, group_of, ages));
      }
      const std::vector<BirthWindow> w = birth_windows(r, ages);
      ConstrainedUnionFind uf;
      uf.resize(r.n_identities());
      for (std::uint32_t x = 0; x < r.n_identities(); ++x) {
        uf.set_dob(x, r.dob[x]);
        if (w[x].known()) uf.set_birth_window(x, w[x].earliest, w[x].latest);
      }
      std::vector<Edge> edges{{rent, junior, 14.0}, {rent, father, 13.0}};
      cluster_edges(edges, uf, false, &r.dob);
      CHECK(uf.find(father) != uf.find(junior));
      CHECK((uf.find(rent) == uf.find(father)) == learn);
    }
  }

  TEST_CASE("adult_sources.settings: on by default, off by the settings' adult_sources") {
    CHECK(Settings().adult_sources);
    CHECK_FALSE(Settings::from_json(R"({"adult_sources": false})").adult_sources);
    CHECK(Settings::from_json(Settings().to_json()).adult_sources);
  }
}
