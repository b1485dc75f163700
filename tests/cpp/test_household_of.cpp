// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/household_of.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("household_of") {
  TEST_CASE("household_of: one person's household is theirs in Linker::households, sorted by person id") {
    const Population pop = make_population(30, 5);
    Linker linker = linked(pop.records);
    const std::vector<HouseholdMembership> every = linker.households(20240101);
    const HouseholdIndex index(linker, 20240101);
    CHECK(index.persons() == every.size());
    for (std::size_t i = 0; i < every.size(); i += 5) {
      std::vector<std::string> want;
      for (const auto& m : every)
        if (m.household_id == every[i].household_id) want.push_back(m.person_id);
      std::sort(want.begin(), want.end());
      std::vector<std::string> got;
      for (const auto& m : household_of(linker, every[i].person_id, 20240101)) got.push_back(m.person_id);
      CHECK(got == want);
    }
    CHECK_THROWS_AS(index.of("P-no-such-person"), InvalidArgument);
  }

  TEST_CASE("household_of.cache: kept for one date and revision, rebuilt for another date or after records are added") {
    Population pop = make_population(20, 7);
    Linker linker = linked(pop.records);
    HouseholdCache cache;
    const auto first = cache.at(linker, 20240101);
    CHECK(cache.at(linker, 20240101) == first);  // the same index, not a rebuild
    const auto other_date = cache.at(linker, 20230101);
    CHECK(other_date != first);
    CHECK(other_date->as_of() == 20230101);
    CHECK(first->as_of() == 20240101);  // an index handed out outlives the cache moving on

    const std::uint64_t before = linker.revision();
    const std::string person = linker.person_ids().front();
    const std::size_t members = cache.at(linker, 20240101)->of(person).size();
    Record newborn = pop.records.front();
    newborn.record_id = "newborn";
    newborn.first_name = "zebedee";
    newborn.dob = "2023-05-17";
    newborn.middle_name = newborn.sex = newborn.nhs_number = "";
    const std::vector<std::string> added = linker.add_records({newborn});  // linked incrementally
    REQUIRE(added.size() == 1);
    CHECK(linker.revision() != before);
    const auto rebuilt = cache.at(linker, 20240101);
    CHECK(rebuilt->revision() == linker.revision());
    CHECK(rebuilt->persons() == first->persons() + 1);
    const auto now = rebuilt->of(person);
    CHECK(now.size() == members + 1);  // the newborn lives at the person's home
    CHECK(std::any_of(now.begin(), now.end(), [&](const HouseholdMembership& m) { return m.person_id == added[0]; }));

    CHECK_THROWS_AS(HouseholdCache().at(Linker(), 20240101), StateError);  // not linked: nothing kept
  }
}
