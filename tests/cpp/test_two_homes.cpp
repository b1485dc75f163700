// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/homes.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/two_homes.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("two_homes") {
  TEST_CASE("two_homes.spans: one source at two places for more than the overlap, not two sources or a short overlap") {
    auto rec = [](const std::string& id, const std::string& address, const std::string& source, const std::string& date) {
      return dated(person(id, "wei", "le", "1954-09-02", address, "CO12 4AZ", "", source), date);
    };
    PreparedRecords r;
    r.add({rec("a1", "9 telford view", "council_tax", "2022-04-01"), rec("a2", "9 telford view", "council_tax", "2023-04-01"),
           rec("b1", "6 windsor crescent", "council_tax", "2022-06-01"), rec("b2", "6 windsor crescent", "council_tax", "2023-06-01"),
           rec("c1", "7 windsor crescent", "health", "2022-06-01"), rec("c2", "7 windsor crescent", "health", "2023-06-01"),
           rec("d1", "8 windsor crescent", "council_tax", "2023-02-01"), rec("d2", "8 windsor crescent", "council_tax", "2023-08-01")});
    const TwoHomes two_homes(r, home_keys(r));
    auto id = [&](std::size_t i) { return r.identity_of[i]; };
    CHECK(two_homes(id(0), id(2)));        // council tax at two homes for ten months at once
    CHECK(two_homes(id(2), id(0)));
    CHECK_FALSE(two_homes(id(0), id(4)));  // another system at another home: a move, perhaps
    CHECK_FALSE(two_homes(id(0), id(6)));  // overlapping by two months only (February and March 2023)
    CHECK_FALSE(two_homes(id(0), id(0)));  // one place
    CHECK_FALSE(TwoHomes()(0, 1));
  }

  TEST_CASE("two_homes.linker: one system recording a name at two homes through the same year records two people") {
    Population pop = make_population(30, 41);
    auto add = [&](const std::string& id, const std::string& address, const std::string& postcode,
                   const std::string& source, const std::string& date) {
      pop.records.push_back(eh_test::dated(eh_test::person(id, "wei", "le", "1954-09-02", address, postcode, "", source), date));
    };
    for (const char* d : {"2022-04-01", "2023-04-01", "2024-04-01"}) {
      add(std::string("x") + d, "9 telford view", "CO12 4AZ", "council_tax", d);
      add(std::string("y") + d, "6 windsor crescent", "CO12 4DZ", "council_tax", d);
    }
    // Another system at the other home meanwhile is no such evidence: a person who moved.
    add("z1", "6 windsor crescent", "CO12 4DZ", "health", "2023-01-01");
    add("z2", "6 windsor crescent", "CO12 4DZ", "health", "2023-06-01");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    CHECK(p["x2022-04-01"] == p["x2024-04-01"]);
    CHECK(p["y2022-04-01"] == p["y2024-04-01"]);
    CHECK(p["x2022-04-01"] != p["y2022-04-01"]);
    CHECK(p["y2022-04-01"] == p["z1"]);
    CHECK(linker.stats().conflicts >= 1);
  }

  TEST_CASE("two_homes.linker: a school roll at two postcodes through the same year is two pupils") {
    // Two Tylers born the same day, on school rolls at different postcodes for years. A record
    // with only the first name and the date of birth (a contact whose surname was not taken)
    // matches both; it must not make them one pupil.
    Population pop = make_population(30, 43);
    auto add = [&](const std::string& id, const std::string& surname, const std::string& postcode, const std::string& date) {
      pop.records.push_back(eh_test::dated(eh_test::person(id, "tyler", surname, "2015-04-16", "", postcode, "m", "school"), date));
    };
    for (const char* d : {"2022-07-21", "2022-12-20", "2023-03-31", "2023-07-21", "2023-12-20", "2024-03-31"}) {
      add(std::string("o") + d, "o'connor", "CO13 4AJ", d);
      add(std::string("d") + d, "dixon", "CM8 4DE", d);
    }
    pop.records.push_back(eh_test::dated(eh_test::person("b1", "tyler", "", "2015-04-16", "", "", "m", "contacts"), "2024-09-13"));
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    CHECK(p["o2022-07-21"] == p["o2024-03-31"]);
    CHECK(p["d2022-07-21"] == p["d2024-03-31"]);
    CHECK(p["o2022-07-21"] != p["d2022-07-21"]);
  }
}
