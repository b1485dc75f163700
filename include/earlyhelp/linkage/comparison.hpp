// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Comparison levels: each identity field of a pair of prepared records is put into one of a few
/// ordered levels (0 = strongest agreement), or "null" when either side is missing. The levels of
/// all fields form the pair's comparison vector, computed once per pair and packed into 64 bits
/// (4 bits per field), so EM works on a histogram of distinct vectors.
///
/// Levels are named per field in namespace `levels` (code reads `level == levels::FirstName::nickname`,
/// never a number); level_names() gives the names used in model JSON and explanations:
/// - first_name: exact, nickname/alias, Jaro-Winkler >= 0.92 (or one swap of adjacent letters),
///   >= 0.80, initial agrees, different
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

/// The named levels of each field, strongest agreement first (see the file comment). Each is an
/// unscoped enumeration in a struct so that a level reads `levels::FirstName::nickname` and compares
/// with the std::uint8_t of a ComparisonVector.
namespace levels {
/// First name.
struct FirstName {
  enum Level : std::uint8_t { exact, nickname, close_typo, similar, initial, different, count };
};
/// Surname.
struct Surname {
  enum Level : std::uint8_t { exact, phonetic_or_part, close_typo, similar, different, count };
};
/// Date of birth.
struct Dob {
  enum Level : std::uint8_t { exact, day_month_transposed, one_digit_off, partial_agrees, same_year, different, count };
};
/// Sex.
struct Sex {
  enum Level : std::uint8_t { same, different, count };
};
/// Written address.
struct Address {
  enum Level : std::uint8_t { exact, numbers_agree, numbers_unknown, flat_differs, house_differs, different, count };
};
/// Postcode.
struct Postcode {
  enum Level : std::uint8_t { unit, sector, district_or_one_off, different, count };
};
/// Town or suburb.
struct Town {
  enum Level : std::uint8_t { exact, similar, different, count };
};
/// Property reference.
struct Uprn {
  enum Level : std::uint8_t { same, different, count };
};
/// Person identifier (NHS number, UPN, NI number, ...).
struct Identifier {
  enum Level : std::uint8_t { exact, one_edit, different, count };
};
}  // namespace levels

/// Level 0 of every field: exact agreement on the value.
inline constexpr std::uint8_t exact_level = 0;

/// Levels of all fields of one pair.
using ComparisonVector = std::array<std::uint8_t, n_fields>;

/// The level of field `f` in `v`.
constexpr std::uint8_t level_of(const ComparisonVector& v, Field f) noexcept { return v[static_cast<std::size_t>(f)]; }

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
