// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Sources that record adults only, read off a first clustering. A source that records no dates of
/// birth of its own (fewer than SourceAges::kMinDated dated records, so learn_source_ages() learns
/// no ages for it) still says something about its people's ages through the persons its records
/// join: when almost none of them is under SourceAges::kAdultYears (16) at the record's date (under a quarter of the
/// share of under-16s among all the council's dated records), the source records adults, and its
/// records without a date of birth are born at least 16 years before their record's date
/// (SourceAges::adult, birth_windows()). A council tax account then no longer joins the child of
/// its payer's name: the few joins to children the first clustering made are those errors.
///
/// Only the lower bound is learnt, and only at the age of legal independence (a tenancy or a
/// benefit claim from 16): a percentile of the joined ages was tried before and cut young adults
/// (a source of adults whose density rises slowly from 16 has its 2nd percentile in the twenties),
/// so the bound here never rises above 16, whatever the data.
///
/// Example:
/// ```cpp
/// SourceAges ages = learn_source_ages(table);
/// // ... a first clustering: group_of[x] is identity x's group ...
/// if (learn_adult_sources(table, group_of, ages)) { /* cluster again with birth_windows(table, ages) */ }
/// ```

#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/linkage/source_ages.hpp"

#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// A source records adults when the share of its joins to persons under kAdultYears is below the
/// council's share of under-16s divided by this.
inline constexpr double kAdultShareDivisor = 4.0;

/// Marks `ages.adult[s]` for each source `s` without learnt ages whose records without a date of
/// birth (at least SourceAges::kMinDated of them with a record date, in groups with a date of
/// birth) join persons under SourceAges::kAdultYears at the record's date less often than the council's dated
/// records are of under-16s, divided by kAdultShareDivisor. `group_of[x]` is identity x's group
/// after a first clustering (any ids below the number of identities). A group's date of birth is
/// the middle one of its identities' full dates of birth. @return whether any source was marked.
/// Complexity O(identities log identities + records).
bool learn_adult_sources(const PreparedRecords& r, const std::vector<std::uint32_t>& group_of, SourceAges& ages);

}  // namespace earlyhelp::linkage
