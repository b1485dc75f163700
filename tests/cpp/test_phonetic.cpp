// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/phonetic.hpp"
#include "reference/linkage_reference.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace earlyhelp::linkage;
namespace ref = earlyhelp::reference;

TEST_SUITE("phonetic") {
  TEST_CASE("phonetic.vectors: jellyfish soundex, metaphone, nysiis, match rating") {
    const auto sx = ref::shared_file("jellyfish/soundex.csv");
    if (!sx) {
      MESSAGE("skipped: jellyfish vectors not found (set EARLYHELP_SHARED_DATA)");
      return;
    }
    const auto rows = ref::read_csv(*sx);
    REQUIRE(rows.size() == 11);
    for (const auto& r : rows) CHECK(soundex(r[0]) == r[1]);
    for (const auto& r : ref::read_csv(*ref::shared_file("jellyfish/metaphone.csv"))) CHECK(metaphone(r[0]) == r[1]);
    for (const auto& r : ref::read_csv(*ref::shared_file("jellyfish/nysiis.csv"))) CHECK(nysiis(r[0]) == r[1]);
    for (const auto& r : ref::read_csv(*ref::shared_file("jellyfish/match_rating_codex.csv")))
      CHECK(match_rating_codex(r[0]) == r[1]);
    for (const auto& r : ref::read_csv(*ref::shared_file("jellyfish/match_rating_comparison.csv"))) {
      const auto got = match_rating_comparison(r[0], r[1]);
      CHECK((got ? (*got ? "True" : "False") : "None") == r[2]);
    }
  }

  TEST_CASE("phonetic.known values") {
    CHECK(soundex("Robert") == "R163");
    CHECK(soundex("Rupert") == "R163");
    CHECK(soundex("Ashcraft") == "A261");  // H does not separate equal codes
    CHECK(soundex("") == "");
    CHECK(nysiis("MacArthur") == "MCARTAR");
    CHECK(nysiis("") == "");
    CHECK(metaphone("Thompson") == "0MPSN");
    CHECK(metaphone("dumb") == "TM");  // silent final B after M
    CHECK(metaphone("sign") == "S");  // final GN silent (jellyfish)
    CHECK(match_rating_codex("Byrne") == "BYRN");
    CHECK(match_rating_comparison("Tim", "Timothy") == std::nullopt);
  }

  TEST_CASE("phonetic.double_metaphone: published examples") {
    struct Case {
      const char* name;
      const char* primary;
      const char* alternate;
    };
    const Case cases[] = {
        {"Smith", "SM0", "XMT"},     {"Schmidt", "XMT", "SMT"},  {"Xavier", "SF", "SFR"},
        {"Catherine", "K0RN", "KTRN"}, {"Katherine", "K0RN", "KTRN"}, {"Jose", "HS", "HS"},
        {"Arnow", "ARN", "ARNF"},   {"Dumb", "TM", "TM"},       {"Michael", "MKL", "MXL"},
        {"maurice", "MRS", "MRS"},  {"aubrey", "APR", "APR"},   {"heidi", "HT", "HT"},
        {"Thumbail", "0MPL", "TMPL"}, {"richard", "RXRT", "RKRT"}, {"bob", "PP", "PP"},
        {"eric", "ARK", "ARK"},     {"geoff", "JF", "KF"},      {"Through", "0R", "TR"},
        {"Schwein", "XN", "XFN"},   {"dave", "TF", "TF"},       {"ray", "R", "R"},
        {"steven", "STFN", "STFN"}, {"bryce", "PRS", "PRS"},    {"Johnson", "JNSN", "ANSN"},
        {"Williams", "ALMS", "FLMS"}, {"Jones", "JNS", "ANS"},  {"Brown", "PRN", "PRN"},
        {"Knight", "NT", "NT"},     {"Gallegos", "KLKS", "KKS"}, {"Filipowicz", "FLPT", "FLPF"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.name);
      const DoubleMetaphoneCode d = double_metaphone(c.name);
      CHECK(d.primary == c.primary);
      CHECK(d.alternate == c.alternate);
    }
    CHECK(double_metaphone("cambrillo", 8).primary == "KMPRL");
    CHECK(double_metaphone("cambrillo", 8).alternate == "KMPR");
    CHECK(double_metaphone("Françoise").primary == "FRNS");  // C-cedilla sounds S
    CHECK(double_metaphone("Francoise").primary == "FRNK");
    CHECK(double_metaphone("Peña").primary == "PN");
    CHECK(double_metaphone("").primary.empty());
  }

  TEST_CASE("phonetic.robustness: random and malformed input never throws") {
    const auto names = ref::random_strings(3, U"abcdefghijklmnopqrstuvwxyz ÇÑéß'-中😀", 500, 16);
    for (const auto& s : names) {
      CHECK_NOTHROW(soundex(s));
      CHECK_NOTHROW(nysiis(s));
      CHECK_NOTHROW(metaphone(s));
      CHECK_NOTHROW(double_metaphone(s));
      CHECK_NOTHROW(match_rating_comparison(s, "Smith"));
      CHECK(double_metaphone(s).primary.size() <= 4);
    }
    CHECK_NOTHROW(soundex("\xFF"));
  }
}
