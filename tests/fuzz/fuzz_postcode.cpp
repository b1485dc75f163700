// SPDX-License-Identifier: Apache-2.0
// UK postcodes: the ingest check (io::canonical_postcode) and linkage's lenient parser
// (linkage::parse_postcode, compare_postcodes). The input is split at its first newline into two
// postcodes to compare. Properties: a canonical form is a fixed point of both parsers, linkage
// accepts whatever ingest accepts, and comparison is symmetric.

#include "earlyhelp/io/field_checks.hpp"
#include "earlyhelp/linkage/postcode.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace earlyhelp;
  using fuzz::check;
  const auto [a, b] = fuzz::split_pair(fuzz::as_text(data, size));

  for (const std::string_view s : {a, b}) {
    if (const auto canon = io::canonical_postcode(s)) {
      check(io::canonical_postcode(*canon) == canon, "canonical_postcode is idempotent");
      const auto parsed = linkage::parse_postcode(s);
      check(parsed.has_value(), "linkage accepts every postcode ingest accepts");
      check(parsed->unit() == *canon, "linkage and ingest agree on the normal form");
    }
    if (const auto p = linkage::parse_postcode(s)) {
      check(linkage::normalise_postcode(p->unit()) == p->unit(), "normalise_postcode is idempotent");
      check(p->unit().rfind(p->sector(), 0) == 0 && p->sector().rfind(p->district(), 0) == 0 &&
                p->district().rfind(p->area(), 0) == 0,
            "unit > sector > district > area are nested prefixes");
      check(linkage::compare_postcodes(s, s) == linkage::PostcodeLevel::unit,
            "a postcode matches itself at unit level");
    }
  }
  check(linkage::compare_postcodes(a, b) == linkage::compare_postcodes(b, a),
        "compare_postcodes is symmetric");
  return 0;
}
