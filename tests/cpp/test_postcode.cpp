// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/postcode.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace earlyhelp::linkage;

TEST_SUITE("postcode") {
  TEST_CASE("postcode.valid: every outward format and the special GIR 0AA") {
    for (const char* pc : {"M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA"}) {
      CAPTURE(pc);
      CHECK(postcode_valid(pc));
    }
    for (const char* pc : {"", "1AA 1AA", "QA1 1AA", "AI1 1AA", "A1 1AC", "EC1A 1B", "SW1A1AAX", "W1I 1AA",
                           "AA1A1 1AA", "M1 1AO", "M!1 1AE"}) {
      CAPTURE(pc);
      CHECK_FALSE(postcode_valid(pc));
    }
  }

  TEST_CASE("postcode.normalise and components") {
    CHECK(normalise_postcode(" sw1a1aa ") == "SW1A 1AA");
    CHECK(normalise_postcode("ec1a  1bb") == "EC1A 1BB");
    CHECK(normalise_postcode("nonsense") == std::nullopt);
    const auto p = parse_postcode("ls14ab");
    REQUIRE(p);
    CHECK(p->area() == "LS");
    CHECK(p->district() == "LS1");
    CHECK(p->sector() == "LS1 4");
    CHECK(p->unit() == "LS1 4AB");
    CHECK(parse_postcode("M1 1AE")->area() == "M");
  }

  TEST_CASE("postcode.compare: finest shared level") {
    CHECK(compare_postcodes("LS1 4AB", "ls14ab") == PostcodeLevel::unit);
    CHECK(compare_postcodes("LS1 4AB", "LS1 4XY") == PostcodeLevel::sector);
    CHECK(compare_postcodes("LS1 4AB", "LS1 5AB") == PostcodeLevel::district);
    CHECK(compare_postcodes("LS1 4AB", "LS2 4AB") == PostcodeLevel::area);
    CHECK(compare_postcodes("LS1 4AB", "M1 1AE") == PostcodeLevel::different);
    CHECK(compare_postcodes("LS1 4AB", "") == PostcodeLevel::missing);
    CHECK(postcode_level_name(PostcodeLevel::sector) == "sector");
  }
}
