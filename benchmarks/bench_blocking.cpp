// SPDX-License-Identifier: Apache-2.0
// Blocking completeness: for sets of blocking rules on one prepared set of records with known
// truth, how many candidate pairs each rule adds and how many true matches the candidates keep.
// Prints one line per rule and one per set (benchmarks/bench_blocking.py drives it):
//   rule <set> <rule> <new pairs> <new true pairs> <largest block> <windowed blocks>
//   set <set> <pairs> <true pairs covered> <true pairs> <true pairs reachable> <seconds>
// Pairs are pairs of identities (identical records collapsed, as the linker compares them). A
// true pair is two identities of one true person (an identity's person is its first record's).
// "Covered": the pair itself is a candidate. "Reachable": the two are joined by a chain of
// candidate pairs that are all true (what clustering can at best recover): a true pair missed by
// blocking but reachable is not lost.
// Usage: bench_blocking (--data DIR | --input CSV [--map MAP]) --truth CSV [--truth-column NAME]
//                       [--max-block-size N] [--window N] [--link-only] RULES...
// RULES: each argument one set, rules separated by ','; "default" is default_blocking_rules().

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/linkage/blocking.hpp"
#include "earlyhelp/linkage/columns.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

namespace lk = earlyhelp::linkage;

namespace {

struct Dsu {
  std::vector<std::uint32_t> p;
  explicit Dsu(std::size_t n) : p(n) { std::iota(p.begin(), p.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (p[x] != x) x = p[x] = p[p[x]];
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) { p[find(a)] = find(b); }
};

std::vector<lk::BlockingRule> parse_set(const std::string& text) {
  if (text == "default") return lk::default_blocking_rules();
  std::vector<lk::BlockingRule> out;
  std::size_t b = 0;
  while (b <= text.size()) {
    std::size_t e = text.find(',', b);
    if (e == std::string::npos) e = text.size();
    if (e > b) out.push_back(lk::BlockingRule::parse(text.substr(b, e - b)));
    b = e + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, input, map, truth, truth_column = "person_id";
  std::size_t max_block = 5000, window = 100;
  bool link_only = false;
  std::vector<std::string> sets;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data") data = next();
    else if (a == "--input") input = next();
    else if (a == "--map") map = next();
    else if (a == "--truth") truth = next();
    else if (a == "--truth-column") truth_column = next();
    else if (a == "--max-block-size") max_block = std::stoul(next());
    else if (a == "--window") window = std::stoul(next());
    else if (a == "--link-only") link_only = true;
    else sets.push_back(a);
  }
  if ((data.empty() == input.empty()) || truth.empty() || sets.empty()) {
    std::fprintf(stderr, "usage: bench_blocking (--data DIR | --input CSV) --truth CSV [--truth-column C] RULES...\n");
    return 2;
  }
  lk::PreparedRecords r;
  const auto add = [&](std::vector<lk::Record>& batch) { r.add(batch); };
  lk::ReadOptions read;
  std::size_t rejected = 0;
  read.reject = [&](const lk::RecordReject&) { ++rejected; };
  if (!input.empty()) lk::for_each_records_batch(input, lk::parse_column_map(map), add, read);
  else lk::for_each_extract_batch(data, earlyhelp::schema::Schema::builtin(), add, read);

  // Truth: record id ("stream:id" when the truth file has a stream column) -> entity number.
  std::unordered_map<std::string, std::uint32_t> entity_of_record;
  {
    std::unordered_map<std::string, std::uint32_t> entities;
    auto csv = earlyhelp::io::CsvReader::open(truth);
    const std::vector<std::string>& head = csv.header();
    std::size_t c_rec = head.size(), c_ent = head.size(), c_stream = head.size();
    for (std::size_t c = 0; c < head.size(); ++c) {
      if (head[c] == "record_id" || head[c] == "rec_id") c_rec = c;
      if (head[c] == truth_column) c_ent = c;
      if (head[c] == "stream") c_stream = c;
    }
    EH_CHECK(c_rec < head.size() && c_ent < head.size(), "{}: needs record_id and {}", truth, truth_column);
    earlyhelp::io::CsvRecord row;
    while (csv.next(row)) {
      if (row.size() <= std::max(c_rec, c_ent)) continue;
      std::string id = c_stream < row.size() ? std::string(row[c_stream]) + ":" + std::string(row[c_rec])
                                             : std::string(row[c_rec]);
      const auto it = entities.emplace(std::string(row[c_ent]), static_cast<std::uint32_t>(entities.size())).first;
      entity_of_record.emplace(std::move(id), it->second);
    }
  }
  const std::size_t n = r.n_identities();
  std::vector<std::uint32_t> entity(n, UINT32_MAX);
  std::size_t unmatched = 0;
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const auto it = entity_of_record.find(r.record_ids[rec]);
    if (it == entity_of_record.end()) {
      ++unmatched;
      continue;
    }
    std::uint32_t& e = entity[r.identity_of[rec]];
    if (e == UINT32_MAX) e = it->second;
  }
  std::unordered_map<std::uint32_t, std::uint64_t> per_entity;
  for (std::size_t x = 0; x < n; ++x)
    if (entity[x] != UINT32_MAX) ++per_entity[entity[x]];
  std::uint64_t true_pairs = 0;
  for (const auto& [e, k] : per_entity) true_pairs += k * (k - 1) / 2;
  std::printf("data records %zu identities %zu rejected %zu without_truth %zu true_pairs %llu\n",
              r.record_ids.size(), n, rejected, unmatched, static_cast<unsigned long long>(true_pairs));

  for (const std::string& text : sets) {
    const auto t0 = std::chrono::steady_clock::now();
    const lk::BlockingPlan plan = lk::plan_blocking(r, parse_set(text), max_block, window);
    Dsu dsu(n);
    std::uint64_t pairs = 0, covered = 0;
    for (std::size_t k = 0; k < plan.rules.size(); ++k) {
      const lk::RulePlan& rp = plan.rules[k];
      std::uint64_t new_pairs = 0, new_true = 0, windowed = 0;
      for (const lk::Block& blk : rp.blocks) {
        windowed += blk.windowed;
        lk::for_each_block_pair(plan, k, blk, r, link_only, window, [&](std::uint32_t a, std::uint32_t b) {
          ++new_pairs;
          if (entity[a] != UINT32_MAX && entity[a] == entity[b]) {
            ++new_true;
            dsu.unite(a, b);
          }
        });
      }
      pairs += new_pairs;
      covered += new_true;
      std::printf("rule %s %s %llu %llu %llu %llu\n", text.c_str(), rp.rule.name().c_str(),
                  static_cast<unsigned long long>(new_pairs), static_cast<unsigned long long>(new_true),
                  static_cast<unsigned long long>(rp.largest_block), static_cast<unsigned long long>(windowed));
    }
    // Reachable true pairs: within each entity, pairs of identities in one candidate component.
    std::unordered_map<std::uint64_t, std::uint64_t> comp;
    for (std::size_t x = 0; x < n; ++x)
      if (entity[x] != UINT32_MAX) ++comp[std::uint64_t{entity[x]} << 32 | dsu.find(static_cast<std::uint32_t>(x))];
    std::uint64_t reachable = 0;
    for (const auto& [key, k] : comp) reachable += k * (k - 1) / 2;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("set %s %llu %llu %llu %llu %.2f\n", text.c_str(), static_cast<unsigned long long>(pairs),
                static_cast<unsigned long long>(covered), static_cast<unsigned long long>(true_pairs),
                static_cast<unsigned long long>(reachable), secs);
    std::fflush(stdout);
  }
  return 0;
}
