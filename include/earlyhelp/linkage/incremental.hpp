// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Records added after clustering (as Splink's find_matches_to_new_records): an index of every
/// identity's blocking key under each rule, so a new or looked-up identity is compared only with
/// the identities sharing one of its keys (a block larger than max_block_size is searched only by
/// the rules that narrow it down). New identities are scored against their candidates and
/// clustered with the same guards as a batch; one joined to an existing person takes its id
/// (published ids never change, and two published persons are never merged), the others form new
/// persons named after their smallest record id.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// CandidateIndex index(table, settings.blocking_rules, plan);    // after clustering
/// const std::size_t first_new = table.n_identities();
/// table.add(new_records);
/// link_new_identities(table, first_new, scorer, settings, index, uf, identity_person, person_ids);
/// ```

#include "earlyhelp/linkage/blocking.hpp"
#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/linkage/settings.hpp"
#include "earlyhelp/linkage/source_ages.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace earlyhelp::linkage {

/// Identities by blocking key, per rule.
class CandidateIndex {
 public:
  CandidateIndex() = default;
  /// Indexes every identity of `r` under each of `rules`, reusing the keys `plan` computed for
  /// them (a rule the plan lacks is keyed afresh). Complexity O(identities x rules).
  CandidateIndex(const PreparedRecords& r, const std::vector<BlockingRule>& rules, const BlockingPlan& plan);

  /// Adds identity `x` of `r` under its keys.
  void add(const PreparedRecords& r, std::uint32_t x);

  /// The identities sharing a key with identity `x` of `r` (not `x` itself), sorted, without
  /// duplicates; keys shared by more than `max_block_size` identities are skipped, and with
  /// `link_only` identities seen only in x's one source.
  std::vector<std::uint32_t> candidates(const PreparedRecords& r, std::uint32_t x, std::size_t max_block_size,
                                        bool link_only) const;

 private:
  std::vector<BlockingRule> rules_;
  std::vector<std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>> index_;
};

/// Links identities [first_new, n) of `r`, added after clustering, into the persons of `uf`:
/// scored with `scorer` against their candidates in `index` (then added to it); links at or above
/// settings.match_threshold are clustered with the batch guards, look-alikes in person-level
/// conflict become cannot-links. `identity_person` (identity -> index in `person_ids`) and
/// `person_ids` grow to cover the new identities (see the file comment). With `guard` (the person
/// rules), pairs it keeps apart never link and never end in one person. With `ages` (those learnt
/// at clustering), new identities without a date of birth get the birth windows their records
/// allow, as in a batch (source_ages.hpp).
void link_new_identities(const PreparedRecords& r, std::size_t first_new, const FellegiSunter& scorer,
                         const Settings& settings, CandidateIndex& index, ConstrainedUnionFind& uf,
                         std::vector<std::uint32_t>& identity_person, std::vector<std::string>& person_ids,
                         const PersonGuard* guard = nullptr, const SourceAges* ages = nullptr);

}  // namespace earlyhelp::linkage
