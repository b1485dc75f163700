// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/input_checks.hpp"

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/fnv1a.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace earlyhelp::linkage {

namespace {

// Every warning of input_warnings() starts with this, so update_input_warnings can find them.
constexpr std::string_view kPrefix = "input: ";

constexpr std::string_view kDateForms =
    "expected YYYY-MM-DD, DD/MM/YYYY, YYYYMMDD, YYYY-MM or YYYY, a real calendar day from 1800 to 2200";

// The longest prefix of `s` of at most `n` bytes that ends at a UTF-8 character boundary
// (continuation bytes are 10xxxxxx).
std::size_t utf8_cut(std::string_view s, std::size_t n) noexcept {
  if (s.size() <= n) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

std::string with_hash(std::string value, std::uint64_t h) {
  value.resize(utf8_cut(value, kMaxComparedBytes));
  value += fmt::format("#{:016x}", h);
  return value;
}

}  // namespace

std::string bound_compared(std::string value) {
  if (value.size() <= kMaxComparedBytes) return value;
  const std::uint64_t h = fnv1a64(value);
  return with_hash(std::move(value), h);
}

std::string_view read_part(std::string_view raw) noexcept { return raw.substr(0, utf8_cut(raw, kMaxReadBytes)); }

std::string bound_compared(std::string value, std::string_view raw) {
  if (raw.size() <= kMaxReadBytes) return bound_compared(std::move(value));
  const std::uint64_t h = fnv1a64(raw);
  return with_hash(std::move(value), h);
}

std::vector<std::string> input_warnings(const InputIssues& issues) {
  std::vector<std::string> out;
  if (issues.unreadable_dob > 0)
    out.push_back(fmt::format("{}{} date{} of birth could not be read as a date ({}): treated as missing", kPrefix,
                              issues.unreadable_dob, issues.unreadable_dob == 1 ? "" : "s", kDateForms));
  if (issues.unreadable_record_date > 0)
    out.push_back(fmt::format("{}{} record_date value{} could not be read as a date ({}, or current): treated as "
                              "missing",
                              kPrefix, issues.unreadable_record_date, issues.unreadable_record_date == 1 ? "" : "s",
                              kDateForms));
  const auto& columns = canonical_columns();
  std::string long_fields;
  std::uint64_t n_long = 0;
  for (std::size_t c = 0; c < columns.size() && c < issues.long_values.size(); ++c) {
    if (issues.long_values[c] == 0) continue;
    long_fields += fmt::format("{}{} {}", long_fields.empty() ? "" : ", ", columns[c], issues.long_values[c]);
    n_long += issues.long_values[c];
  }
  if (n_long > 0)
    out.push_back(fmt::format("{}{} value{} longer than {} bytes ({}): compared on their first {} bytes; two such "
                              "values agree exactly only when they are equal in full",
                              kPrefix, n_long, n_long == 1 ? " is" : "s are", kMaxComparedBytes, long_fields,
                              kMaxComparedBytes));
  return out;
}

void update_input_warnings(std::vector<std::string>& warnings, const InputIssues& issues) {
  warnings.erase(std::remove_if(warnings.begin(), warnings.end(),
                                [](const std::string& w) { return w.compare(0, kPrefix.size(), kPrefix) == 0; }),
                 warnings.end());
  for (auto& w : input_warnings(issues)) warnings.push_back(std::move(w));
}

std::int32_t parse_iso_date_argument(std::string_view text, std::string_view what) {
  int y = 0, m = 0, d = 0;
  const bool iso = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                   earlyhelp::detail::parse_digits(text, 0, 4, y) && earlyhelp::detail::parse_digits(text, 5, 2, m) &&
                   earlyhelp::detail::parse_digits(text, 8, 2, d);
  EH_CHECK(iso, "{}: expected a date in the form YYYY-MM-DD", what);
  EH_CHECK(is_valid_civil(y, m, d), "{}: not a real calendar day (expected a date in the form YYYY-MM-DD)", what);
  return y * 10000 + m * 100 + d;
}

void check_date_argument(std::int32_t yyyymmdd, std::string_view what) {
  const int y = yyyymmdd / 10000, m = (yyyymmdd / 100) % 100, d = yyyymmdd % 100;
  EH_CHECK(yyyymmdd > 0 && is_valid_civil(y, m, d),
           "{}: not a real calendar day (expected a date as yyyymmdd, e.g. 20240331)", what);
}

}  // namespace earlyhelp::linkage
