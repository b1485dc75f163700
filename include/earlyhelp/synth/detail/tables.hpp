// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Embedded name, street and town tables of the synthetic council (defined in
/// lib/synth/tables.cpp). Names are common UK given names and surnames across communities
/// (ONS baby-name lists and common-surname lists inspired the choice; no real person is meant).

#include <cstddef>
#include <string_view>

namespace earlyhelp::synth::detail {

/// A table of strings: pointer + size.
struct Table {
  const std::string_view* data = nullptr;
  std::size_t size = 0;
  std::string_view operator[](std::size_t i) const noexcept { return data[i]; }
};

/// Naming communities: which first-name and surname lists a family draws from.
enum Community : int {
  community_white_british = 0,
  community_white_other = 1,  // Polish, Romanian, Lithuanian, Portuguese...
  community_south_asian = 2,  // Pakistani and Bangladeshi (Muslim) naming
  community_black = 3,
  community_east_asian = 4,
  community_arab = 5,
  community_indian_hindu = 6,
  community_indian_sikh = 7,
  n_communities = 8,
};

/// First names for a community, sex (0 female, 1 male) and cohort (0 born before 1985, 1 after).
Table first_names(int community, int male, int cohort) noexcept;
/// Surnames for a community.
Table surnames(int community) noexcept;
/// Informal forms of a given name (e.g. William -> Bill, Will), empty table if none.
Table nicknames(std::string_view first_name) noexcept;
/// Street name stems ("Church", "Mill") and suffixes ("Road", "Close").
Table street_stems() noexcept;
Table street_suffixes() noexcept;

/// A town of the synthetic county with its postcode area and districts.
struct Town {
  std::string_view name;
  std::string_view area;      ///< postcode area letters, e.g. "CO"
  int first_district;         ///< first district number, e.g. 1 for CO1
  int n_districts;            ///< districts in use
  double weight;              ///< share of the county's addresses
  double urban;               ///< 0..1: urban towns are more deprived and more diverse
};
/// The towns of the synthetic county.
const Town* towns(std::size_t& n) noexcept;

}  // namespace earlyhelp::synth::detail
