// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/incremental.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("incremental") {
  TEST_CASE("incremental.index: candidates share a key, oversized keys are skipped, link_only keeps other sources") {
    PreparedRecords r;
    r.add({person("a", "ann", "lee", "1980-01-01", "1 mill lane", "LS1 1AA", "", "s1"),
           person("b", "anne", "lee", "1980-01-01", "2 mill lane", "LS9 9ZZ", "", "s1"),
           person("c", "bob", "kay", "1970-05-05", "3 mill lane", "LS1 1AA", "", "s2"),
           person("d", "carl", "orr", "1960-06-06", "4 mill lane", "LS5 5BB", "", "s2")});
    const std::vector<BlockingRule> rules{BlockingRule::parse("postcode"), BlockingRule::parse("dob")};
    const BlockingPlan plan = plan_blocking(r, rules, 5000, 10);
    CandidateIndex index(r, rules, plan);
    const auto id = [&](std::size_t i) { return r.identity_of[i]; };
    CHECK(index.candidates(r, id(0), 5000, false) == std::vector<std::uint32_t>{id(1), id(2)});
    CHECK(index.candidates(r, id(0), 5000, true) == std::vector<std::uint32_t>{id(2)});  // b is in a's one source
    CHECK(index.candidates(r, id(0), 1, false).empty());  // every key is shared by two: oversized
    CHECK(index.candidates(r, id(3), 5000, false).empty());
    // An identity added later is found by the others' keys, and finds them.
    const std::size_t first_new = r.n_identities();
    r.add({person("e", "dan", "orr", "1990-01-01", "9 mill lane", "LS5 5BB", "", "s3")});
    index.add(r, static_cast<std::uint32_t>(first_new));
    CHECK(index.candidates(r, id(3), 5000, false) == std::vector<std::uint32_t>{static_cast<std::uint32_t>(first_new)});
    // A plan without the rule's keys (a model loaded instead of fitted) keys the identities afresh.
    const CandidateIndex fresh(r, rules, BlockingPlan());
    CHECK(fresh.candidates(r, id(0), 5000, false) == index.candidates(r, id(0), 5000, false));
  }

  TEST_CASE("incremental.linker: added records join their existing person like a batch would") {
    const Population pop = make_population(120, 5);
    std::vector<Record> base, extra;
    std::vector<std::size_t> extra_index;
    for (std::size_t i = 0; i < pop.records.size(); ++i) {
      if (i % 7 == 3 && pop.variant.at(pop.records[i].record_id) != "clean") {
        extra.push_back(pop.records[i]);
        extra_index.push_back(i);
      } else {
        base.push_back(pop.records[i]);
      }
    }
    REQUIRE(extra.size() >= 10);
    Linker linker = linked(base);
    const auto before = linker.person_ids();
    const auto added = linker.add_records(extra);
    REQUIRE(added.size() == extra.size());
    const auto after = linker.person_ids();
    // Existing ids never change.
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(before[i] == after[i]);
    // Batch on everything for comparison.
    const auto batch = link(pop.records, fast_settings());
    std::map<std::string, std::string> base_person;  // truth -> incremental person of a base record
    for (std::size_t i = 0; i < base.size(); ++i) base_person.emplace(pop.truth[std::size_t(std::stoi(base[i].record_id.substr(1)))], before[i]);
    std::size_t agree = 0;
    for (std::size_t k = 0; k < extra.size(); ++k) {
      const std::size_t i = extra_index[k];
      // Batch puts the record with the rest of its person <=> incremental joins that person.
      bool batch_joined = false;
      for (std::size_t j = 0; j < pop.records.size(); ++j)
        if (j != i && pop.truth[j] == pop.truth[i] && batch[j] == batch[i]) batch_joined = true;
      const bool inc_joined = base_person.count(pop.truth[i]) && added[k] == base_person[pop.truth[i]];
      agree += batch_joined == inc_joined ? 1 : 0;
    }
    CHECK(static_cast<double>(agree) / static_cast<double>(extra.size()) >= 0.9);
  }

  TEST_CASE("incremental.linker: an added record without a date of birth gets its source's birth window, as in a batch") {
    // A school records children, council tax adults (ages learnt from their dated records). An
    // undated council tax record of John Smith scores alike with the son John (born 2012) and the
    // father John (born 1980): only its window tells it is the father's.
    std::vector<Record> base = make_population(40, 13).records;
    for (int i = 0; i < 60; ++i) {
      base.push_back(dated(person(fmt::format("sc{}", i), fmt::format("pupil{}", i), fmt::format("roll{}", i),
                                  fmt::format("{}-03-{:02d}", 2009 + i % 11, 1 + i % 28), "", "", "", "school"), "2024-06-01"));
      base.push_back(dated(person(fmt::format("tx{}", i), fmt::format("payer{}", i), fmt::format("band{}", i),
                                  fmt::format("{}-05-{:02d}", 1964 + i % 36, 1 + i % 28), "", "", "", "tax"), "2024-06-01"));
    }
    base.push_back(dated(person("junior", "john", "smith", "2012-09-14", "1 mill lane", "LS1 1AA", "", "gp"), "2024-06-01"));
    base.push_back(dated(person("father", "john", "smith", "1980-05-02", "1 mill lane", "LS1 1AA", "", "gp"), "2024-06-01"));
    const Record ct = dated(person("ct", "john", "smith", "", "1 mill lane", "LS1 1AA", "", "tax"), "2024-07-01");
    std::vector<Record> all = base;
    all.push_back(ct);
    auto batch = person_by_record(linked(all));
    REQUIRE(batch["junior"] != batch["father"]);
    CHECK(batch["ct"] == batch["father"]);
    Linker linker = linked(base);
    auto before = person_by_record(linker);
    const auto added = linker.add_records({ct});
    REQUIRE(added.size() == 1);
    CHECK(added[0] == before["father"]);
    CHECK(added[0] != before["junior"]);
  }

  TEST_CASE("incremental.lookup: a typo'd record finds its person first") {
    const Population pop = make_population(80, 9);
    Linker linker = linked(pop.records);
    const auto persons = linker.person_ids();
    Record q = pop.records[10];
    q.record_id = "query";
    q.surname += "e";
    const auto n_before = linker.records().n_identities();
    const auto best = linker.lookup(q, 3);
    REQUIRE(!best.empty());
    CHECK(best.front().person_id == persons[10]);
    CHECK(best.front().probability > 0.5);
    CHECK(linker.records().n_identities() == n_before);  // nothing was added
    CHECK_THROWS_AS(Linker().lookup(q), StateError);
  }
}
