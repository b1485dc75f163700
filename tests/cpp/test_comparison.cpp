// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/comparison.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;

TEST_SUITE("comparison") {
  TEST_CASE("comparison.levels: each named level is the level of that name") {
    CHECK(level_names(Field::first_name)[levels::FirstName::nickname] == "nickname");
    CHECK(level_names(Field::first_name)[levels::FirstName::close_typo] == "jaro_winkler_0.92");
    CHECK(level_names(Field::first_name)[levels::FirstName::different] == "different");
    CHECK(level_names(Field::surname)[levels::Surname::phonetic_or_part] == "phonetic_or_part");
    CHECK(level_names(Field::dob)[levels::Dob::partial_agrees] == "partial_agrees");
    CHECK(level_names(Field::dob)[levels::Dob::same_year] == "same_year");
    CHECK(level_names(Field::address)[levels::Address::flat_differs] == "flat_differs");
    CHECK(level_names(Field::postcode)[levels::Postcode::district_or_one_off] == "district_or_one_off");
    CHECK(level_names(Field::town)[levels::Town::similar] == "jaro_winkler_0.90");
    CHECK(level_names(Field::uprn)[levels::Uprn::different] == "different");
    CHECK(level_names(Field::identifier)[levels::Identifier::one_edit] == "one_edit");
    CHECK(n_levels(Field::first_name) == levels::FirstName::count);
    CHECK(n_levels(Field::identifier) == levels::Identifier::count);
  }

  TEST_CASE("comparison.compare_identities: named levels of a pair, a swap of first name and surname") {
    PreparedRecords r;
    r.add({eh_test::person("a", "William", "Smith", "1980-04-03", "14 Mill Lane", "LS1 1AA", "M"),
           eh_test::person("b", "Bill", "Smith", "1980-03-04", "14 Mill Lane", "LS1 1AB", "M"),
           eh_test::person("c", "Smith", "William", "1980-04-03", "14 Mill Lane", "LS1 1AA", "M"),
           eh_test::person("d", "Wilma", "Smith", "1987-04-03", "", "LS1 1AA", "F")});
    const auto id = [&](std::size_t i) { return r.identity_of[i]; };
    const ComparisonVector ab = compare_identities(r, id(0), id(1));
    CHECK(level_of(ab, Field::first_name) == levels::FirstName::nickname);
    CHECK(level_of(ab, Field::surname) == levels::Surname::exact);
    CHECK(level_of(ab, Field::dob) == levels::Dob::day_month_transposed);
    CHECK(level_of(ab, Field::address) == levels::Address::exact);
    CHECK(level_of(ab, Field::postcode) == levels::Postcode::sector);
    CHECK(level_of(ab, Field::uprn) == null_level);
    const ComparisonVector ac = compare_identities(r, id(0), id(2));
    CHECK(level_of(ac, Field::first_name) == levels::FirstName::exact);  // compared crosswise
    CHECK(level_of(ac, Field::surname) == levels::Surname::exact);
    const ComparisonVector ad = compare_identities(r, id(0), id(3));
    CHECK(level_of(ad, Field::first_name) == levels::FirstName::similar);
    CHECK(level_of(ad, Field::dob) == levels::Dob::one_digit_off);
    CHECK(level_of(ad, Field::sex) == levels::Sex::different);
    CHECK(level_of(ad, Field::address) == null_level);
    // One family at one home looks alike; so do namesakes anywhere.
    CHECK(look_alike(ad));
    ComparisonVector far = ad;
    far[static_cast<std::size_t>(Field::first_name)] = levels::FirstName::different;
    far[static_cast<std::size_t>(Field::postcode)] = levels::Postcode::different;
    CHECK_FALSE(look_alike(far));
    CHECK(is_conflict_level(Field::first_name, levels::FirstName::different));
    CHECK_FALSE(is_conflict_level(Field::first_name, levels::FirstName::nickname));
    CHECK(is_conflict_level(Field::dob, levels::Dob::different));
    CHECK_FALSE(is_conflict_level(Field::dob, levels::Dob::same_year));
  }

  TEST_CASE("comparison.compare_identities: a swap with an initial, a keying error, or surnames alike only by sound") {
    PreparedRecords r;
    r.add({eh_test::person("a", "Olivia", "Taylor", "", "14 Mill Lane", "LS1 1AA", "F"),
           eh_test::person("b", "Taylor", "O", "", "14 Mill Lane", "LS1 1AA", "F"),
           eh_test::person("c", "Amit", "Sharma", "", "14 Mill Lane", "LS1 1AA", "M"),
           eh_test::person("d", "Sharma", "Amir", "", "14 Mill Lane", "LS1 1AA", "M"),
           eh_test::person("e", "Samina", "Zaman", "", "14 Mill Lane", "LS1 1AA", "F"),
           eh_test::person("f", "Zaman", "Samina", "", "14 Mill Lane", "LS1 1AA", "F"),
           eh_test::person("g", "Tara", "Olsen", "", "14 Mill Lane", "LS1 1AA", "F")});
    const auto cmp = [&](std::size_t i, std::size_t j) { return compare_identities(r, r.identity_of[i], r.identity_of[j]); };
    // TAYLOR O is Olivia Taylor with her names swapped: an initial and the same surname.
    const ComparisonVector ab = cmp(0, 1);
    CHECK(level_of(ab, Field::first_name) == levels::FirstName::initial);
    CHECK(level_of(ab, Field::surname) == levels::Surname::exact);
    // Sharma Amir: swapped, and Amit typed Amir (one keying error, which Jaro-Winkler puts below 0.92).
    const ComparisonVector cd = cmp(2, 3);
    CHECK(level_of(cd, Field::first_name) == levels::FirstName::close_typo);
    CHECK(level_of(cd, Field::surname) == levels::Surname::exact);
    // Zaman and Samina sound alike (surname phonetic), yet the names are swapped exactly.
    const ComparisonVector ef = cmp(4, 5);
    CHECK(level_of(ef, Field::first_name) == levels::FirstName::exact);
    CHECK(level_of(ef, Field::surname) == levels::Surname::exact);
    // An initial that only fits crosswise on one side is no swap: Tara Olsen and TAYLOR O.
    const ComparisonVector gb = cmp(6, 1);
    CHECK(level_of(gb, Field::first_name) != levels::FirstName::initial);
    CHECK(level_of(gb, Field::surname) == levels::Surname::different);
  }
}
