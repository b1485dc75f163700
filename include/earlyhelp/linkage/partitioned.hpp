// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One link spread over several machines (earlyhelp.dask.link, issue 18): the model is fitted
/// once, the candidate pairs are scored in parts, a part being a set of blocks (blocking-key
/// values) of every rule, and the persons are clustered once from every part's pairs. Each
/// machine holds the same records and the fitted model (Linker::model_json); scoring is the
/// quadratic step, so it is what is split.
///
/// A part's scored pairs are exactly those Linker::predict() keeps from its blocks (links at or
/// above the threshold, person-level conflicts): both call judge_pair() on the pairs
/// for_each_block_pair() gives, so a pair two rules find is scored once, under the first rule,
/// on whichever machine holds that rule's block; a record whose blocks of two rules land in two
/// parts is scored in both, each time with its block's partners. Linker::predict_from() puts the
/// parts' pairs back in predict()'s order (rule, block, pair) and cluster() then runs unchanged,
/// so the person ids are those of one machine.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// Linker trainer;  trainer.add_records(records);  trainer.fit();        // once
/// std::vector<ScoredPairs> parts;
/// for (std::size_t p = 0; p < 4; ++p) {                                  // on four machines
///   Linker worker;  worker.add_records(records);  worker.load_model_json(trainer.model_json());
///   parts.push_back(worker.score_partition(p, 4));
/// }
/// trainer.predict_from(std::move(parts));
/// trainer.cluster();                                   // person_ids() as trainer.link() gives
/// ```

#include "earlyhelp/linkage/blocking.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/linkage/two_homes.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// The pairs one part kept, in columns (cheap to ship between processes).
struct ScoredPairs {
  std::uint32_t part = 0, n_parts = 1;
  /// plan_digest() of the table and plan scored: parts of other records are refused.
  std::uint64_t digest = 0;
  std::uint64_t compared = 0;          ///< candidate pairs compared
  std::vector<std::uint32_t> a, b;     ///< identities (rows of PreparedRecords)
  std::vector<double> weight;          ///< log2 match weight
  std::vector<std::uint8_t> conflict;  ///< 1: a pair clustering keeps apart, 0: a link
  std::vector<std::uint64_t> block;    ///< rule << 32 | block index: predict()'s order
  std::size_t size() const noexcept { return a.size(); }
};

/// What predict() makes of a candidate pair.
enum class PairOutcome : std::uint8_t {
  none,      ///< nothing kept
  link,      ///< a link at or above the threshold
  conflict,  ///< a pair clustering keeps apart (two homes at once, or a look-alike conflict)
};

/// The decision predict() takes on candidate pair (a, c), shared by Linker::predict() and
/// Linker::score_partition() so that the two cannot differ: two homes at once is a conflict; a
/// weight at or above `threshold` a link, unless `person_rules` and the pair is never one person
/// (then nothing: the cluster guard keeps them apart); below it, a person-level conflict between
/// look-alikes is a conflict. `weight` receives the pair's log2 weight. Thread-safe on const
/// arguments. Complexity: one comparison and one weight.
PairOutcome judge_pair(const PreparedRecords& r, const FellegiSunter& scorer, const TwoHomes& two_homes,
                       double threshold, bool person_rules, std::uint32_t a, std::uint32_t c, double& weight);

/// The part (0 .. n_parts-1) of every block of every rule of `plan`: blocks are dealt, most
/// pairs first (ties by rule and block), each to the part with the fewest pairs so far (ties to
/// the lowest part), so parts get about equal work and every machine computes the same deal.
/// A windowed block counts the pairs its `window` enumerates.
/// @return one vector per rule, one part per block. @throws InvalidArgument when n_parts is 0.
/// Complexity O(B log B) for B blocks.
std::vector<std::vector<std::uint32_t>> assign_blocks(const BlockingPlan& plan, std::size_t n_parts,
                                                      std::size_t window);

/// A fingerprint of a table and its plan (identities, records, every rule's blocks and their
/// keys): two machines that prepared the same records with the same settings agree on it.
std::uint64_t plan_digest(const PreparedRecords& r, const BlockingPlan& plan) noexcept;

}  // namespace earlyhelp::linkage
