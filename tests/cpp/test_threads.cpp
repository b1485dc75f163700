// SPDX-License-Identifier: Apache-2.0
// Calls a case system makes from several threads at once against one object: lookups and queries
// against one linker, and the pipeline's own worker threads (linking extracts and profiling with
// two threads against one). Each result must equal one thread's. The ci-thread preset runs these
// under ThreadSanitizer, which also fails them on any data race it sees on the way.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/profiling/link_extracts.hpp"
#include "earlyhelp/profiling/profile.hpp"
#include "earlyhelp/synth/generate.hpp"
#include "features_test_data.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

using namespace earlyhelp;

namespace {

bool same(const std::vector<linkage::Match>& a, const std::vector<linkage::Match>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].person_id != b[i].person_id || a[i].record_id != b[i].record_id || a[i].weight != b[i].weight ||
        a[i].probability != b[i].probability)
      return false;
  return true;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs body(t) on `n` threads at once and waits for them all.
template <class Body>
void on_threads(int n, Body body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) threads.emplace_back([&body, t] { body(t); });
  for (auto& th : threads) th.join();
}

}  // namespace

TEST_SUITE("threads") {
  TEST_CASE("threads.linker: lookups and queries from four threads at once give one thread's answers") {
    const eh_test::Population pop = eh_test::make_population(40, 11);
    linkage::Linker linker = eh_test::linked(pop.records);
    std::vector<linkage::Record> queries;
    for (std::size_t i = 0; i < pop.records.size(); i += 3) {
      linkage::Record q = pop.records[i];
      q.record_id = "query-" + std::to_string(i);
      queries.push_back(q);
    }
    REQUIRE(queries.size() >= 20);
    std::vector<std::vector<linkage::Match>> expected;
    for (const auto& q : queries) expected.push_back(linker.lookup(q, 3));
    const std::vector<std::string> persons = linker.person_ids();
    const std::int32_t as_of = 20240101;
    const auto households = linker.household_ids(as_of);
    const double weight = linker.explain(pop.records[0].record_id, pop.records[1].record_id).weight;

    std::atomic<int> wrong{0}, calls{0};
    on_threads(4, [&](int t) {
      for (std::size_t k = 0; k < queries.size(); ++k) {
        const std::size_t i = (k * 7 + static_cast<std::size_t>(t) * 5) % queries.size();  // each its own order
        if (!same(linker.lookup(queries[i], 3), expected[i])) ++wrong;
        if (k % 5 == static_cast<std::size_t>(t)) {  // queries between the lookups
          if (linker.person_ids() != persons) ++wrong;
          if (linker.household_ids(as_of) != households) ++wrong;
          if (linker.explain(pop.records[0].record_id, pop.records[1].record_id).weight != weight) ++wrong;
        }
        ++calls;
      }
    });
    CHECK(calls.load() == static_cast<int>(4 * queries.size()));
    CHECK(wrong.load() == 0);
    // Nothing a lookup scored stayed behind: one more lookup still answers as before.
    CHECK(same(linker.lookup(queries[0], 3), expected[0]));
    CHECK(linker.person_ids() == persons);
  }

  TEST_CASE("threads.profiling: linking extracts and profiling with two threads equal one thread") {
    eh_test::CouncilDir dir("threads");
    synth::Config config;
    config.persons = 500;
    config.seed = 23;
    config.n_threads = 2;
    synth::write_directory(config, dir.data());
    const Date as_of = from_civil(2024, 10, 1);

    const features::Linkage one = profiling::link_extracts(dir.data(), as_of, dir.path("households1.csv"), 1);
    const features::Linkage two = profiling::link_extracts(dir.data(), as_of, dir.path("households2.csv"), 2);
    CHECK(slurp(dir.path("households1.csv")) == slurp(dir.path("households2.csv")));

    profiling::ProfileOptions options;
    options.n_threads = 1;
    const profiling::ProfileResult a = profiling::profile(dir.data(), one, as_of, options);
    options.n_threads = 2;
    const profiling::ProfileResult b = profiling::profile(dir.data(), two, as_of, options);
    REQUIRE(a.domains.size() == 4);
    REQUIRE(b.domains.size() == a.domains.size());
    for (std::size_t d = 0; d < a.domains.size(); ++d) {
      CAPTURE(a.domains[d].domain);
      REQUIRE(a.domains[d].scores.size() == b.domains[d].scores.size());
      CHECK(a.domains[d].scores.size() > 0);
      std::size_t differ = 0;
      for (std::size_t i = 0; i < a.domains[d].scores.size(); ++i) {
        const auto& x = a.domains[d].scores[i];
        const auto& y = b.domains[d].scores[i];
        if (x.person_id != y.person_id || x.family_id != y.family_id || x.score != y.score || x.band != y.band) ++differ;
      }
      CHECK(differ == 0);
    }
  }
}
