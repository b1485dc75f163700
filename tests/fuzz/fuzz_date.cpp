// SPDX-License-Identifier: Apache-2.0
// Dates: parse_date (ISO and day-first UK forms, used by ingest and pseudonymisation), the
// partial dates of linkage, and compare_dates. The input is split at its first newline into two
// dates. Properties: a parsed date is a real calendar day that formats and parses back to itself,
// and comparison is symmetric and reflexive.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/linkage/dates.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace earlyhelp;
  using fuzz::check;
  const auto [a, b] = fuzz::split_pair(fuzz::as_text(data, size));

  for (const std::string_view s : {a, b}) {
    if (const auto d = parse_date(s)) {
      const CivilDate c = to_civil(*d);
      check(is_valid_civil(c.year, c.month, c.day), "a parsed date is a calendar day");
      check(from_civil(c.year, c.month, c.day) == *d, "to_civil and from_civil are inverse");
      check(parse_date(format_date(*d)) == d, "format_date parses back to the same day");
    }
    if (const auto p = linkage::parse_partial_date(s)) {
      check(p->month >= 0 && p->month <= 12 && p->day >= 0 && p->day <= 31,
            "partial date parts are in range");
      const linkage::DateLevel self = linkage::compare_dates(*p, *p);
      check(self == linkage::DateLevel::exact || self == linkage::DateLevel::year_only,
            "a date agrees with itself");
    }
  }
  check(linkage::compare_dates(a, b) == linkage::compare_dates(b, a), "compare_dates is symmetric");
  return 0;
}
