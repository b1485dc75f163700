// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Calendar dates as day numbers, and parsing of the forms council extracts use.
///
/// Day/civil conversion follows Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"
/// (2013), proleptic Gregorian calendar. Parsing accepts ISO `yyyy-mm-dd` and UK `dd/mm/yyyy`
/// (also `dd-mm-yyyy` and `dd.mm.yyyy`); a slash date is always day-first, so `03/04/2020` is
/// 3 April 2020, never March.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp {

/// A calendar date stored as days since 1970-01-01 (negative before).
struct Date {
  std::int32_t days = 0;

  friend constexpr bool operator==(Date a, Date b) noexcept { return a.days == b.days; }
  friend constexpr bool operator!=(Date a, Date b) noexcept { return a.days != b.days; }
  friend constexpr bool operator<(Date a, Date b) noexcept { return a.days < b.days; }
  friend constexpr bool operator<=(Date a, Date b) noexcept { return a.days <= b.days; }
  friend constexpr bool operator>(Date a, Date b) noexcept { return a.days > b.days; }
  friend constexpr bool operator>=(Date a, Date b) noexcept { return a.days >= b.days; }
};

/// Year, month (1-12) and day (1-31) of a date.
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
};

/// True for Gregorian leap years.
constexpr bool is_leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Days in month `m` (1-12) of year `y`; 0 for an invalid month.
constexpr int days_in_month(int y, int m) noexcept {
  constexpr int table[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return (m == 2 && is_leap_year(y)) ? 29 : table[m - 1];
}

/// True when y-m-d names a real calendar day.
constexpr bool is_valid_civil(int y, int m, int d) noexcept {
  return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/// Converts a valid civil date to a Date. O(1).
constexpr Date from_civil(int y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{static_cast<std::int32_t>(era * 146097 + doe - 719468)};
}

/// Converts a Date back to year, month and day. O(1).
constexpr CivilDate to_civil(Date date) noexcept {
  const int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

/// The same day `months` calendar months later (earlier when negative), clamped to the end of a
/// shorter month: 31 Jan 2024 + 1 month is 29 Feb 2024; 29 Feb 2024 - 12 months is 28 Feb 2023.
constexpr Date add_months(Date date, int months) noexcept {
  const CivilDate c = to_civil(date);
  const int index = c.year * 12 + (c.month - 1) + months;
  const int y = (index >= 0 ? index : index - 11) / 12;
  const int m = index - y * 12 + 1;
  const int d = c.day < days_in_month(y, m) ? c.day : days_in_month(y, m);
  return from_civil(y, m, d);
}

namespace detail {
constexpr bool parse_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}
}  // namespace detail

/// Parses `yyyy-mm-dd` or day-first `dd/mm/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` (one- or
/// two-digit day and month are accepted in the day-first forms). A trailing time part
/// (`T...` or ` hh:mm[:ss]`) is ignored, so datetime columns parse to their date.
/// @return the date, or std::nullopt when the text is not a valid calendar date.
/// Example: `parse_date("03/04/2020")` is 3 April 2020.
constexpr std::optional<Date> parse_date(std::string_view s) noexcept {
  // Drop a time part.
  for (std::size_t i = 8; i < s.size(); ++i) {
    if (s[i] == 'T' || s[i] == ' ') {
      s = s.substr(0, i);
      break;
    }
  }
  int y = 0, m = 0, d = 0;
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    if (!detail::parse_digits(s, 0, 4, y) || !detail::parse_digits(s, 5, 2, m) ||
        !detail::parse_digits(s, 8, 2, d))
      return std::nullopt;
  } else {
    // Day-first with separators '/', '-' or '.'.
    const std::size_t a = s.find_first_of("/-.");
    if (a == std::string_view::npos || a == 0 || a > 2) return std::nullopt;
    const char sep = s[a];
    const std::size_t b = s.find(sep, a + 1);
    if (b == std::string_view::npos || b - a - 1 == 0 || b - a - 1 > 2) return std::nullopt;
    if (s.size() - b - 1 != 4) return std::nullopt;
    if (!detail::parse_digits(s, 0, a, d) || !detail::parse_digits(s, a + 1, b - a - 1, m) ||
        !detail::parse_digits(s, b + 1, 4, y))
      return std::nullopt;
  }
  if (!is_valid_civil(y, m, d)) return std::nullopt;
  return from_civil(y, m, d);
}

/// Formats a date as ISO `yyyy-mm-dd`.
inline std::string format_date(Date date) {
  const CivilDate c = to_civil(date);
  std::string out(10, '0');
  int y = c.year;
  for (int i = 3; i >= 0; --i, y /= 10) out[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + c.month / 10);
  out[6] = static_cast<char>('0' + c.month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + c.day / 10);
  out[9] = static_cast<char>('0' + c.day % 10);
  return out;
}

}  // namespace earlyhelp
