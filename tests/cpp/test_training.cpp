// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/training.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

namespace {

bool has(const std::vector<Field>& fields, Field f) { return std::find(fields.begin(), fields.end(), f) != fields.end(); }

}  // namespace

TEST_SUITE("training") {
  TEST_CASE("training.train: one session per rule, each field learnt where the other kind of evidence is held fixed") {
    const Population pop = make_population(200, 3);
    PreparedRecords r;
    r.add(pop.records);
    Settings s = fast_settings();
    const BlockingPlan plan = plan_blocking(r, s.blocking_rules, s.max_block_size, s.window);
    s.n_threads = 1;
    const ModelParameters one = train(r, plan, s);
    s.n_threads = 2;
    const ModelParameters two = train(r, plan, s);
    CHECK(one.fitted);
    REQUIRE(one.sessions.size() == s.blocking_rules.size());
    CHECK(one.lambda > 0.0);
    CHECK(one.lambda < 0.5);
    for (std::size_t f = 0; f < n_fields; ++f) {
      CHECK(one.fields[f].m == two.fields[f].m);  // identical for any thread count
      CHECK(one.fields[f].u == two.fields[f].u);
      CHECK(std::accumulate(one.fields[f].m.begin(), one.fields[f].m.end(), 0.0) == doctest::Approx(1.0));
    }
    CHECK(one.lambda == two.lambda);
    // The postcode and address rules hold household evidence fixed and train person evidence; the
    // first initial and date of birth rule holds the person fixed and trains household evidence.
    // With no identifiers in the data, they are the only trusted sources of their fields.
    const TrainingSession& place = one.sessions[0];
    const TrainingSession& person = one.sessions[2];
    REQUIRE(place.rule == "postcode");
    REQUIRE(person.rule == "first_initial+dob");
    CHECK(has(place.fixed, Field::address));
    CHECK(place.m[static_cast<std::size_t>(Field::address)].empty());
    // First name: the average of the place-based sessions (postcode, address), none other.
    constexpr auto fn = static_cast<std::size_t>(Field::first_name);
    std::vector<double> avg(place.m[fn].size(), 0.0);
    int n_place = 0;
    for (const TrainingSession& t : one.sessions)
      if (has(t.fixed, Field::address) && !t.m[fn].empty()) {
        for (std::size_t l = 0; l < avg.size(); ++l) avg[l] += t.m[fn][l];
        ++n_place;
      }
    REQUIRE(n_place >= 1);
    for (std::size_t l = 0; l < avg.size(); ++l) CHECK(one.fields[fn].m[l] == doctest::Approx(avg[l] / n_place));
    CHECK(one.fields[static_cast<std::size_t>(Field::surname)].m == person.m[static_cast<std::size_t>(Field::surname)]);
    // Only pairs that share the surname train person evidence within a postcode.
    CHECK(place.pairs < static_cast<double>(plan.rules[0].pairs));
  }

  TEST_CASE("training.town_from_moves: a different town is at least as common as a move that crosses one") {
    // Pairs agreeing on full name and date of birth (anchors) at different postcodes: 40 in
    // another town, 60 in the same; and EM's town estimate collapsed to its floor.
    auto pattern = [](std::uint8_t postcode, std::uint8_t town, std::uint8_t first = levels::FirstName::exact) {
      ComparisonVector v;
      v.fill(null_level);
      v[static_cast<std::size_t>(Field::first_name)] = first;
      v[static_cast<std::size_t>(Field::surname)] = levels::Surname::exact;
      v[static_cast<std::size_t>(Field::dob)] = levels::Dob::exact;
      v[static_cast<std::size_t>(Field::sex)] = levels::Sex::same;
      v[static_cast<std::size_t>(Field::postcode)] = postcode;
      v[static_cast<std::size_t>(Field::town)] = town;
      return pack(v);
    };
    const auto collapsed = [] {
      ModelParameters p = ModelParameters::defaults();
      p.fields[static_cast<std::size_t>(Field::postcode)].m = {0.9, 0.02, 0.02, 0.06};
      p.fields[static_cast<std::size_t>(Field::town)].m = {1.0 - 2e-6, 1e-6, 1e-6};
      return p;
    };
    PatternHistogram h = {{pattern(levels::Postcode::different, levels::Town::different), 40.0},
                          {pattern(levels::Postcode::different, levels::Town::exact), 60.0},
                          // not anchors: another first name; the same postcode says nothing of moves
                          {pattern(levels::Postcode::different, levels::Town::exact, levels::FirstName::different), 900.0},
                          {pattern(levels::Postcode::unit, levels::Town::exact), 500.0}};
    std::sort(h.begin(), h.end());
    ModelParameters p = collapsed();
    CHECK(is_anchor(unpack(pattern(levels::Postcode::different, levels::Town::different))));
    CHECK_FALSE(is_anchor(unpack(pattern(levels::Postcode::different, levels::Town::exact, levels::FirstName::different))));
    REQUIRE(town_from_moves(h, p));
    const auto& town = p.fields[static_cast<std::size_t>(Field::town)].m;
    CHECK(town[levels::Town::different] == doctest::Approx(0.06 * 40.5 / 101.0).epsilon(1e-12));
    CHECK(std::accumulate(town.begin(), town.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(town[levels::Town::exact] > 0.97);
    // An estimate already above the bound stays; so does one with too few moves to judge.
    ModelParameters high = collapsed();
    high.fields[static_cast<std::size_t>(Field::town)].m = {0.9, 0.0, 0.1};
    CHECK_FALSE(town_from_moves(h, high));
    CHECK(high.fields[static_cast<std::size_t>(Field::town)].m[levels::Town::different] == 0.1);
    const PatternHistogram few = {{pattern(levels::Postcode::different, levels::Town::different), kMinAnchorMoves - 1}};
    ModelParameters q = collapsed();
    CHECK_FALSE(town_from_moves(few, q));
    CHECK(q.fields[static_cast<std::size_t>(Field::town)].m[levels::Town::different] == 1e-6);
  }

  TEST_CASE("training.train: fewer than two identities give the defaults, fitted") {
    PreparedRecords r;
    r.add({person("a", "ann", "lee", "1980-01-01")});
    const Settings s;
    const ModelParameters p = train(r, plan_blocking(r, s.blocking_rules, s.max_block_size, s.window), s);
    CHECK(p.fitted);
    CHECK(p.lambda == 0.5);
    CHECK(p.sessions.empty());
  }

  TEST_CASE("training.labels: m from labelled matching pairs, pairs of one identity skipped") {
    const Population pop = make_population(60, 13);
    PreparedRecords r;
    r.add(pop.records);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> matches;
    for (std::size_t i = 1; i < pop.records.size(); ++i)
      if (pop.truth[i] == pop.truth[i - 1]) matches.emplace_back(r.identity_of[i - 1], r.identity_of[i]);
    REQUIRE(matches.size() >= 20);
    ModelParameters p = ModelParameters::defaults();
    train_from_labels(r, matches, p);
    const auto& dob = p.fields[static_cast<std::size_t>(Field::dob)].m;
    CHECK(dob[0] > 0.8);  // labelled matches agree on dates of birth far more often than not
    ModelParameters q = ModelParameters::defaults();
    train_from_labels(r, {{0, 0}, {1, 1}}, q);  // nothing to learn from
    CHECK(q.fields[static_cast<std::size_t>(Field::dob)].m == ModelParameters::defaults().fields[static_cast<std::size_t>(Field::dob)].m);
  }
}
