// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Comparison levels: each identity field of a pair of prepared records is put into one of a few
/// ordered levels (0 = strongest agreement), or "null" when either side is missing. The levels of
/// all fields form the pair's comparison vector, computed once per pair and packed into 64 bits
/// (4 bits per field), so EM works on a histogram of distinct vectors.
///
/// Levels (see level_names()):
/// - first_name: exact, nickname/alias, Jaro-Winkler >= 0.92, >= 0.80, initial agrees, different
/// - surname: exact, same phonetic code or a shared part of a double-barrelled name, JW >= 0.92,
///   JW >= 0.80, different
/// - dob: exact, day/month transposed, one digit off, partial date agrees, same year, different
/// - sex: same, different
/// - address: exact, numbers agree and >= 50% of tokens shared, numbers unknown and >= 50%
///   shared, same house but different flat (14A vs 14C), different house number on a similar
///   street, different
/// - postcode: unit, sector, district (or one character off for a non-UK code), different
/// - town: exact, JW >= 0.90, different
/// - uprn: same property, different
/// - identifier (NHS number or any person id): exact, one transposition/edit, different
/// First name and surname are compared crosswise when they were swapped on one record.

#include "earlyhelp/linkage/records.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

/// The level of a field that is missing on either side.
inline constexpr std::uint8_t null_level = 15;

/// Levels of all fields of one pair.
using ComparisonVector = std::array<std::uint8_t, n_fields>;

/// Number of (non-null) levels of a field.
std::size_t n_levels(Field f) noexcept;
/// Names of a field's levels, strongest first.
const std::vector<std::string>& level_names(Field f);

/// Packs a vector into 64 bits (4 bits per field) and back.
std::uint64_t pack(const ComparisonVector& v) noexcept;
ComparisonVector unpack(std::uint64_t packed) noexcept;

/// Compares identities `a` and `b` of `r` (any order). Thread-safe on a const table.
/// Complexity: O(length of the names and addresses).
ComparisonVector compare_identities(const PreparedRecords& r, std::uint32_t a, std::uint32_t b);

/// Whether a level is person-level disagreement (first names different or only loosely similar,
/// full dates of birth different, person identifiers different): candidates for discounting
/// shared household evidence and for keeping two records apart in clustering.
bool is_conflict_level(Field f, std::uint8_t level) noexcept;

/// Whether a pair looks like two different people who are easily taken for one: the same first
/// name (namesakes, or a mother and daughter with different surnames), or one family at one home
/// (same surname and the same property or address). Such a pair in person-level conflict may never
/// end in one cluster, whatever record would bridge them (a record with a name and nothing else
/// matches every namesake).
bool look_alike(const ComparisonVector& v) noexcept;

/// Whether a field is household evidence (shared by everyone living together).
constexpr bool is_household_field(Field f) noexcept {
  return f == Field::surname || f == Field::address || f == Field::postcode || f == Field::town ||
         f == Field::uprn;
}

}  // namespace earlyhelp::linkage
