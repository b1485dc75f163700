// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/normalise.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace earlyhelp::linkage;
using Strings = std::vector<std::string>;

TEST_SUITE("normalise") {
  TEST_CASE("normalise.folding: case and diacritics") {
    CHECK(fold_case("ÉMILE Ørsted") == "émile ørsted");
    CHECK(fold_diacritics("Zoë Łukasz Straße Æsa Þór") == "Zoe lukasz Strasse aesa thor");
    CHECK(fold_diacritics("ﬁona") == "fiona");  // compatibility ligature
    CHECK(fold_diacritics("Ĳsselmeer").substr(0, 2) == "IJ");
    CHECK(fold_diacritics("") == "");
  }

  TEST_CASE("normalise.normalise_name: punctuation, whitespace, titles and suffixes") {
    CHECK(normalise_name("  Dr. Zoë  O'Brien-Smith Jnr ") == "zoe obrien-smith");
    CHECK(normalise_name("MRS   MARY-ANNE  SMITH") == "mary-anne smith");
    CHECK(normalise_name("Smith - Jones") == "smith jones");  // spaced dash is not a join
    CHECK(normalise_name("Mary-Anne", NameOptions{false, true, true}) == "mary anne");
    CHECK(normalise_name("Dr") == "dr");  // a title alone is kept
    CHECK(normalise_name("John Smith III") == "john smith");
    CHECK(normalise_name("Mr John Smith", NameOptions{true, false, true}) == "mr john smith");
    CHECK(normalise_name("D’Arcy") == "darcy");  // typographic apostrophe
    CHECK(normalise_name("Анна  Иванова") == "анна иванова");
    CHECK(normalise_name("!!!") == "");
  }

  TEST_CASE("normalise.surnames: multi-part and hyphenated") {
    CHECK(surname_variants("Smith-Jones") == Strings{"smithjones", "smith", "jones"});
    CHECK(surname_variants("van der Berg") == Strings{"vanderberg", "berg"});
    CHECK(surname_variants("de la Cruz") == Strings{"delacruz", "cruz"});
    CHECK(surname_variants("O'Neill") == Strings{"oneill"});
    CHECK(surname_variants("").empty());
  }

  TEST_CASE("normalise.nicknames: aliases both ways") {
    CHECK(forenames_equivalent("Bill", "William"));
    CHECK(forenames_equivalent("william", "WILL"));
    CHECK(forenames_equivalent("Bill", "Will"));  // via the shared group
    CHECK(forenames_equivalent("Peggy", "Margaret"));
    CHECK(forenames_equivalent("Margaret", "Peggy"));
    CHECK(forenames_equivalent("Zoë", "zoe"));
    // Short forms common in council records beyond English diminutives.
    CHECK(forenames_equivalent("Davey", "David"));
    CHECK(forenames_equivalent("Mohd", "Mohammed"));
    CHECK(forenames_equivalent("Md", "Muhammad"));
    CHECK(forenames_equivalent("Ibby", "Ibrahim"));
    CHECK_FALSE(forenames_equivalent("Mohammed", "Ibrahim"));
    CHECK(canonical_forenames("Bert") ==
          Strings{"albert", "bertram", "gilbert", "herbert", "hubert", "robert"});
    CHECK_FALSE(forenames_equivalent("Bill", "Margaret"));
    CHECK_FALSE(forenames_equivalent("", ""));
    CHECK(canonical_forenames("Bill") == Strings{"william"});
    CHECK(canonical_forenames("Al") == Strings{"albert", "alexander", "alfred"});
    CHECK(canonical_forenames("Xanthe") == Strings{"xanthe"});
    const Strings peggy = forename_aliases("peggy");
    CHECK(std::find(peggy.begin(), peggy.end(), "margaret") != peggy.end());
    CHECK(std::find(peggy.begin(), peggy.end(), "meg") != peggy.end());
  }

  TEST_CASE("normalise.nicknames: the table is large and every group is symmetric") {
    const auto& index = earlyhelp::linkage::detail::nickname_index();
    CHECK(index.canonical.size() >= 150);
    CHECK(index.entries.size() >= 600);
    for (const auto& e : index.entries) {
      const std::string alias(e.first);
      const std::string formal(index.canonical[e.second]);
      REQUIRE(forenames_equivalent(alias, formal));
      REQUIRE(forenames_equivalent(formal, alias));
      // The linker keeps every full name of a short form (NameInfo::canonical and more_canonical).
      REQUIRE(canonical_forenames(alias).size() <= 1 + earlyhelp::linkage::NameInfo{}.more_canonical.size());
    }
  }
}
