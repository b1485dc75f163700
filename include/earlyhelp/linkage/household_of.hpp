// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One linked person's household on a date: the persons sharing it (the person included), from
/// the linker's households (Linker::households). What a case system asks about the person it has
/// in front of it, one person after another: a HouseholdCache keeps the last date's
/// HouseholdIndex for the C API's eh_linker_household and Python's Linker.household_of.
///
/// Example:
/// @code
/// linker.link();
/// for (const auto& m : earlyhelp::linkage::household_of(linker, "P0000000000000042", 20240401))
///   fmt::print("{} {}\n", m.person_id, m.role);
/// @endcode

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/households.hpp"
#include "earlyhelp/linkage/linker.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace earlyhelp::linkage {

/// The households of every linked person on one date, indexed by person: what a case system asks
/// about one person after another. Built once per date (one Linker::households call), then each
/// lookup costs the size of the household. Immutable once built: lookups from several threads at
/// once are safe. It does not follow the linker: records added later need a new index.
class HouseholdIndex {
 public:
  /// Complexity: one Linker::households call, O(records log records).
  /// @throws as Linker::households (StateError before the records are linked, InvalidArgument for
  /// a date that is not a day).
  HouseholdIndex(const Linker& linker, std::int32_t as_of)
      : as_of_(as_of), revision_(linker.revision()), members_(linker.households(as_of)) {
    // Grouped by household, persons in id order inside each.
    std::sort(members_.begin(), members_.end(), [](const HouseholdMembership& a, const HouseholdMembership& b) {
      return a.household_id != b.household_id ? a.household_id < b.household_id : a.person_id < b.person_id;
    });
    position_.reserve(members_.size());
    for (std::size_t i = 0; i < members_.size(); ++i) position_.emplace(members_[i].person_id, i);
  }

  std::int32_t as_of() const noexcept { return as_of_; }
  /// The linker's revision() it was built at: stale once the linker's differs.
  std::uint64_t revision() const noexcept { return revision_; }
  std::size_t persons() const noexcept { return members_.size(); }

  /// The members of `person_id`'s household, sorted by person id, the person among them (alone
  /// when no one shares their address). Complexity O(household).
  /// @throws InvalidArgument when no linked person has the id.
  std::vector<HouseholdMembership> of(std::string_view person_id) const {
    const auto self = position_.find(std::string(person_id));
    EH_CHECK(self != position_.end(), "household_of: no linked person has the id given ({} persons)", members_.size());
    const std::string& household = members_[self->second].household_id;
    std::size_t first = self->second, last = self->second + 1;
    while (first > 0 && members_[first - 1].household_id == household) --first;
    while (last < members_.size() && members_[last].household_id == household) ++last;
    return {members_.begin() + static_cast<std::ptrdiff_t>(first), members_.begin() + static_cast<std::ptrdiff_t>(last)};
  }

 private:
  std::int32_t as_of_;
  std::uint64_t revision_;
  std::vector<HouseholdMembership> members_;
  std::unordered_map<std::string, std::size_t> position_;  ///< person id -> index in members_
};

/// The HouseholdIndex of the last linker and date asked for, rebuilt when another date is asked for
/// or the linker's records or persons changed since (Linker::revision()). Safe from several
/// threads at once; an index handed out stays valid (shared) after the cache moves on.
class HouseholdCache {
 public:
  /// The index of `linker`'s households on `as_of` (yyyymmdd). Complexity: O(1) when the last
  /// call was for the same date and revision, else one HouseholdIndex build.
  /// @throws as HouseholdIndex's constructor (the cache is left as it was).
  std::shared_ptr<const HouseholdIndex> at(const Linker& linker, std::int32_t as_of) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!index_ || of_ != &linker || index_->as_of() != as_of || index_->revision() != linker.revision()) {
      index_ = std::make_shared<const HouseholdIndex>(linker, as_of);
      of_ = &linker;
    }
    return index_;
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const HouseholdIndex> index_;
  const Linker* of_ = nullptr;  ///< the linker index_ was built from (compared, never dereferenced)
};

/// The members of `person_id`'s household on `as_of` (yyyymmdd), sorted by person id, the person
/// among them (alone when no one shares their address). Roles by age on the date as
/// Linker::households gives them. Complexity: one Linker::households call, O(records log records);
/// for many persons on one date build a HouseholdIndex once.
/// @throws InvalidArgument when the linker has no person `person_id`; as Linker::households
/// (StateError before the records are linked, InvalidArgument for a date that is not a day).
inline std::vector<HouseholdMembership> household_of(const Linker& linker, std::string_view person_id,
                                                     std::int32_t as_of) {
  return HouseholdIndex(linker, as_of).of(person_id);
}

}  // namespace earlyhelp::linkage
