// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/pair_conflict.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <initializer_list>
#include <utility>
#include <vector>

using namespace earlyhelp::linkage;
using namespace eh_test;

namespace {

// Two records at one home under one surname, prepared as identities 0 and 1, with the default model.
struct AtHome {
  PreparedRecords r;
  FellegiSunter scorer;
  ComparisonVector v{};
  AtHome(const std::string& first_a, const std::string& dob_a, const std::string& first_b, const std::string& dob_b) {
    r.add({person("a", first_a, "wood", dob_a, "58 station grove", "HX14 6HT", "M", "health"),
           person("b", first_b, "wood", dob_b, "58 station grove", "HX14 6HT", "M", "social_care")});
    scorer = FellegiSunter(ModelParameters::defaults(), r, false, /*household_guard=*/true);
    v = compare_identities(r, 0, 1);
  }
  bool model_conflict() const { return scorer.conflict(v) && look_alike(v); }
  bool apart(bool person_rules) const { return keep_apart(r, scorer, v, 0, 1, person_rules); }
};

// Gives `lk` records of the Wood family at 58 Station Grove ({id, first name, date of birth,
// source}) and the default model (as AtHome's).
struct WoodRecord {
  const char *id, *first, *dob, *source;
};
void add_wood_family(Linker& lk, std::initializer_list<WoodRecord> records) {
  std::vector<Record> raw;
  for (const auto& w : records) raw.push_back(person(w.id, w.first, "wood", w.dob, "58 station grove", "HX14 6HT", "M", w.source));
  lk.add_records(raw);
  lk.load_model_json(lk.model_json());
}

// Whether an explanation carries a term named `name`.
bool has_term(const Explanation& e, const std::string& name) {
  for (const auto& t : e.terms)
    if (t.name == name) return true;
  return false;
}

}  // namespace

TEST_SUITE("pair_conflict") {
  TEST_CASE("pair_conflict.keep_apart: first names the person rules reconcile are no conflict, other disagreements are") {
    // Jaco and Jake, Jacob and Jakub (two keying errors), Arj and Arjun, Raj and Rajesh (short
    // forms), no dates of birth: the model's first-name levels call them a conflict.
    for (const auto& [a, b] : {std::pair{"jaco", "jake"}, std::pair{"jacob", "jakub"}, std::pair{"arj", "arjun"},
                               std::pair{"raj", "rajesh"}}) {
      const AtHome h(a, "", b, "");
      CAPTURE(a);
      REQUIRE(h.model_conflict());
      CHECK_FALSE(h.apart(true));
      CHECK(h.apart(false));  // without the person rules (a list of individuals) the model decides
    }
    // A father and son: names reconciled, dates of birth that disagree stay a conflict.
    CHECK(AtHome("jaco", "1967-02-12", "jake", "1995-07-30").apart(true));
    // Names the rules do not reconcile stay a conflict.
    for (const auto& [a, b] : {std::pair{"jake", "harvey"}, std::pair{"kemi", "oluwakemi"}}) {
      const AtHome h(a, "", b, "");
      CAPTURE(a);
      REQUIRE(h.model_conflict());
      CHECK(h.apart(true));
    }
    // A pair the model does not call a conflict is never one here.
    const AtHome same("jacob", "1967-02-12", "jacob", "1967-02-12");
    CHECK_FALSE(same.model_conflict());
    CHECK_FALSE(same.apart(true));
    CHECK_FALSE(same.apart(false));
  }

  TEST_CASE("pair_conflict.explain: an explanation calls a pair a conflict as clustering does") {
    Linker lk;
    add_wood_family(lk, {{"a", "jacob", "", "health"},
                         {"b", "jakub", "", "social_care"},
                         {"c", "jake", "", "health"},
                         {"d", "harvey", "", "social_care"},
                         {"e", "zak", "", "social_care"},
                         {"f", "zakariya", "2022-08-05", "health"}});
    const AtHome jacob("jacob", "", "jakub", ""), jake("jake", "", "harvey", "");
    REQUIRE(jacob.model_conflict());
    REQUIRE(jake.model_conflict());
    const Explanation reconciled = lk.explain("a", "b"), apart = lk.explain("c", "d");
    CHECK_FALSE(reconciled.conflict);  // the person rules reconcile the names: not kept apart
    CHECK(apart.conflict);
    // The household discount (a first-name conflict level) is still a term, but not for a short
    // form (FellegiSunter::set_short_forms_agree): Zak and Zakariya keep their shared home.
    CHECK(has_term(reconciled, "household discount"));
    CHECK(has_term(apart, "household discount"));
    CHECK_FALSE(has_term(lk.explain("e", "f"), "household discount"));
  }
}

TEST_SUITE("fellegi_sunter") {
  TEST_CASE("fellegi_sunter.short_forms_agree: a short form at one home keeps its household evidence") {
    // (weight, household discount) of an AtHome pair with short forms agreeing or not.
    const auto score = [](const AtHome& h, bool short_forms) {
      FellegiSunter s = h.scorer;
      s.set_short_forms_agree(short_forms);
      WeightParts parts;
      const double w = s.weight(h.r, 0, 1, h.v, parts);
      return std::pair{w, parts.discount};
    };
    // Zak and Zakariya, Dani and Danielle, Arj and Arjun: the model's first-name levels call them
    // a conflict and discount the shared home and surname; as short forms they keep them.
    for (const auto& [a, b] : {std::pair{"zak", "zakariya"}, std::pair{"dani", "danielle"}, std::pair{"arj", "arjun"}}) {
      for (const char* dob_b : {"", "2022-08-05"}) {  // one record undated, or both
        const AtHome h(a, "", b, dob_b);
        const std::string name = a, dob = dob_b;
        CAPTURE(name);
        CAPTURE(dob);
        REQUIRE(h.model_conflict());
        const auto [w_off, discount_off] = score(h, false);
        const auto [w_on, discount_on] = score(h, true);
        CHECK(discount_off > 0);
        CHECK(discount_on == 0);
        CHECK(w_on == doctest::Approx(w_off + discount_off));
      }
    }
    // A father and his son: dates of birth that disagree keep the discount.
    const AtHome father_son("zak", "1989-02-22", "zakariya", "2022-08-05");
    CHECK(score(father_son, true).second > 0);
    // Names further apart (siblings' names two keying errors apart, another name, a prefix of
    // two letters) keep it too.
    for (const auto& [a, b] : {std::pair{"isla", "ella"}, std::pair{"florin", "sorin"}, std::pair{"jacob", "jakub"},
                               std::pair{"jake", "harvey"}, std::pair{"ay", "ayesha"}}) {
      const AtHome h(a, "", b, "");
      const std::string name = a;
      CAPTURE(name);
      REQUIRE(h.model_conflict());
      CHECK(score(h, true).second > 0);
    }
  }
}
