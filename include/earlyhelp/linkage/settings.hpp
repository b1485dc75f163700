// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Settings of the record linker: which pairs are candidates, how the model is trained, when a
/// pair links. Read and written as JSON (Settings::to_json / from_json).
///
/// Example:
/// ```cpp
/// earlyhelp::linkage::Settings s;
/// s.link_type = earlyhelp::linkage::LinkType::link_only;   // two files, no de-duplication
/// s.match_threshold = 0.9;
/// auto back = earlyhelp::linkage::Settings::from_json(s.to_json());
/// ```

#include "earlyhelp/linkage/blocking.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

/// Which pairs are candidates.
enum class LinkType : std::uint8_t {
  dedupe_only,      ///< any two records
  link_only,        ///< only records from different sources
  link_and_dedupe,  ///< any two records (kept for Splink compatibility)
};

/// Everything that controls a link. Read and written as JSON.
struct Settings {
  LinkType link_type = LinkType::dedupe_only;
  std::vector<BlockingRule> blocking_rules = default_blocking_rules();
  double match_threshold = 0.5;           ///< probability at or above which a pair links
  std::size_t max_block_size = 5000;      ///< identities per block before sorted neighbourhood
  std::size_t window = 100;               ///< sorted-neighbourhood window of oversized blocks
  std::size_t u_sample_pairs = 1000000;   ///< random pairs for the u-probabilities
  std::size_t max_training_pairs = 5000000;  ///< per rule; more are subsampled by block
  int em_max_iterations = 50;
  double em_tolerance = 1e-4;
  bool tf_adjustment = true;              ///< term frequencies of names and postcodes
  bool household_guard = true;            ///< see fellegi_sunter.hpp
  double guard_max_m = 0.04;              ///< see fellegi_sunter.hpp
  /// After clustering, a small cluster with no date of birth or person identifier (say a council
  /// tax account at an old address) joins the one other person who carries its full name, when
  /// exactly one does and nothing conflicts (age, sex, a cannot-link).
  bool absorb_orphans = true;
  std::uint64_t seed = 42;
  int n_threads = 0;                      ///< <= 0: all cores

  std::string to_json() const;
  /// @throws InvalidArgument naming the bad key and what was expected.
  static Settings from_json(std::string_view json);
};

}  // namespace earlyhelp::linkage
