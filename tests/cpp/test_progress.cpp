// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/synth/generate.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

using namespace earlyhelp;

namespace {

using Call = std::tuple<std::string, std::uint64_t, std::uint64_t>;

/// The stages of `calls` in the order they came (each once).
std::vector<std::string> stages(const std::vector<Call>& calls) {
  std::vector<std::string> out;
  for (const auto& c : calls)
    if (out.empty() || out.back() != std::get<0>(c)) out.push_back(std::get<0>(c));
  return out;
}

}  // namespace

TEST_SUITE("progress") {
  TEST_CASE("progress.callback: empty by default, copies share the callback, calls never overlap") {
    Progress none;
    CHECK_FALSE(none);
    none("stage", 0, 1);  // nothing to call
    CHECK_FALSE(Progress(ProgressCallback()));

    std::atomic<int> inside{0}, overlaps{0}, calls{0};
    Progress p = [&](std::string_view, std::uint64_t, std::uint64_t) {
      if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
      calls.fetch_add(1);
      std::this_thread::yield();
      inside.fetch_sub(1);
    };
    CHECK(static_cast<bool>(p));
    const Progress copy = p;  // e.g. the options copied into a worker: same callback, same lock
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (std::uint64_t i = 0; i < 200; ++i) (t % 2 ? p : copy)("s", i, 200);
      });
    for (auto& t : threads) t.join();
    CHECK(calls.load() == 800);
    CHECK(overlaps.load() == 0);
  }

  TEST_CASE("progress.linker: fit, predict and cluster in order, each from 0 to its total") {
    std::vector<Call> calls;
    linkage::Settings s;
    s.progress = [&](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      calls.emplace_back(std::string(stage), done, total);
    };
    const std::vector<linkage::Record> records = {
        eh_test::person("1", "John", "Smith", "1980-01-02"), eh_test::person("2", "Jon", "Smith", "1980-01-02"),
        eh_test::person("3", "Mary", "Jones", "1975-05-05"), eh_test::person("4", "Mary", "Jones", "1975-05-05")};
    const auto persons = linkage::link(records, s);
    CHECK(persons.size() == 4);
    CHECK(stages(calls) == std::vector<std::string>{"fit", "predict", "cluster"});
    CHECK(calls.front() == Call{"fit", 0, 3});
    CHECK(calls.back() == Call{"cluster", 1, 1});
    std::uint64_t predict_total = 0, predict_last = 0;
    for (const auto& [stage, done, total] : calls)
      if (stage == "predict") predict_total = total, predict_last = done;
    CHECK(predict_last == predict_total);
  }

  TEST_CASE("progress.synth: the households stage counts every household") {
    std::vector<Call> calls;
    synth::Config c;
    c.persons = 300;
    c.progress = [&](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      calls.emplace_back(std::string(stage), done, total);
    };
    synth::GenerateResult r;
    (void)synth::generate_tables(c, &r);
    CHECK(stages(calls) == std::vector<std::string>{"population", "households"});
    CHECK(calls.back() == Call{"households", r.households, r.households});
  }
}
