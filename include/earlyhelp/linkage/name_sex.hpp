// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A first name's sex, learnt from the extract itself. Sources that record no sex (council tax,
/// housing, revenues) still name the person, and most first names are given to one sex: an Oliver
/// is a boy and an Olivia a girl, though the two names are two keying errors apart. Record
/// preparation counts, for each distinct first name, the identities that record it with each sex
/// (NameInfo::female, NameInfo::male); a name that at least kNameSexMinCount identities record
/// with a sex, kNameSexMajority or more of them the same, gives that sex to its records that have
/// none (sex_of). Nothing is typed into code: the names and their sexes are the extract's own, so
/// it holds for any council's naming, and a name given to both sexes (Alex, Sam, Charlie) or seen
/// too rarely (a typo, an initial) says nothing. The person rules (person_rules.hpp) and orphan
/// absorption read the sex through sex_of; the comparison's sex level, which EM estimates, stays
/// on the recorded sex.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// if (sex_of(table, a) != 0 && sex_of(table, b) != 0 && sex_of(table, a) != sex_of(table, b)) { /* two people */ }
/// ```

#include "earlyhelp/linkage/records.hpp"

#include <cstdint>

namespace earlyhelp::linkage {

/// Identities that must record a first name with a sex before the name's sex is learnt.
inline constexpr std::uint32_t kNameSexMinCount = 20;
/// Share of those identities that must record one sex (a name given to both sexes says nothing).
inline constexpr double kNameSexMajority = 0.95;

/// The sex a first name's counts show: 'm', 'f', or 0 when too few identities record it with a
/// sex or neither sex holds kNameSexMajority of them; 0 for an initial. Complexity O(1).
char learnt_name_sex(const NameInfo& name) noexcept;

/// Identity x's sex: as recorded, else learnt from its first name (learnt_name_sex), else 0.
/// Thread-safe on a const table. Complexity O(1).
char sex_of(const PreparedRecords& r, std::uint32_t x) noexcept;

/// Whether sex_of(r, x) comes from x's first name rather than its record.
bool sex_from_name(const PreparedRecords& r, std::uint32_t x) noexcept;

/// First names of `r` whose sex is learnt (learnt_name_sex not 0): for statistics. Complexity
/// O(distinct first names).
std::size_t names_with_learnt_sex(const PreparedRecords& r) noexcept;

}  // namespace earlyhelp::linkage
