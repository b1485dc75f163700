// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Households over time, from linked persons. Each record's date weights the home it shows by
/// closeness to the as-of date (half-life 60 days; a record is read as describing the address about
/// 60 days before its date, since systems catch up with a move after a lag and never anticipate
/// one), so a family that moved is placed at its new home and successive occupants of one address
/// are different households. From the linked data, how far each source's addresses lag behind a
/// move is estimated (persons recorded at one home and then another: how long each source goes on
/// showing the old one), and which sources date moves (their first record at a new home is never
/// later than any other source's: a council tax account or a tenancy starts on moving day). A
/// person whose two likeliest homes follow one another cleanly, with the move dated by such a
/// source, lives at the old home before that day and at the new one from it. Somebody with no
/// dated record near the date lives wherever the people they live with now lived then; somebody
/// recorded at a home only before its present occupants arrived is a former occupant.
///
/// Example:
/// ```cpp
/// // person_of: identity -> index in person_ids, after clustering
/// for (const auto& m : earlyhelp::linkage::households(table, person_of, person_ids, 20250101))
///   fmt::print("{} {} {}\n", m.person_id, m.household_id, m.role);
/// ```

#include "earlyhelp/linkage/records.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// A person's household and role (see households()).
struct HouseholdMembership {
  std::string person_id, household_id;
  std::string role;      ///< "adult", "child" or "unknown" (no date of birth)
  bool family = false;   ///< the household has a dependent child (Troubled Families count)
};

/// Records after a move a source needs before its lag is estimated (until then it counts as 60
/// days behind).
inline constexpr std::size_t kMinLagEvidence = 50;

/// Households of the persons `person_ids` on `as_of` (yyyymmdd), one entry per person in order;
/// `identity_person` maps each identity of `r` to its person. Roles by age on `as_of`; a
/// household is a family when it has a child. Household ids are stable (a hash of the smallest
/// person id in it). Complexity O(records log records).
std::vector<HouseholdMembership> households(const PreparedRecords& r, const std::vector<std::uint32_t>& identity_person,
                                            const std::vector<std::string>& person_ids, std::int32_t as_of);

/// How far each source's addresses lag behind a move, in days, estimated by maximum likelihood
/// from the persons (`n_persons` of them, `identity_person` as for households()) recorded at one
/// home and then another: 0 for a system that records a move on the day. Only sources with at
/// least kMinLagEvidence records after such moves are listed, by name, sorted.
std::vector<std::pair<std::string, double>> address_lags(const PreparedRecords& r,
                                                         const std::vector<std::uint32_t>& identity_person,
                                                         std::size_t n_persons);

}  // namespace earlyhelp::linkage
