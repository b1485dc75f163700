// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/blocking.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("blocking") {
  TEST_CASE("blocking.plan: pair estimates, union without duplicates, oversized blocks windowed") {
    const Population pop = make_population(50, 1);
    PreparedRecords r;
    r.add(pop.records);
    const BlockingPlan plan = plan_blocking(r, default_blocking_rules(), 5000, 10);
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    std::size_t emitted = 0;
    for (std::size_t k = 0; k < plan.rules.size(); ++k)
      for (const Block& b : plan.rules[k].blocks)
        for_each_block_pair(plan, k, b, r, false, 10, [&](std::uint32_t a, std::uint32_t c) {
          ++emitted;
          seen.insert({std::min(a, c), std::max(a, c)});
        });
    CHECK(emitted == seen.size());  // each candidate pair once
    std::uint64_t full = 0;
    for (const auto& rp : plan.rules) full += rp.pairs_full;
    CHECK(seen.size() <= full);
    // A tiny max_block_size windows every block and warns.
    const BlockingPlan tight = plan_blocking(r, {BlockingRule::parse("postcode")}, 2, 1);
    REQUIRE(!tight.warnings.empty());
    CHECK(std::any_of(tight.warnings.begin(), tight.warnings.end(),
                      [](const std::string& w) { return w.find("too loose") != std::string::npos; }));
    CHECK_THROWS_AS(BlockingRule::parse("postcode+"), InvalidArgument);
  }
  TEST_CASE("blocking.pairs: a rule's pairs are read once by training, the union once by predict") {
    const Population pop = make_population(50, 1);
    PreparedRecords r;
    r.add(pop.records);
    const BlockingPlan plan = plan_blocking(r, default_blocking_rules(), 5000, 10);
    std::size_t union_pairs = 0;
    for (std::size_t k = 0; k < plan.rules.size(); ++k) {
      std::uint64_t rule_pairs = 0, first_here = 0, emitted = 0;
      for (const Block& b : plan.rules[k].blocks) {
        for_each_rule_pair(plan, k, b, r, false, 10, [&](std::uint32_t a, std::uint32_t c) {
          ++rule_pairs;
          first_here += covered_before(plan, k, a, c) ? 0 : 1;
          CHECK(plan.rules[k].covers(a, c));
        });
        for_each_block_pair(plan, k, b, r, false, 10, [&](std::uint32_t, std::uint32_t) { ++emitted; });
      }
      CHECK(rule_pairs == plan.rules[k].pairs);  // every pair of the rule, as planned
      CHECK(emitted == first_here);
      if (k == 0) CHECK(emitted == rule_pairs);  // nothing comes before the first rule
      union_pairs += emitted;
    }
    CHECK(union_pairs > 0);
    // link_only skips pairs within one source.
    std::vector<Record> two_sources;
    for (const char* s : {"a", "a", "b"}) {
      const std::string id = fmt::format("r{}", two_sources.size());
      two_sources.push_back(eh_test::person(id, "ann", "lee", "1980-01-01", id + " mill lane", "", "", s));
    }
    PreparedRecords t;
    t.add(two_sources);
    const BlockingPlan p2 = plan_blocking(t, {BlockingRule::parse("dob")}, 5000, 10);
    REQUIRE(p2.rules[0].blocks.size() == 1);
    std::size_t across = 0;
    for_each_rule_pair(p2, 0, p2.rules[0].blocks[0], t, true, 10, [&](std::uint32_t, std::uint32_t) { ++across; });
    CHECK(across == 2);
  }
  TEST_CASE("blocking.defaults: the town surname rule asks the first initial too, so a town's Smiths are no block") {
    // Three residents of one town at three postcodes, no dates of birth: only a town and a name in
    // common. Sharing the surname alone makes no candidate; the surname and the first initial do.
    std::vector<Record> recs;
    for (const char* first : {"John", "Mary", "Jack"}) {
      Record x;
      x.record_id = fmt::format("r{}", recs.size());
      x.first_name = first, x.surname = "Smith", x.town = "Colbridge";
      x.postcode = fmt::format("AB{} 1AA", recs.size() + 1);
      recs.push_back(x);
    }
    PreparedRecords r;
    r.add(recs);
    const BlockingPlan plan = plan_blocking(r, default_blocking_rules(), 5000, 10);
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t k = 0; k < plan.rules.size(); ++k)
      for (const Block& b : plan.rules[k].blocks)
        for_each_block_pair(plan, k, b, r, false, 10,
                            [&](std::uint32_t a, std::uint32_t c) { pairs.insert({std::min(a, c), std::max(a, c)}); });
    CHECK(pairs.count({0, 1}) == 0);  // J. and M. Smith of one town
    CHECK(pairs.count({0, 2}) == 1);  // J. Smith and J. Smith
  }
}
