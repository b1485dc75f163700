// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/training.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

namespace {

ComparisonVector pattern(std::uint8_t first, std::uint8_t dob, std::uint8_t address, std::uint8_t postcode,
                         std::uint8_t town) {
  ComparisonVector v;
  v.fill(null_level);
  v[kFirst] = first;
  v[kDob] = dob;
  v[static_cast<std::size_t>(Field::surname)] = levels::Surname::exact;
  v[static_cast<std::size_t>(Field::address)] = address;
  v[static_cast<std::size_t>(Field::postcode)] = postcode;
  v[static_cast<std::size_t>(Field::town)] = town;
  return v;
}

}  // namespace

TEST_SUITE("fellegi_sunter") {
  TEST_CASE("fellegi_sunter.place_once: a shared home adds its strongest place weight once, a move its strongest disagreement once") {
    const ModelParameters p = ModelParameters::defaults();
    const PreparedRecords none;
    const FellegiSunter once(p, none, false, /*household_guard=*/false, 0.04, /*place_once=*/true);
    const FellegiSunter four(p, none, false, /*household_guard=*/false, 0.04, /*place_once=*/false);
    const auto w = [&](Field f, std::uint8_t l) { return once.level_weight(f, l); };
    // One home: address, postcode and town agree.
    const ComparisonVector home = pattern(levels::FirstName::exact, levels::Dob::exact, levels::Address::exact,
                                          levels::Postcode::unit, levels::Town::exact);
    WeightParts a, b;
    const double bounded = once.pattern_weight(home, a), summed = four.pattern_weight(home, b);
    const double place = w(Field::address, levels::Address::exact) + w(Field::postcode, levels::Postcode::unit) +
                         w(Field::town, levels::Town::exact);
    const double strongest = std::max({w(Field::address, levels::Address::exact), w(Field::postcode, levels::Postcode::unit),
                                       w(Field::town, levels::Town::exact)});
    CHECK(summed - bounded == doctest::Approx(place - strongest));
    CHECK(a.place_once == doctest::Approx(strongest - place));
    CHECK(a.place_once < 0);
    CHECK(b.place_once == 0);
    // A move: every place field disagrees; the strongest disagreement counts once.
    const ComparisonVector moved = pattern(levels::FirstName::exact, levels::Dob::exact, levels::Address::different,
                                           levels::Postcode::different, levels::Town::different);
    WeightParts c;
    once.pattern_weight(moved, c);
    CHECK(c.place_once > 0);
    // Mixed evidence (the same postcode, another address) is not bounded.
    REQUIRE(w(Field::address, levels::Address::different) < 0);
    const ComparisonVector neighbour = pattern(levels::FirstName::exact, levels::Dob::exact, levels::Address::different,
                                               levels::Postcode::unit, null_level);
    WeightParts d;
    once.pattern_weight(neighbour, d);
    CHECK(d.place_once == 0);
  }

  TEST_CASE("fellegi_sunter.em_bounds: EM within households cannot give disagreeing person evidence more than its bound") {
    // Pairs within one postcode under one surname when every person has one record: all are
    // members of a household (first names and dates of birth differ; a few twins, a few juniors).
    // Left alone, EM takes the household for the match.
    PatternHistogram h;
    h.emplace_back(pack(pattern(levels::FirstName::different, levels::Dob::different, levels::Address::exact,
                                levels::Postcode::unit, levels::Town::exact)), 600.0);
    h.emplace_back(pack(pattern(levels::FirstName::different, levels::Dob::exact, levels::Address::exact,
                                levels::Postcode::unit, levels::Town::exact)), 20.0);
    h.emplace_back(pack(pattern(levels::FirstName::exact, levels::Dob::different, levels::Address::exact, levels::Postcode::unit,
                                levels::Town::exact)), 30.0);
    std::sort(h.begin(), h.end());
    ModelParameters p = ModelParameters::defaults();
    std::array<std::vector<double>, n_fields> u;
    for (std::size_t f = 0; f < n_fields; ++f) u[f] = p.fields[f].u;
    const std::vector<Field> fixed{Field::surname, Field::address, Field::postcode, Field::town, Field::uprn};
    std::array<std::vector<double>, n_fields> free_m, bounded_m;
    double lambda = 0.3, lambda_b = 0.3;
    em_estimate_m(h, fixed, u, p, free_m, lambda, 50, 1e-6);
    const MBounds bounds = person_evidence_bounds(0.04);
    em_estimate_m(h, fixed, u, p, bounded_m, lambda_b, 50, 1e-6, &bounds);
    CHECK(free_m[kFirst][levels::FirstName::different] > 0.5);  // the household learnt as a person
    CHECK(bounded_m[kFirst][levels::FirstName::different] <= 0.04 + 1e-12);
    CHECK(bounded_m[kDob][levels::Dob::different] <= 0.04 + 1e-12);
    double sum = 0;
    for (const double m : bounded_m[kFirst]) sum += m;
    CHECK(sum == doctest::Approx(1.0));
  }
}
