// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// UK postcodes: validation, normalisation and the hierarchy area > district > sector > unit
/// (e.g. "SW1A 1AA": area "SW", district "SW1A", sector "SW1A 1", unit "SW1A 1AA"). The format
/// is the outward code (A9, A99, AA9, AA99, A9A or AA9A) and the inward code (9AA), with the
/// letter restrictions of the Royal Mail / ONS specification (BS 7666): no Q, V, X first; no I,
/// J, Z second; the letter of A9A from ABCDEFGHJKPSTUW and of AA9A from ABEHMNPRVWXY; inward
/// letters never C, I, K, M, O or V. "GIR 0AA" is accepted. Case, spaces and a missing space are
/// tolerated on input.
///
/// Example:
/// ```cpp
/// auto pc = earlyhelp::linkage::parse_postcode(" sw1a1aa");   // SW1A 1AA
/// pc->sector();                                               // "SW1A 1"
/// earlyhelp::linkage::compare_postcodes("LS1 4AB", "LS1 4XY"); // PostcodeLevel::sector
/// ```

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

namespace detail {
constexpr bool pc_letter(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool pc_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool pc_in(char c, std::string_view set) noexcept { return set.find(c) != std::string_view::npos; }

inline bool valid_outward(std::string_view o) noexcept {
  const std::size_t n = o.size();
  if (n < 2 || n > 4) return false;
  if (!pc_letter(o[0]) || pc_in(o[0], "QVX")) return false;
  if (pc_digit(o[1])) {
    if (n == 2) return true;                                           // A9
    if (n == 3) return pc_digit(o[2]) || pc_in(o[2], "ABCDEFGHJKPSTUW");  // A99, A9A
    return false;
  }
  if (!pc_letter(o[1]) || pc_in(o[1], "IJZ")) return false;
  if (n < 3 || !pc_digit(o[2])) return false;
  if (n == 3) return true;                                             // AA9
  return pc_digit(o[3]) || pc_in(o[3], "ABEHMNPRVWXY");                // AA99, AA9A
}

inline bool valid_inward(std::string_view i) noexcept {
  return i.size() == 3 && pc_digit(i[0]) && pc_letter(i[1]) && pc_letter(i[2]) && !pc_in(i[1], "CIKMOV") &&
         !pc_in(i[2], "CIKMOV");
}
}  // namespace detail

/// Parses a UK postcode, ignoring case and spaces. @return std::nullopt when it is not valid.
inline std::optional<Postcode> parse_postcode(std::string_view text) {
  std::string s;
  for (const char c : text) {
    if (c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') s.push_back(static_cast<char>(c - 'a' + 'A'));
    else s.push_back(c);
  }
  if (s.size() < 5 || s.size() > 7) return std::nullopt;
  const std::string outward = s.substr(0, s.size() - 3), inward = s.substr(s.size() - 3);
  if (outward == "GIR" && inward == "0AA") return Postcode{outward, inward};
  if (!detail::valid_outward(outward) || !detail::valid_inward(inward)) return std::nullopt;
  return Postcode{outward, inward};
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
