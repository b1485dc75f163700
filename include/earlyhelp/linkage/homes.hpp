// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Places: where an identity's records put its person. A home is a property reference (UPRN),
/// else the UPRN other records give the same written address (at the same full postcode, else in
/// the same postcode district: a mistyped inward code does not make a second home, while one house
/// number and street in two villages of a district stays two homes), else the written address
/// keyed by its postcode district. Systems that record only a postcode (school rolls, health)
/// place a person at the postcode, which is a place but not a home.
///
/// Keys are opaque 64-bit numbers: 0 for none; a home key has bit 63 (a UPRN) or bit 62 (a
/// written address) set; a postcode place has bit 61.
///
/// Example:
/// ```cpp
/// const std::vector<std::uint64_t> home = earlyhelp::linkage::home_keys(table);
/// const bool together = home[a] != 0 && home[a] == home[b];
/// ```

#include "earlyhelp/linkage/records.hpp"

#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// Each identity's home key (see the file comment); 0 when it has no address.
/// Complexity: O(identities) expected.
std::vector<std::uint64_t> home_keys(const PreparedRecords& r);

/// The postcode place of identity `x` (0 when it has no postcode).
inline std::uint64_t postcode_place(const PreparedRecords& r, std::size_t x) noexcept {
  return r.postcode_id[x] != 0 ? (std::uint64_t{1} << 61) | r.postcode_id[x] : 0;
}

/// Whether a key is a home (a UPRN or a written address) rather than a postcode place.
constexpr bool is_home_key(std::uint64_t key) noexcept { return (key >> 62) != 0; }

}  // namespace earlyhelp::linkage
