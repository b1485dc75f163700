// SPDX-License-Identifier: Apache-2.0
// One link spread over machines (linkage/partitioned.hpp): parts scored by linkers that loaded the
// model fitted once, clustered once, give the person ids of one machine.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/partitioned.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

using namespace earlyhelp::linkage;
using earlyhelp::InvalidArgument;
using earlyhelp::StateError;
using eh_test::fast_settings;
using eh_test::make_population;

namespace {

// Each part scored by its own linker over the same records with the trainer's model, as a worker
// process does.
std::vector<ScoredPairs> score_parts(const std::vector<Record>& records, const std::string& model, std::size_t n) {
  std::vector<ScoredPairs> parts;
  for (std::size_t p = 0; p < n; ++p) {
    Linker worker(fast_settings());
    worker.add_records(records);
    worker.load_model_json(model);
    parts.push_back(worker.score_partition(p, n));
  }
  return parts;
}

using Pair = std::tuple<std::uint32_t, std::uint32_t, double, std::uint8_t>;

std::vector<Pair> pairs_of(const std::vector<ScoredPairs>& parts) {
  std::vector<Pair> out;
  for (const ScoredPairs& p : parts)
    for (std::size_t i = 0; i < p.size(); ++i) out.emplace_back(p.a[i], p.b[i], p.weight[i], p.conflict[i]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_SUITE("partitioned") {
  TEST_CASE("partitioned.link: parts scored by linkers that loaded the model give one machine's person ids and links") {
    const auto pop = make_population(40, 23);
    Linker one(fast_settings());
    one.add_records(pop.records);
    one.fit();
    one.predict();
    const auto one_links = one.links();  // cluster() frees them
    REQUIRE(!one_links.empty());
    one.cluster();
    Linker trainer(fast_settings());
    trainer.add_records(pop.records);
    trainer.fit();
    for (const std::size_t n : {std::size_t{1}, std::size_t{3}}) {
      CAPTURE(n);
      std::vector<ScoredPairs> parts = score_parts(pop.records, trainer.model_json(), n);
      std::reverse(parts.begin(), parts.end());  // parts arrive in any order
      Linker client = trainer;
      const std::size_t links = client.predict_from(parts);
      CHECK(links == one.stats().links);
      CHECK(client.stats().conflicts == one.stats().conflicts);
      CHECK(client.stats().pairs_compared == one.stats().pairs_compared);
      CHECK(client.links() == one_links);
      client.cluster();
      CHECK(client.person_ids() == one.person_ids());
    }
  }

  TEST_CASE("partitioned.parts: a pair two rules find is scored once, and a record's blocks split across parts") {
    const auto pop = make_population(40, 29);
    Linker trainer(fast_settings());
    trainer.add_records(pop.records);
    trainer.fit();
    const std::vector<ScoredPairs> whole = score_parts(pop.records, trainer.model_json(), 1);
    const std::vector<ScoredPairs> parts = score_parts(pop.records, trainer.model_json(), 3);
    // The parts together hold the pairs of one part, each once.
    const std::vector<Pair> together = pairs_of(parts);
    CHECK(together == pairs_of(whole));
    std::set<std::pair<std::uint32_t, std::uint32_t>> unique;
    for (const Pair& p : together) unique.emplace(std::min(std::get<0>(p), std::get<1>(p)), std::max(std::get<0>(p), std::get<1>(p)));
    CHECK(unique.size() == together.size());
    std::uint64_t compared = 0;
    for (const ScoredPairs& p : parts) compared += p.compared;
    CHECK(compared == whole.front().compared);
    // The data hold both cases: pairs of identities that two rules both block together (scored
    // under the first only), and identities whose pairs were scored in two parts.
    const BlockingPlan plan = plan_blocking(trainer.records(), fast_settings().blocking_rules,
                                            fast_settings().max_block_size, fast_settings().window);
    std::size_t found_twice = 0;
    for (const Pair& p : together)
      for (std::size_t k = 1; k < plan.rules.size(); ++k)
        if (plan.rules[k].covers(std::get<0>(p), std::get<1>(p)) && covered_before(plan, k, std::get<0>(p), std::get<1>(p)))
          ++found_twice;
    CHECK(found_twice > 0);
    std::map<std::uint32_t, std::set<std::uint32_t>> parts_of;
    for (const ScoredPairs& p : parts)
      for (std::size_t i = 0; i < p.size(); ++i) {
        parts_of[p.a[i]].insert(p.part);
        parts_of[p.b[i]].insert(p.part);
      }
    CHECK(std::any_of(parts_of.begin(), parts_of.end(), [](const auto& kv) { return kv.second.size() > 1; }));
  }

  TEST_CASE("partitioned.assign_blocks: every block in one part, parts within the largest block of each other") {
    const auto pop = make_population(40, 31);
    PreparedRecords table;
    table.add(pop.records);
    const Settings s = fast_settings();
    const BlockingPlan plan = plan_blocking(table, s.blocking_rules, s.max_block_size, s.window);
    const auto deal = assign_blocks(plan, 4, s.window);
    CHECK(deal == assign_blocks(plan, 4, s.window));
    REQUIRE(deal.size() == plan.rules.size());
    std::vector<std::uint64_t> load(4, 0);
    std::uint64_t largest = 0;
    for (std::size_t k = 0; k < plan.rules.size(); ++k) {
      REQUIRE(deal[k].size() == plan.rules[k].blocks.size());
      for (std::size_t bi = 0; bi < deal[k].size(); ++bi) {
        REQUIRE(deal[k][bi] < 4);
        const Block& b = plan.rules[k].blocks[bi];
        const std::uint64_t n = b.end - b.begin;
        load[deal[k][bi]] += n * (n - 1) / 2;
        largest = std::max(largest, n * (n - 1) / 2);
      }
    }
    const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
    CHECK(*lo > 0);
    CHECK(*hi - *lo <= largest);  // the greedy deal's bound
    CHECK_THROWS_AS(assign_blocks(plan, 0, s.window), InvalidArgument);
  }

  TEST_CASE("partitioned.predict_from: missing, repeated or foreign parts and steps out of order are refused") {
    const auto pop = make_population(20, 37);
    Linker trainer(fast_settings());
    trainer.add_records(pop.records);
    CHECK_THROWS_AS(trainer.score_partition(0, 2), StateError);
    CHECK_THROWS_AS(trainer.predict_from({}), StateError);
    trainer.fit();
    CHECK_THROWS_AS(trainer.score_partition(2, 2), InvalidArgument);
    const std::vector<ScoredPairs> parts = score_parts(pop.records, trainer.model_json(), 2);
    Linker client = trainer;
    CHECK_THROWS_AS(client.predict_from({}), InvalidArgument);
    CHECK_THROWS_WITH_AS(client.predict_from({parts[0]}), "predict_from: 1 parts given, the partitioning has 2",
                         InvalidArgument);
    CHECK_THROWS_AS(client.predict_from({parts[0], parts[0]}), InvalidArgument);
    // Parts scored on other records (one record fewer) do not fit this table.
    std::vector<Record> fewer(pop.records.begin(), pop.records.end() - 1);
    const std::vector<ScoredPairs> foreign = score_parts(fewer, trainer.model_json(), 2);
    CHECK_THROWS_AS(client.predict_from(foreign), InvalidArgument);
    ScoredPairs ragged = parts[1];
    ragged.weight.push_back(1.0);
    CHECK_THROWS_AS(client.predict_from({parts[0], ragged}), InvalidArgument);
    client.predict_from(parts);
    client.cluster();
    CHECK_THROWS_AS(client.predict_from(parts), InvalidArgument);
    CHECK_THROWS_AS(client.score_partition(0, 2), InvalidArgument);
  }
}
