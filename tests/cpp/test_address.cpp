// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/address.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/identifiers.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace earlyhelp::linkage;

TEST_SUITE("address") {
  TEST_CASE("address.normalise: abbreviations and punctuation") {
    CHECK(normalise_address("Flat 3, 12 High St.") == "flat 3 12 high street");
    CHECK(normalise_address("Apt 2b, 7 Church Rd") == "flat 2b 7 church road");
    CHECK(normalise_address("  3/12  Queen's Gdns ") == "3/12 queens gardens");
    CHECK(normalise_address("") == "");
  }

  TEST_CASE("address.numbers: house and flat") {
    auto n = extract_address_numbers("Flat 3, 12 High St.");
    CHECK(n.flat == "3");
    CHECK(n.house == "12");
    n = extract_address_numbers("3/12a O'Neill Rd");
    CHECK(n.flat == "3");
    CHECK(n.house == "12a");
    n = extract_address_numbers("Flat B, 40-42 Mill Lane");
    CHECK(n.flat == "b");
    CHECK(n.house == "40-42");
    n = extract_address_numbers("Rose Cottage, Mill Lane");
    CHECK_FALSE(n.flat);
    CHECK_FALSE(n.house);
    // A number, a building's name and another number: the flat in the building, the house on
    // the street, as "Flat 34, Queen Point, 40 Queen Gardens" writes them.
    n = extract_address_numbers("34 Queen Point 40 Queen Gdns");
    CHECK(n.flat == "34");
    CHECK(n.house == "40");
    CHECK(compare_addresses("34 Queen Point 40 Queen Gdns", "Flat 34, Queen Point, 40 Queen Gardens").level ==
          AddressLevel::numbers_agree);
    // A flat so marked keeps the first number the house's.
    n = extract_address_numbers("140 Wellington Fold Flat 2");
    CHECK(n.flat == "2");
    CHECK(n.house == "140");
  }

  TEST_CASE("address.compare: a flat mismatch is strong disagreement") {
    auto c = compare_addresses("Flat 3, 12 High St", "Flat 4, 12 High Street");
    CHECK(c.level == AddressLevel::flat_mismatch);
    CHECK(c.similarity > 0.8);
    CHECK(compare_addresses("12 High St", "12 High Street").level == AddressLevel::exact);
    CHECK(compare_addresses("Flat 3, 12 High St", "flat 3 12 high st, leeds").level == AddressLevel::numbers_agree);
    CHECK(compare_addresses("12 High St", "14 High St").level == AddressLevel::house_mismatch);
    CHECK(compare_addresses("Flat 3, 12 High St", "12 High St Leeds").level == AddressLevel::numbers_unknown);
    CHECK(compare_addresses("", "12 High St").level == AddressLevel::missing);
  }
}

TEST_SUITE("identifiers") {
  TEST_CASE("identifiers.nhs_number: modulus 11 check digit") {
    CHECK(nhs_number_valid("9434765919"));
    CHECK(nhs_number_valid("943 476 5919"));
    CHECK(nhs_number_valid("943-476-5919"));
    CHECK_FALSE(nhs_number_valid("9434765918"));  // wrong check digit
    CHECK_FALSE(nhs_number_valid("943476591"));   // nine digits
    CHECK_FALSE(nhs_number_valid("94347659190"));
    CHECK_FALSE(nhs_number_valid("943476591X"));
    // Stem 100000001 has weighted sum 12, 12 mod 11 = 1, check value 10: never issued, so no
    // tenth digit makes it valid.
    for (char d = '0'; d <= '9'; ++d) CHECK_FALSE(nhs_number_valid(std::string("100000001") + d));
    CHECK(normalise_nhs_number("943 476 5919") == "9434765919");
    // Exhaustive over the check digit of one stem: exactly one (or no) digit is valid.
    int valid = 0;
    for (char d = '0'; d <= '9'; ++d) valid += nhs_number_valid(std::string("401023213") + d);
    CHECK(valid == 1);
    CHECK(nhs_number_valid("4010232137"));
  }

  TEST_CASE("identifiers.uprn") {
    CHECK(normalise_uprn("000010023456789") == "10023456789");
    CHECK(uprn_valid("1"));
    CHECK_FALSE(uprn_valid("0"));
    CHECK_FALSE(uprn_valid("1234567890123"));
    CHECK_FALSE(uprn_valid("12a"));
    CHECK_FALSE(uprn_valid(""));
  }
}

TEST_SUITE("linkage_dates") {
  TEST_CASE("linkage_dates.levels") {
    CHECK(compare_dates("03/04/2010", "2010-04-03") == DateLevel::exact);
    CHECK(compare_dates("03/04/2010", "2010-03-04") == DateLevel::day_month_transposed);
    CHECK(compare_dates("1985-07-14", "1985-07-19") == DateLevel::one_digit_off);
    CHECK(compare_dates("1985-07-14", "1995-07-14") == DateLevel::one_digit_off);
    CHECK(compare_dates("1985-07-14", "1985-02-01") == DateLevel::same_year);
    CHECK(compare_dates("1985", "14/07/1985") == DateLevel::year_only);
    CHECK(compare_dates("07/1985", "1985-07-14") == DateLevel::year_only);
    CHECK(compare_dates("1985-06", "1985-07-14") == DateLevel::different);
    CHECK(compare_dates("1984", "14/07/1985") == DateLevel::different);
    CHECK(compare_dates("1970-01-01", "2001-12-25") == DateLevel::different);
    CHECK(compare_dates("", "1985") == DateLevel::missing);
    CHECK(compare_dates("31/02/1985", "1985-02-28") == DateLevel::missing);  // not a real date
    CHECK(compare_dates(earlyhelp::from_civil(2001, 2, 3), earlyhelp::from_civil(2001, 3, 2)) ==
          DateLevel::day_month_transposed);
    CHECK(date_level_name(DateLevel::one_digit_off) == "one_digit_off");
  }

  TEST_CASE("linkage_dates.parse_partial_date") {
    CHECK(parse_partial_date("1985")->year == 1985);
    CHECK(parse_partial_date("1985-07")->month == 7);
    CHECK(parse_partial_date("7/1985")->month == 7);
    CHECK(parse_partial_date(" 14/07/1985 ")->day == 14);
    CHECK_FALSE(parse_partial_date("13/1985"));
    CHECK_FALSE(parse_partial_date("19x5"));
    CHECK_FALSE(parse_partial_date(""));
  }
}
