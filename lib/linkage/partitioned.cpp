// SPDX-License-Identifier: Apache-2.0
// One link spread over machines (partitioned.hpp): the pair decision predict() shares, the deal of
// blocks to parts, and the Linker's two steps for it, score_partition() and predict_from().
#include "earlyhelp/linkage/partitioned.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/pair_conflict.hpp"
#include "earlyhelp/linkage/person_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <queue>
#include <tuple>
#include <utility>

namespace earlyhelp::linkage {

namespace {

constexpr std::size_t kPartBlocksPerChunk = 32;

/// Pairs a block enumerates (for_each_position_pair): all of them, or each identity's next
/// `window` ones in a windowed block.
std::uint64_t block_pairs(const Block& blk, std::size_t window) noexcept {
  const std::uint64_t last = blk.end - blk.begin - 1;  // the largest distance to a later identity
  const std::uint64_t w = window;
  if (!blk.windowed || last <= w) return last * (last + 1) / 2;
  return w * (w + 1) / 2 + (last - w) * w;
}

struct Fnv {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  void add(std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 0x100000001B3ULL;
    }
  }
  void add(std::string_view s) noexcept {
    add(s.size());
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001B3ULL;
    }
  }
};

}  // namespace

PairOutcome judge_pair(const PreparedRecords& r, const FellegiSunter& scorer, const TwoHomes& two_homes,
                       double threshold, bool person_rules, std::uint32_t a, std::uint32_t c, double& weight) {
  const ComparisonVector v = compare_identities(r, a, c);
  double discount = 0;
  weight = scorer.weight(r, a, c, v, discount);
  if (two_homes(a, c)) return PairOutcome::conflict;
  // Never one person: not a link (the cluster guard keeps them apart).
  if (weight >= threshold) return person_rules && never_one_person(r, a, c) ? PairOutcome::none : PairOutcome::link;
  return keep_apart(r, scorer, v, a, c, person_rules) ? PairOutcome::conflict : PairOutcome::none;
}

std::vector<std::vector<std::uint32_t>> assign_blocks(const BlockingPlan& plan, std::size_t n_parts,
                                                      std::size_t window) {
  EH_CHECK(n_parts >= 1 && n_parts <= UINT32_MAX, "assign_blocks: n_parts must be from 1 to {} (got {})", UINT32_MAX,
           n_parts);
  std::vector<std::vector<std::uint32_t>> part(plan.rules.size());
  std::vector<std::tuple<std::uint64_t, std::uint32_t, std::uint32_t>> blocks;  // pairs, rule, block
  for (std::size_t k = 0; k < plan.rules.size(); ++k) {
    const auto& bl = plan.rules[k].blocks;
    part[k].assign(bl.size(), 0);
    for (std::size_t bi = 0; bi < bl.size(); ++bi)
      blocks.emplace_back(block_pairs(bl[bi], window), static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(bi));
  }
  if (n_parts == 1) return part;
  std::sort(blocks.begin(), blocks.end(), [](const auto& x, const auto& y) {
    if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) > std::get<0>(y);
    return std::make_pair(std::get<1>(x), std::get<2>(x)) < std::make_pair(std::get<1>(y), std::get<2>(y));
  });
  using Load = std::pair<std::uint64_t, std::uint32_t>;  // pairs so far, part
  std::priority_queue<Load, std::vector<Load>, std::greater<Load>> least;
  for (std::size_t p = 0; p < n_parts; ++p) least.emplace(0, static_cast<std::uint32_t>(p));
  for (const auto& [pairs, k, bi] : blocks) {
    Load l = least.top();
    least.pop();
    part[k][bi] = l.second;
    l.first += pairs;
    least.push(l);
  }
  return part;
}

std::uint64_t plan_digest(const PreparedRecords& r, const BlockingPlan& plan) noexcept {
  Fnv f;
  f.add(r.n_identities());
  f.add(r.record_ids.size());
  for (const std::string& id : r.record_ids) f.add(id);
  for (const RulePlan& rp : plan.rules) {
    f.add(rp.blocks.size());
    for (const Block& b : rp.blocks) {
      f.add(std::uint64_t{b.begin} << 32 | b.end);
      f.add(rp.keys[rp.order[b.begin]]);
      f.add(b.windowed ? 1 : 0);
    }
  }
  return f.h;
}

ScoredPairs Linker::score_partition(std::size_t part, std::size_t n_parts) {
  require_fitted("score_partition");
  EH_CHECK(!clustered_, "score_partition: records were already clustered");
  EH_CHECK(n_parts >= 1 && part < n_parts, "score_partition: part {} of {} (expected 0 <= part < n_parts)", part,
           n_parts);
  // As predict() starts: the plan (a loaded model has none yet) and whether households are modelled.
  if (plan_.rules.empty())
    plan_ = plan_blocking(table_, settings_.blocking_rules, settings_.max_block_size, settings_.window);
  if (!households_decided_ || homes_.size() != table_.n_identities()) rebuild_scorer();
  const std::vector<std::vector<std::uint32_t>> deal = assign_blocks(plan_, n_parts, settings_.window);
  const bool link_only = settings_.link_type == LinkType::link_only;
  const double threshold = weight_from_probability(settings_.match_threshold);
  const TwoHomes two_homes(table_, homes_);
  ScoredPairs out;
  out.part = static_cast<std::uint32_t>(part);
  out.n_parts = static_cast<std::uint32_t>(n_parts);
  out.digest = plan_digest(table_, plan_);
  for (std::size_t k = 0; k < plan_.rules.size(); ++k) {
    const RulePlan& rp = plan_.rules[k];
    std::vector<std::uint32_t> mine;
    for (std::size_t bi = 0; bi < deal[k].size(); ++bi)
      if (deal[k][bi] == part) mine.push_back(static_cast<std::uint32_t>(bi));
    // Chunks of blocks scored on the linker's threads, appended in block order (the same pairs
    // in the same order for any thread count).
    std::vector<ScoredPairs> chunks((mine.size() + kPartBlocksPerChunk - 1) / kPartBlocksPerChunk);
    parallel_for_chunks(mine.size(), settings_.n_threads, kPartBlocksPerChunk, [&](std::size_t b, std::size_t e) {
      ScoredPairs& o = chunks[b / kPartBlocksPerChunk];
      for (std::size_t i = b; i < e; ++i) {
        const std::uint64_t block = std::uint64_t{k} << 32 | mine[i];
        for_each_block_pair(plan_, k, rp.blocks[mine[i]], table_, link_only, settings_.window,
                            [&](std::uint32_t a, std::uint32_t c) {
                              ++o.compared;
                              double w = 0;
                              const PairOutcome outcome = judge_pair(table_, scorer_, two_homes, threshold,
                                                                     households_, a, c, w);
                              if (outcome == PairOutcome::none) return;
                              o.a.push_back(a);
                              o.b.push_back(c);
                              o.weight.push_back(w);
                              o.conflict.push_back(outcome == PairOutcome::conflict ? 1 : 0);
                              o.block.push_back(block);
                            });
      }
    });
    for (const ScoredPairs& o : chunks) {
      out.compared += o.compared;
      out.a.insert(out.a.end(), o.a.begin(), o.a.end());
      out.b.insert(out.b.end(), o.b.begin(), o.b.end());
      out.weight.insert(out.weight.end(), o.weight.begin(), o.weight.end());
      out.conflict.insert(out.conflict.end(), o.conflict.begin(), o.conflict.end());
      out.block.insert(out.block.end(), o.block.begin(), o.block.end());
    }
  }
  return out;
}

std::size_t Linker::predict_from(std::vector<ScoredPairs> parts) {
  require_fitted("predict_from");
  EH_CHECK(!clustered_, "predict_from: records were already clustered (new records are linked by add_records)");
  const auto t0 = std::chrono::steady_clock::now();
  if (plan_.rules.empty())
    plan_ = plan_blocking(table_, settings_.blocking_rules, settings_.max_block_size, settings_.window);
  if (!households_decided_ || homes_.size() != table_.n_identities()) rebuild_scorer();
  EH_CHECK(!parts.empty(), "predict_from: no parts given (expected every part of one partitioning)");
  const std::size_t n_parts = parts.front().n_parts;
  EH_CHECK(parts.size() == n_parts, "predict_from: {} parts given, the partitioning has {}", parts.size(), n_parts);
  const std::uint64_t digest = plan_digest(table_, plan_);
  const std::size_t n = table_.n_identities();
  std::vector<char> seen(n_parts, 0);
  // (block, index in parts, row): sorted by block, predict()'s order (within a block a part keeps it).
  std::vector<std::tuple<std::uint64_t, std::uint32_t, std::uint32_t>> order;
  std::uint64_t compared = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const ScoredPairs& p = parts[i];
    EH_CHECK(p.n_parts == n_parts && p.part < n_parts && !seen[p.part],
             "predict_from: part {} of {} is repeated or not of this partitioning ({} parts)", p.part, p.n_parts,
             n_parts);
    seen[p.part] = 1;
    EH_CHECK(p.digest == digest,
             "predict_from: part {} was scored on other records or settings (digest {:016x}, here {:016x})", p.part,
             p.digest, digest);
    const std::size_t m = p.a.size();
    EH_CHECK(p.b.size() == m && p.weight.size() == m && p.conflict.size() == m && p.block.size() == m,
             "predict_from: part {} has columns of different lengths (a {}, b {}, weight {}, conflict {}, block {})",
             p.part, m, p.b.size(), p.weight.size(), p.conflict.size(), p.block.size());
    for (std::size_t j = 0; j < m; ++j) {
      EH_CHECK(p.a[j] < n && p.b[j] < n && (p.block[j] >> 32) < plan_.rules.size(),
               "predict_from: part {}, pair {} names identities ({}, {}) or a rule ({}) past the table ({} identities, "
               "{} rules)",
               p.part, j, p.a[j], p.b[j], p.block[j] >> 32, n, plan_.rules.size());
      order.emplace_back(p.block[j], static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
    }
    compared += p.compared;
  }
  std::sort(order.begin(), order.end());
  links_.clear();
  conflicts_.clear();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> conflicts;
  for (const auto& [block, i, j] : order) {
    const ScoredPairs& p = parts[i];
    if (p.conflict[j] != 0) conflicts.emplace_back(p.a[j], p.b[j]);
    else links_.push_back({p.a[j], p.b[j], p.weight[j]});
  }
  stats_.conflicts = conflicts.size();
  if (!conflicts.empty()) conflicts_.push_back(std::move(conflicts));
  stats_.pairs_compared = compared;
  stats_.links = links_.size();
  stats_.predict_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  predicted_ = true;
  return links_.size();
}

}  // namespace earlyhelp::linkage
