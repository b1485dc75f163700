// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/households.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("households") {
  TEST_CASE("households.persons: persons at one home on the date share a household, roles by age") {
    PreparedRecords r;
    r.add({dated(person("m1", "ann", "lee", "1980-01-01", "1 mill lane", "LS1 1AA"), "2024-06-01"),
           dated(person("c1", "kit", "lee", "2015-02-02", "1 mill lane", "LS1 1AA"), "2024-07-01"),
           dated(person("n1", "bob", "kay", "", "2 mill lane", "LS1 1AA"), "2024-06-01"),
           dated(person("n2", "bob", "kay", "", "2 mill lane", "LS1 1AA"), "2024-08-01")});
    // Persons by hand: identities of m1, c1 and n1/n2 (one identity).
    REQUIRE(r.n_identities() == 3);
    const std::vector<std::uint32_t> person_of{0, 1, 2};
    const std::vector<std::string> ids{"Pann", "Pkit", "Pbob"};
    const std::vector<HouseholdMembership> h = households(r, person_of, ids, 20250101);
    REQUIRE(h.size() == 3);
    CHECK(h[0].person_id == "Pann");
    CHECK(h[0].household_id == h[1].household_id);
    CHECK(h[0].household_id != h[2].household_id);
    CHECK(h[0].role == "adult");
    CHECK(h[1].role == "child");
    CHECK(h[2].role == "unknown");
    CHECK(h[0].family);
    CHECK_FALSE(h[2].family);
    CHECK(address_lags(r, person_of, ids.size()).empty());  // no moves to learn from
  }

  TEST_CASE("households.linker: members share a household id, roles by age, families have a child") {
    const Population pop = make_population(60, 11);
    Linker linker = linked(pop.records);
    const auto persons = linker.person_ids();
    const auto hh = linker.household_ids(20240101);
    // Clean records (first of each person) of one true household share a predicted household.
    std::map<std::string, std::set<std::string>> predicted_of_truth;
    for (std::size_t i = 0; i < pop.records.size(); ++i)
      if (pop.records[i].source == "social_care") predicted_of_truth[pop.household.at(pop.truth[i])].insert(hh[i]);
    std::size_t consistent = 0;
    for (const auto& [h, ids] : predicted_of_truth) consistent += ids.size() == 1 ? 1 : 0;
    CHECK(static_cast<double>(consistent) / static_cast<double>(predicted_of_truth.size()) >= 0.9);
    const auto members = linker.households(20240101);
    std::size_t adults = 0, children = 0;
    for (const auto& m : members) {
      adults += m.role == "adult";
      children += m.role == "child";
      if (m.role == "child") CHECK(m.family);
    }
    CHECK(adults > 0);
    CHECK(children > 0);
    CHECK_THROWS_AS(Linker().households(20240101), StateError);
  }

  TEST_CASE("households.linker: dated records place a family that moved and its successors at one address") {
    // The Quarringtons live at 10 Elm Grove until March 2024, then at 5 Oak Close; the
    // Zylberbergs move into 10 Elm Grove in May 2024. Their register rows show where they live now.
    Population pop = make_population(30, 21);
    int n = 0;
    auto add = [&](const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& address, const std::string& postcode, const std::string& date) {
      pop.records.push_back(eh_test::dated(
          eh_test::person(fmt::format("t{:03d}", n++), first, surname, dob, address, postcode, "", "council_tax"), date));
    };
    const std::string elm = "10 elm grove", elm_pc = "LS6 1AA", oak = "5 oak close", oak_pc = "LS9 2BB";
    for (const char* d : {"2022-04-01", "2022-11-05", "2023-04-01", "2023-10-01", "2024-02-01"}) {
      add("zebedee", "quarrington", "1979-03-14", elm, elm_pc, d);
      add("philippa", "quarrington", "1981-07-30", elm, elm_pc, d);
    }
    for (const char* d : {"2024-04-01", "2024-09-01"}) add("zebedee", "quarrington", "1979-03-14", oak, oak_pc, d);
    add("philippa", "quarrington", "1981-07-30", oak, oak_pc, "current");
    add("zebedee", "quarrington", "1979-03-14", oak, oak_pc, "current");
    for (const char* d : {"2022-06-01", "2023-06-01"}) {
      add("ignatius", "zylberberg", "1970-01-02", "77 ash drive", "LS12 3DD", d);
      add("henrietta", "zylberberg", "1972-05-06", "77 ash drive", "LS12 3DD", d);
    }
    for (const char* d : {"2024-06-01", "2024-11-01"}) {
      add("ignatius", "zylberberg", "1970-01-02", elm, elm_pc, d);
      add("henrietta", "zylberberg", "1972-05-06", elm, elm_pc, "current");
    }
    Linker linker = linked(pop.records);
    auto person_of_record = person_by_record(linker);
    auto household_of = [&](std::int32_t as_of, const std::string& record_id) {
      const auto hh = linker.household_ids(as_of);
      for (std::size_t i = 0; i < pop.records.size(); ++i)
        if (pop.records[i].record_id == record_id) return hh[i];
      return std::string();
    };
    // t000/t001: the Quarringtons; t014/t015: the Zylberbergs (at Ash Drive first).
    REQUIRE(person_of_record["t000"] != person_of_record["t001"]);
    CHECK(household_of(20250101, "t000") == household_of(20250101, "t001"));  // moved together
    CHECK(household_of(20250101, "t000") != household_of(20250101, "t014"));  // not with the new occupants
    CHECK(household_of(20250101, "t014") == household_of(20250101, "t015"));
    CHECK(household_of(20230101, "t000") == household_of(20230101, "t001"));
    CHECK(household_of(20230101, "t000") != household_of(20230101, "t014"));
    // Records without dates fall back to the most recorded address.
    PreparedRecords prepared;
    Record undated = eh_test::person("u1", "a", "b", "");
    Record current = undated, dated = undated;
    current.record_id = "u2", current.record_date = "current";
    dated.record_id = "u3", dated.record_date = "15/06/2024";
    Record partial = undated;
    partial.record_id = "u4", partial.record_date = "2024-06";
    prepared.add({undated, current, dated, partial});
    CHECK(prepared.record_day == std::vector<std::int32_t>{PreparedRecords::kNoDay, PreparedRecords::kCurrentDay,
                                                           from_civil(2024, 6, 15).days, PreparedRecords::kNoDay});
  }

  TEST_CASE("households.linker: a partner known only from the register lives where the family did, a former occupant is not a new one's household") {
    Population pop = make_population(30, 37);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    // The Saunders moved to Station Avenue in the last days of 2024: his tenancy and council tax
    // still show Bluebell Street; the register shows both of them at Station Avenue.
    add("ps1", "philip", "saunders", "1949-12-27", "72 bluebell street", "SS2 6AG", "tenancy", "2024-06-01");
    add("ps2", "philip", "saunders", "1949-12-27", "72 bluebell street", "SS2 6AG", "tenancy", "2024-12-28");
    add("ps3", "philip", "saunders", "1949-12-27", "72 bluebell street", "SS2 6AG", "council_tax", "2024-12-01");
    add("ps4", "philip", "saunders", "1949-12-27", "flat 6, 3 station avenue", "CM8 3DP", "register", "current");
    add("ss1", "sharon", "saunders", "1947-06-26", "flat 6, 3 station avenue", "CM8 3DP", "register", "current");
    // Olga Petrov's council tax at 6 Otter Square ended in 2022; Brian Bishop lives there now.
    add("op1", "olga", "petrov", "1960-01-01", "flat 5, 6 otter square", "CO15 8BT", "council_tax", "2021-04-01");
    add("op2", "olga", "petrov", "1960-01-01", "flat 5, 6 otter square", "CO15 8BT", "council_tax", "2022-04-01");
    add("bb1", "brian", "bishop", "1950-12-25", "flat 5, 6 otter square", "CO15 8BT", "health", "2024-11-04");
    add("bb2", "brian", "bishop", "1950-12-25", "flat 5, 6 otter square", "CO15 8BT", "register", "current");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    REQUIRE(p["ps1"] == p["ps4"]);
    REQUIRE(p["ps1"] != p["ss1"]);
    REQUIRE(p["op1"] != p["bb1"]);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["ps1"] == h["ss1"]);
    CHECK(h["op1"] != h["bb1"]);
    CHECK(h["bb1"] == h["bb2"]);
  }

  TEST_CASE("households.linker: council tax dates a move, so a family moving just after the date is still together at its old home") {
    Population pop = make_population(30, 43);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    add_movers(pop);
    // The Cheungs move to Harbour Close on 3 February 2025: his council tax account there starts
    // that day; his daughter's health records still show Ash Walk into February.
    for (const char* d : {"2024-04-01", "2024-10-18", "2024-12-13"})
      add(fmt::format("yc{}", d), "yi", "cheung", "1962-12-14", "18 ash walk", "CO4 6AJ", "council_tax", d);
    add("yc-new", "yi", "cheung", "1962-12-14", "40 harbour close", "CO7 8AP", "council_tax", "2025-02-03");
    for (const char* d : {"2024-11-20", "2024-12-20", "2025-02-20"})
      add(fmt::format("lc{}", d), "ling", "cheung", "2012-07-13", "18 ash walk", "CO4 6AJ", "health", d);
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    REQUIRE(p["yc2024-04-01"] == p["yc-new"]);
    REQUIRE(p["m00c1"] == p["m00c3"]);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["yc-new"] == h["lc2024-12-20"]);  // on 1 January 2025 they still lived together at Ash Walk
    std::map<std::string, double> lags;
    for (const auto& [source, days] : linker.address_lags()) lags[source] = days;
    REQUIRE(lags.count("council_tax") == 1);
    REQUIRE(lags.count("health") == 1);
    CHECK(lags["council_tax"] < 1.0);
    CHECK(lags["health"] > 30.0);
    CHECK_THROWS_AS(Linker().address_lags(), StateError);
  }

  TEST_CASE("households.linker: a register row that has not caught up with a move dated by council tax does not split the family") {
    Population pop = make_population(30, 59);
    add_movers(pop);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    // The Bakers move from Jubilee Avenue to Lancaster Place on 5 January 2025: his council tax
    // account there starts that day; the register still shows him at Jubilee Avenue and already
    // shows her at Lancaster Place.
    add("sb-reg", "stuart", "baker", "1982-06-02", "35 jubilee avenue", "CO1 2AH", "register", "current");
    add("sb-ct1", "stuart", "baker", "1982-06-02", "35 jubilee avenue", "CO1 2AH", "council_tax", "2022-04-01");
    add("sb-ct2", "stuart", "baker", "1982-06-02", "43 lancaster place", "CO15 2GA", "council_tax", "2025-01-05");
    add("jb-reg", "joanne", "baker", "1981-11-19", "43 lancaster place", "CO15 2GA", "register", "current");
    // The Fitzgeralds move on 19 February 2025; the register already shows their son at the new
    // flat, his father still at the old one.
    for (const char* d : {"2024-05-15", "2024-10-12", "2025-02-16"})
      add(fmt::format("bf-ct{}", d), "brian", "fitzgerald", "1976-06-10", "flat 1, 3 school rise", "CO15 4DQ", "council_tax", d);
    add("bf-reg", "brian", "fitzgerald", "1976-06-10", "flat 1, 3 school rise", "CO15 4DQ", "register", "current");
    add("bf-new", "brian", "fitzgerald", "1976-06-10", "flat 2, 21 kingfisher court", "CM1 0BB", "council_tax", "2025-02-19");
    add("tf-reg", "thomas", "fitzgerald", "2015-04-03", "flat 2, 21 kingfisher court", "CM1 0BB", "register", "current");
    add("tf-sc", "thomas", "fitzgerald", "2015-04-03", "flat 1, 3 school rise", "CO15 4DQ", "social_care", "2024-02-06");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    REQUIRE(p["sb-reg"] == p["sb-ct2"]);
    REQUIRE(p["bf-reg"] == p["bf-new"]);
    REQUIRE(p["tf-reg"] == p["tf-sc"]);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["sb-reg"] == h["jb-reg"]);  // together at Jubilee Avenue on 1 January 2025
    CHECK(h["bf-reg"] == h["tf-reg"]);  // together at School Rise
    CHECK(h["sb-reg"] != h["bf-reg"]);
  }
}
