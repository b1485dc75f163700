// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Blocking: only pairs of identities that agree on at least one rule's key are compared. Each
/// rule's key is computed per identity, identities are sorted by key, and each run of equal keys
/// is a block. The pair count of every rule is known before any comparison. A pair produced by an
/// earlier rule is skipped by later ones (so the union of the rules is enumerated once, streamed,
/// never materialised). A block larger than `max_block_size` is compared by sorted neighbourhood
/// (each identity against the next `window` ones in name order) so memory and time stay bounded;
/// a warning names the rule.

#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

/// One component of a blocking key.
enum class KeyPart : std::uint8_t {
  postcode,           ///< full postcode
  postcode_district,  ///< outward code of a UK postcode
  surname,            ///< exact normalised surname
  surname_sound,      ///< Double Metaphone of the surname
  first_name,         ///< exact normalised first name
  first_initial,      ///< first letter of the first name
  first_name_sound,   ///< Double Metaphone of the first name
  name_pair_sound,    ///< both names' Double Metaphone codes, unordered (survives a swap)
  dob,                ///< full date of birth
  birth_year,         ///< year of birth
  identifier,         ///< NHS number or other person identifier
  uprn,               ///< property reference
  town,               ///< town or suburb
  address,            ///< exact normalised address
};

/// Name of a key part ("postcode", "surname_sound", ...).
std::string_view key_part_name(KeyPart p) noexcept;
/// @throws InvalidArgument for an unknown name (listing the known ones).
KeyPart key_part_from_name(std::string_view name);

/// A blocking rule: identities agreeing on every part are compared.
struct BlockingRule {
  std::vector<KeyPart> parts;
  /// "postcode", "surname_sound+birth_year", ...
  std::string name() const;
  /// Parses a name written by name(). @throws InvalidArgument.
  static BlockingRule parse(std::string_view name);
};

/// postcode; surname_sound+birth_year; first_initial+dob; name_pair_sound; identifier; dob;
/// first_name+town; surname+first_initial+town (the last three find records whose postcode and a
/// name both carry errors, or that lack a first name or a date of birth; none fixes the address,
/// so none adds a session that trains person evidence within households). The surname rule asks
/// the first initial too: a town holds tens of thousands of people, and by surname alone its
/// blocks grow with the population and their pairs with its square.
std::vector<BlockingRule> default_blocking_rules();

/// The fields whose agreement a rule forces (and those it makes nearly certain, e.g. the address
/// within a postcode): EM trained on that rule's pairs keeps their m-probabilities fixed.
std::vector<Field> fixed_fields(const BlockingRule& rule);

/// A run of identities sharing a key in RulePlan::order.
struct Block {
  std::uint32_t begin = 0, end = 0;
  bool windowed = false;  ///< compared by sorted neighbourhood
};

/// One rule's blocks.
struct RulePlan {
  BlockingRule rule;
  std::vector<std::uint64_t> keys;     ///< per identity, 0 = no key (a part is missing)
  std::vector<std::uint32_t> order;    ///< identities with a key, sorted by (key, name, identity)
  std::vector<Block> blocks;           ///< blocks of two or more identities
  std::vector<std::uint64_t> oversized_keys;  ///< sorted keys of windowed blocks
  std::uint64_t pairs_full = 0;        ///< sum of n(n-1)/2 over blocks
  std::uint64_t pairs = 0;             ///< pairs enumerated (after windowing)
  std::uint64_t largest_block = 0;     ///< in identities
  std::uint64_t largest_block_records = 0;  ///< records sharing one key
  bool covers(std::uint32_t a, std::uint32_t b) const noexcept {
    const std::uint64_t k = keys[a];
    return k != 0 && k == keys[b] &&
           (oversized_keys.empty() || !std::binary_search(oversized_keys.begin(), oversized_keys.end(), k));
  }
};

/// Pairs to compare: every rule's blocks, with the estimates and warnings.
struct BlockingPlan {
  std::vector<RulePlan> rules;
  std::vector<std::string> warnings;
  std::uint64_t pairs_estimate = 0;  ///< sum over rules of enumerated pairs (an upper bound)
};

/// Computes the key of identity `i` under `rule` (0 when a part is missing).
std::uint64_t block_key(const PreparedRecords& r, std::uint32_t i, const BlockingRule& rule);

/// Builds the blocks of every rule. `max_block_size` identities per block before sorted
/// neighbourhood with `window` takes over. Complexity O(n log n) per rule.
BlockingPlan plan_blocking(const PreparedRecords& r, const std::vector<BlockingRule>& rules,
                           std::size_t max_block_size, std::size_t window);

/// Whether a rule before rule `k` of `plan` covers the pair (a, b): the union of the rules
/// enumerates the pair under that rule, not under `k`.
inline bool covered_before(const BlockingPlan& plan, std::size_t k, std::uint32_t a, std::uint32_t b) noexcept {
  for (std::size_t e = 0; e < k; ++e)
    if (plan.rules[e].covers(a, b)) return true;
  return false;
}

namespace detail {
/// Calls fn(i, j, a, b) for every pair of positions i < j of block `blk` of `rp` (identities a, b),
/// skipping same-source pairs when `link_only` (a windowed block pairs each identity with the next
/// `window` ones).
template <class Fn>
void for_each_position_pair(const RulePlan& rp, const Block& blk, const PreparedRecords& r, bool link_only,
                            std::size_t window, Fn&& fn) {
  for (std::uint32_t i = blk.begin; i < blk.end; ++i) {
    const std::uint32_t a = rp.order[i];
    const std::uint32_t stop =
        blk.windowed ? static_cast<std::uint32_t>(std::min<std::size_t>(blk.end, i + 1 + window)) : blk.end;
    for (std::uint32_t j = i + 1; j < stop; ++j) {
      const std::uint32_t b = rp.order[j];
      if (link_only) {
        const std::uint32_t ma = r.source_mask[a], mb = r.source_mask[b];
        if (ma == mb && (ma & (ma - 1)) == 0) continue;
      }
      fn(i - blk.begin, j - blk.begin, a, b);
    }
  }
}
}  // namespace detail

/// Calls fn(a, b) for every pair of block `blk` of rule `k`, earlier rules' pairs included,
/// skipping same-source pairs when `link_only` (a windowed block pairs each identity with the next
/// `window` ones). The one loop over a block's pairs: training reads every pair of a rule, predict
/// only those no earlier rule covers (for_each_block_pair).
template <class Fn>
void for_each_rule_pair(const BlockingPlan& plan, std::size_t k, const Block& blk, const PreparedRecords& r,
                        bool link_only, std::size_t window, Fn&& fn) {
  detail::for_each_position_pair(plan.rules[k], blk, r, link_only, window,
                                 [&](std::uint32_t, std::uint32_t, std::uint32_t a, std::uint32_t b) { fn(a, b); });
}

/// Calls fn(a, b) for every pair of block `blk` of rule `k` that no earlier rule covers, skipping
/// same-source pairs when `link_only`: over all rules and blocks, each candidate pair once.
/// The same pairs as testing covered_before() on each, but the earlier rules' keys of the block's
/// identities are gathered once per block (0 where that rule does not cover: no key, or the key of
/// a windowed block), so a pair reads two short rows, not two scattered entries per earlier rule.
template <class Fn>
void for_each_block_pair(const BlockingPlan& plan, std::size_t k, const Block& blk, const PreparedRecords& r,
                         bool link_only, std::size_t window, Fn&& fn) {
  const RulePlan& rp = plan.rules[k];
  const std::size_t size = blk.end - blk.begin;
  thread_local std::vector<std::uint64_t> keys;
  keys.resize(size * k);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint32_t x = rp.order[blk.begin + i];
    for (std::size_t e = 0; e < k; ++e) {
      const RulePlan& ep = plan.rules[e];
      std::uint64_t key = ep.keys[x];
      if (key != 0 && !ep.oversized_keys.empty() &&
          std::binary_search(ep.oversized_keys.begin(), ep.oversized_keys.end(), key))
        key = 0;
      keys[i * k + e] = key;
    }
  }
  detail::for_each_position_pair(rp, blk, r, link_only, window,
                                 [&](std::uint32_t i, std::uint32_t j, std::uint32_t a, std::uint32_t b) {
                                   const std::uint64_t* ka = keys.data() + std::size_t{i} * k;
                                   const std::uint64_t* kb = keys.data() + std::size_t{j} * k;
                                   for (std::size_t e = 0; e < k; ++e)
                                     if (ka[e] != 0 && ka[e] == kb[e]) return;
                                   fn(a, b);
                                 });
}

}  // namespace earlyhelp::linkage
