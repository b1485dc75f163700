// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// UK postcodes: validation, normalisation and the hierarchy area > district > sector > unit
/// (e.g. "SW1A 1AA": area "SW", district "SW1A", sector "SW1A 1", unit "SW1A 1AA"). The format
/// is the outward code (A9, A99, AA9, AA99, A9A or AA9A) and the inward code (9AA), with the
/// letter restrictions of BS 7666, checked by io::detail::postcode_compact_valid (the same
/// check ingest validation uses). Unlike ingest, linkage is lenient about spaces anywhere: it
/// compares what a record says, it does not judge it.
///
/// Example:
/// ```cpp
/// auto pc = earlyhelp::linkage::parse_postcode(" sw1a1aa");   // SW1A 1AA
/// pc->sector();                                               // "SW1A 1"
/// earlyhelp::linkage::compare_postcodes("LS1 4AB", "LS1 4XY"); // PostcodeLevel::sector
/// ```

#include "earlyhelp/io/field_checks.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp::linkage {

/// A valid UK postcode, stored normalised.
struct Postcode {
  std::string outward;  ///< e.g. "SW1A"
  std::string inward;   ///< e.g. "1AA"

  /// Postcode area: the leading letters of the outward code ("SW").
  std::string area() const {
    std::size_t n = 0;
    while (n < outward.size() && outward[n] >= 'A' && outward[n] <= 'Z') ++n;
    return outward.substr(0, n);
  }
  /// Postcode district: the outward code ("SW1A").
  std::string district() const { return outward; }
  /// Postcode sector: outward code, space, first inward digit ("SW1A 1").
  std::string sector() const { return outward + " " + inward.substr(0, 1); }
  /// Unit: the full normalised postcode ("SW1A 1AA").
  std::string unit() const { return outward + " " + inward; }
};


/// Parses a UK postcode, ignoring case and spaces. @return std::nullopt when it is not valid.
inline std::optional<Postcode> parse_postcode(std::string_view text) {
  std::string s;
  for (const char c : text) {
    if (c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') s.push_back(static_cast<char>(c - 'a' + 'A'));
    else s.push_back(c);
  }
  // One definition of the official pattern, shared with ingest validation (io/field_checks.hpp).
  if (!io::detail::postcode_compact_valid(s)) return std::nullopt;
  return Postcode{s.substr(0, s.size() - 3), s.substr(s.size() - 3)};
}

/// True when `text` is a valid UK postcode (see parse_postcode).
inline bool postcode_valid(std::string_view text) { return parse_postcode(text).has_value(); }

/// The normalised form "OUT IN" (upper case, one space), or std::nullopt when invalid.
inline std::optional<std::string> normalise_postcode(std::string_view text) {
  auto p = parse_postcode(text);
  if (!p) return std::nullopt;
  return p->unit();
}

/// The finest level of the postcode hierarchy two postcodes share, best first.
enum class PostcodeLevel : std::int8_t { unit = 0, sector, district, area, different, missing };

/// Name of a level ("unit", "sector", ...).
constexpr std::string_view postcode_level_name(PostcodeLevel l) noexcept {
  switch (l) {
    case PostcodeLevel::unit: return "unit";
    case PostcodeLevel::sector: return "sector";
    case PostcodeLevel::district: return "district";
    case PostcodeLevel::area: return "area";
    case PostcodeLevel::different: return "different";
    case PostcodeLevel::missing: return "missing";
  }
  return "missing";
}

/// Compares two postcodes; PostcodeLevel::missing when either is absent or invalid.
inline PostcodeLevel compare_postcodes(std::string_view a, std::string_view b) {
  const auto pa = parse_postcode(a), pb = parse_postcode(b);
  if (!pa || !pb) return PostcodeLevel::missing;
  if (pa->unit() == pb->unit()) return PostcodeLevel::unit;
  if (pa->sector() == pb->sector()) return PostcodeLevel::sector;
  if (pa->district() == pb->district()) return PostcodeLevel::district;
  if (pa->area() == pb->area()) return PostcodeLevel::area;
  return PostcodeLevel::different;
}

}  // namespace earlyhelp::linkage
