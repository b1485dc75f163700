// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/linker.hpp"
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

TEST_SUITE("orphans") {
  TEST_CASE("orphans.absorb: a name alone never joins an orphan, even to the one established person with it") {
    Population pop = make_population(30, 29);
    auto add = [&](const std::string& id, const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& address, const std::string& postcode, const std::string& source) {
      pop.records.push_back(eh_test::person(id, first, surname, dob, address, postcode, "", source));
    };
    // A council tax account of a Zebedee Quarrington at an address where no Quarrington was ever
    // recorded, and one Zebedee Quarrington with a date of birth elsewhere: the account may be his
    // (an old address) or another Zebedee's whose records carry no date of birth. Only the name
    // joins them, and a name alone does not decide.
    add("o1", "zebedee", "quarrington", "", "4 old lane", "LS11 9ZZ", "council_tax");
    add("q1", "zebedee", "quarrington", "1979-03-14", "5 oak close", "LS9 2BB", "register");
    add("q2", "zebedee", "quarrington", "1979-03-14", "5 oak close", "LS9 2BB", "health");
    // Two different Ignatius Zylberbergs: the name-only record cannot say whose it is.
    add("o2", "ignatius", "zylberberg", "", "8 far road", "LS12 8ZZ", "council_tax");
    add("z1", "ignatius", "zylberberg", "1950-01-02", "77 ash drive", "LS7 3DD", "register");
    add("z2", "ignatius", "zylberberg", "1990-06-07", "12 elm grove", "LS6 1AA", "register");
    // Two Hortensia Plimsolls: one lived elsewhere all through the orphan's account, the other
    // moved to her present home after it closed; the account may be the second one's, but only
    // the name says so.
    auto dated = [&](const std::string& id, const std::string& dob, const std::string& address,
                     const std::string& postcode, const std::string& date) {
      add(id, "hortensia", "plimsoll", dob, address, postcode, "council_tax");
      pop.records.back().record_date = date;
    };
    dated("o3", "", "3 mill lane", "LS2 4ZZ", "2022-04-01");
    dated("o4", "", "3 mill lane", "LS2 4ZZ", "2023-03-01");
    dated("h1", "1961-02-03", "9 wood way", "LS1 5XX", "2022-01-01");
    dated("h2", "1961-02-03", "9 wood way", "LS1 5XX", "2024-06-01");
    dated("k1", "1984-10-11", "70 new road", "LS8 6YY", "2023-07-01");
    dated("k2", "1984-10-11", "70 new road", "LS8 6YY", "2024-07-01");
    for (const bool absorb : {true, false}) {
      Settings s = fast_settings();
      s.absorb_orphans = absorb;
      Linker linker = linked(pop.records, s);
      auto p = person_by_record(linker);
      CHECK(p["q1"] == p["q2"]);
      CHECK(p["o1"] != p["q1"]);
      CHECK(p["o2"] != p["z1"]);
      CHECK(p["o2"] != p["z2"]);
      CHECK(p["o3"] == p["o4"]);
      CHECK(p["h1"] != p["k1"]);
      CHECK(p["o3"] != p["h1"]);
      CHECK(p["o3"] != p["k1"]);
      CHECK(linker.stats().orphans_absorbed == 0);
    }
    CHECK(Settings::from_json(R"({"absorb_orphans": false})").absorb_orphans == false);
  }

  TEST_CASE("orphans.absorb: among namesakes, the one whose family was recorded at the orphan's address takes it") {
    for (const bool witness : {true, false}) {
      Population pop = make_population(30, 31);
      auto add = [&](const std::string& id, const std::string& first, const std::string& dob, const std::string& address,
                     const std::string& postcode, const std::string& source, const std::string& date) {
        pop.records.push_back(eh_test::dated(eh_test::person(id, first, "ng", dob, address, postcode, "", source), date));
      };
      // Wen Ng's council tax at the flat the family left in March 2023; nothing else of hers was
      // recorded there. Three Wen Ngs live in the county.
      add("o1", "wen", "", "flat 3, 10 albert street", "CO16 0AR", "council_tax", "2022-04-01");
      add("o2", "wen", "", "flat 3, 10 albert street", "CO16 0AR", "council_tax", "2023-03-01");
      add("a1", "wen", "1972-08-28", "12 highfield hill", "CO5 1AX", "register", "current");
      add("a2", "wen", "1972-08-28", "12 highfield hill", "CO5 1AX", "health", "2023-08-09");
      add("b1", "wen", "1985-02-02", "40 low road", "CO3 5AD", "register", "current");
      add("c1", "wen", "1990-05-05", "7 park lane", "CO9 7AR", "register", "current");
      // Her daughter lives with her now; her school recorded the old postcode until the move.
      add("d1", "thi", "2010-01-09", "12 highfield hill", "CO5 1AX", "register", "current");
      add("d3", "thi", "2010-01-09", "", "CO5 1AX", "school", "2023-07-21");
      if (witness) add("d2", "thi", "2010-01-09", "", "CO16 0AR", "school", "2022-12-20");
      Linker linker = linked(pop.records);
      auto p = person_by_record(linker);
      REQUIRE(p["a1"] == p["a2"]);
      CHECK(p["o1"] == p["o2"]);
      CHECK(p["a1"] != p["b1"]);
      CHECK((p["o1"] == p["a1"]) == witness);
      CHECK(p["o1"] != p["b1"]);
      CHECK(p["o1"] != p["c1"]);
    }
  }
}
