// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Dates of birth for linkage: parsing of full and partial dates, and comparison in levels
/// that capture the usual recording errors (day and month swapped, one mistyped digit) so a
/// Fellegi-Sunter model can weight each level separately.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// compare_dates("03/04/2010", "2010-03-04");   // DateLevel::day_month_transposed
/// compare_dates("1985-07-14", "1985-07-19");   // DateLevel::one_digit_off
/// compare_dates("1985", "14/07/1985");         // DateLevel::year_only
/// ```

#include "earlyhelp/core/date.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace earlyhelp::linkage {

/// How well two dates agree, best first.
enum class DateLevel : std::int8_t {
  exact = 0,             ///< same day
  day_month_transposed,  ///< same year, day and month swapped (3 April vs 4 March)
  one_digit_off,         ///< yyyymmdd forms differ in exactly one digit
  same_year,             ///< full dates in the same year, otherwise different
  year_only,             ///< one side is partial (year, or year and month) and its parts agree
  different,             ///< none of the above
  missing,               ///< either side absent or unparseable
};

/// Name of a level ("exact", "day_month_transposed", ...).
constexpr std::string_view date_level_name(DateLevel l) noexcept {
  switch (l) {
    case DateLevel::exact: return "exact";
    case DateLevel::day_month_transposed: return "day_month_transposed";
    case DateLevel::one_digit_off: return "one_digit_off";
    case DateLevel::same_year: return "same_year";
    case DateLevel::year_only: return "year_only";
    case DateLevel::different: return "different";
    case DateLevel::missing: return "missing";
  }
  return "missing";
}

/// A possibly partial date: month and day are 0 when unknown.
struct PartialDate {
  int year = 0;
  int month = 0;  ///< 1-12, or 0 when unknown
  int day = 0;    ///< 1-31, or 0 when unknown
  /// True when year, month and day are all known.
  constexpr bool is_full() const noexcept { return month != 0 && day != 0; }
};

/// Parses a full date (the forms of earlyhelp::parse_date), or a partial one: `yyyy`,
/// `yyyy-mm`, `mm/yyyy` (also with `-` or `.`). Surrounding spaces are ignored.
/// @return std::nullopt when the text is none of these or not a real date.
constexpr std::optional<PartialDate> parse_partial_date(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (const std::optional<Date> d = parse_date(s)) {
    const CivilDate c = to_civil(*d);
    return PartialDate{c.year, c.month, c.day};
  }
  int y = 0, m = 0;
  if (s.size() == 4) {
    if (!earlyhelp::detail::parse_digits(s, 0, 4, y)) return std::nullopt;
    return PartialDate{y, 0, 0};
  }
  if (s.size() == 7 && s[4] == '-') {
    if (!earlyhelp::detail::parse_digits(s, 0, 4, y) || !earlyhelp::detail::parse_digits(s, 5, 2, m)) return std::nullopt;
  } else if ((s.size() == 7 || s.size() == 6) && (s[s.size() - 5] == '/' || s[s.size() - 5] == '-' || s[s.size() - 5] == '.')) {
    const std::size_t mlen = s.size() - 5;
    if (!earlyhelp::detail::parse_digits(s, 0, mlen, m) || !earlyhelp::detail::parse_digits(s, mlen + 1, 4, y)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (m < 1 || m > 12) return std::nullopt;
  return PartialDate{y, m, 0};
}

namespace detail {
constexpr int count_digit_differences(int a, int b) noexcept {
  int n = 0;
  for (int k = 0; k < 8; ++k, a /= 10, b /= 10) n += (a % 10) != (b % 10);
  return n;
}
}  // namespace detail

/// Compares two possibly partial dates. O(1).
constexpr DateLevel compare_dates(const PartialDate& a, const PartialDate& b) noexcept {
  if (a.is_full() && b.is_full()) {
    if (a.year == b.year && a.month == b.month && a.day == b.day) return DateLevel::exact;
    if (a.year == b.year && a.day == b.month && a.month == b.day) return DateLevel::day_month_transposed;
    const int ka = a.year * 10000 + a.month * 100 + a.day;
    const int kb = b.year * 10000 + b.month * 100 + b.day;
    if (detail::count_digit_differences(ka, kb) == 1) return DateLevel::one_digit_off;
    return a.year == b.year ? DateLevel::same_year : DateLevel::different;
  }
  // At least one side is partial: agreement on the parts both sides know.
  if (a.year != b.year) return DateLevel::different;
  if (a.month != 0 && b.month != 0 && a.month != b.month) return DateLevel::different;
  if (a.day != 0 && b.day != 0 && a.day != b.day) return DateLevel::different;
  return DateLevel::year_only;
}

/// Days since 1970-01-01 of a date written yyyymmdd (an unknown day counts as the first). O(1).
constexpr std::int32_t day_number(std::int32_t yyyymmdd) noexcept {
  const int day = yyyymmdd % 100;
  return from_civil(yyyymmdd / 10000, (yyyymmdd / 100) % 100, day < 1 ? 1 : day).days;
}

/// Compares two full dates (earlyhelp::Date). O(1).
constexpr DateLevel compare_dates(Date a, Date b) noexcept {
  const CivilDate ca = to_civil(a), cb = to_civil(b);
  return compare_dates(PartialDate{ca.year, ca.month, ca.day}, PartialDate{cb.year, cb.month, cb.day});
}

/// Parses both texts with parse_partial_date and compares them; DateLevel::missing when either
/// is empty or unparseable.
constexpr DateLevel compare_dates(std::string_view a, std::string_view b) noexcept {
  const std::optional<PartialDate> pa = parse_partial_date(a), pb = parse_partial_date(b);
  if (!pa || !pb) return DateLevel::missing;
  return compare_dates(*pa, *pb);
}

}  // namespace earlyhelp::linkage
