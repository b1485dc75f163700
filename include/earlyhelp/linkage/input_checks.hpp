// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// What the linker does with input it cannot use as given, in one place: values too long to
/// compare, dates it cannot read, and dates given as arguments. Counts only: no value ever
/// reaches a warning or an error message.
///
/// Example:
/// ```cpp
/// earlyhelp::linkage::InputIssues issues;
/// ++issues.unreadable_dob;
/// for (const auto& w : earlyhelp::linkage::input_warnings(issues)) fmt::print("{}\n", w);
/// // "1 date of birth could not be read as a date (...): treated as missing"
/// ```

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

/// The most bytes of a value that string comparisons (Jaro-Winkler, phonetic codes, address
/// tokens, blocking keys) read. A name or an address is far shorter; a 100 KB "name" would
/// otherwise take seconds a pair (Jaro is quadratic in the length).
inline constexpr std::size_t kMaxComparedBytes = 256;

/// The most bytes of a raw value that preparation normalises (normalising takes time in the
/// length, and a value this long is no name or address already).
inline constexpr std::size_t kMaxReadBytes = 4 * kMaxComparedBytes;

/// `value` when it is at most kMaxComparedBytes long; otherwise its first bytes (cut at a UTF-8
/// character boundary, at most kMaxComparedBytes) followed by '#' and the 16 hex digits of a
/// 64-bit FNV-1a hash of the whole value. Fuzzy comparisons then read a bounded prefix, while two
/// long values that differ anywhere stay different values: they are never one identity, and
/// never agree exactly. Complexity: O(value size).
std::string bound_compared(std::string value);

/// The part of a raw value preparation reads: all of it up to kMaxReadBytes, else its first
/// kMaxReadBytes cut at a UTF-8 character boundary. O(1).
std::string_view read_part(std::string_view raw) noexcept;

/// As bound_compared, for `value` normalised from read_part(raw): when `raw` was longer than
/// kMaxReadBytes the hash is of the whole raw value (so values that differ beyond the part read
/// stay apart), and the result is bounded even when `value` is short. Complexity: O(raw size).
std::string bound_compared(std::string value, std::string_view raw);

/// Input values that preparation could not use as they were given, counted while records are
/// added (PreparedRecords::issues).
struct InputIssues {
  std::uint64_t unreadable_dob = 0;          ///< dob given but not a date: treated as missing
  std::uint64_t unreadable_record_date = 0;  ///< record_date given but not a date (nor "current")
  /// Values longer than kMaxComparedBytes, by position in canonical_columns().
  std::array<std::uint64_t, 16> long_values{};
};

/// One warning per kind of issue with its count and what was done, naming fields and never
/// values, e.g. "3 dates of birth could not be read as dates (expected YYYY-MM-DD, DD/MM/YYYY,
/// YYYYMMDD, YYYY-MM or YYYY, a real calendar day from 1800 to 2200): treated as missing".
/// Empty when there is nothing to report.
std::vector<std::string> input_warnings(const InputIssues& issues);

/// Replaces the warnings input_warnings() gave before (recognised by their wording) in
/// `warnings` by the current ones, so counts grow as batches are added instead of repeating.
void update_input_warnings(std::vector<std::string>& warnings, const InputIssues& issues);

/// Parses a date argument given as text in ISO form YYYY-MM-DD into yyyymmdd.
/// @param what the function and argument, e.g. "households: as_of".
/// @throws InvalidArgument naming `what` and the expected form (never the text given) when the
/// text is not YYYY-MM-DD or not a real calendar day.
std::int32_t parse_iso_date_argument(std::string_view text, std::string_view what);

/// Checks a date argument given as yyyymmdd.
/// @throws InvalidArgument naming `what` and the expected form when it is not a real calendar day.
void check_date_argument(std::int32_t yyyymmdd, std::string_view what);

}  // namespace earlyhelp::linkage
