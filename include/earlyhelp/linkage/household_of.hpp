// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One linked person's household on a date: the persons sharing it (the person included), from
/// the linker's households (Linker::households). What a case system asks about the person it has
/// in front of it; the C API's eh_linker_household is this function.
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
#include <cstdint>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

/// The members of `person_id`'s household on `as_of` (yyyymmdd), sorted by person id, the person
/// among them (alone when no one shares their address). Roles by age on the date as
/// Linker::households gives them. Complexity: one Linker::households call, O(records log records).
/// @throws InvalidArgument when the linker has no person `person_id`; as Linker::households
/// (StateError before the records are linked, InvalidArgument for a date that is not a day).
inline std::vector<HouseholdMembership> household_of(const Linker& linker, std::string_view person_id,
                                                     std::int32_t as_of) {
  std::vector<HouseholdMembership> all = linker.households(as_of);
  const auto self = std::find_if(all.begin(), all.end(), [&](const HouseholdMembership& m) { return m.person_id == person_id; });
  EH_CHECK(self != all.end(), "household_of: no linked person has the id given ({} persons)", all.size());
  const std::string household = self->household_id;
  std::vector<HouseholdMembership> out;
  for (auto& m : all)
    if (m.household_id == household) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(),
            [](const HouseholdMembership& a, const HouseholdMembership& b) { return a.person_id < b.person_id; });
  return out;
}

}  // namespace earlyhelp::linkage
