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

#include "earlyhelp/core/progress.hpp"
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

/// Whether the linker models households (different people sharing homes): the person rules
/// (person_rules.hpp), EM's bounds and self-check (training.hpp, model_check.hpp), the household
/// guard and place counted once (fellegi_sunter.hpp). Council data always hold households. The
/// default "auto" keeps the rules unless the data show a list of individuals without
/// co-residents (FEBRL), where a shared address is person evidence and a replaced first name a
/// recording error (HouseholdEvidence::absent(): decided on the records' own pairs, with a
/// confidence bound, so a small extract keeps the rules); "present" keeps them whatever the data
/// show, "absent" switches them off.
enum class Households : std::uint8_t {
  automatic,  ///< "auto" (the default): as the data show (household_evidence() in person_rules.hpp)
  present,    ///< "present": always
  absent,     ///< "absent": never
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
  bool household_guard = true;            ///< see fellegi_sunter.hpp (with households)
  double guard_max_m = 0.04;              ///< see fellegi_sunter.hpp
  /// After clustering, a small cluster with no date of birth or person identifier (say a council
  /// tax account at an old address) joins the one other person who carries its full name, when
  /// exactly one does and nothing conflicts (age, sex, a cannot-link).
  bool absorb_orphans = true;
  /// A source that records no dates of birth of its own, whose records a first clustering joins to
  /// persons under 16 far less often than the council's records are of under-16s, records adults:
  /// its records are then born 16 years before their record's date, and the records are clustered
  /// again with that bound (adult_sources.hpp).
  bool adult_sources = true;
  /// Whether households are modelled (see Households). With them, person evidence that place
  /// cannot outweigh (person_rules.hpp): first names and dates of birth that both disagree, or
  /// twins, never link unless a person identifier agrees; EM's m-probabilities of disagreeing
  /// person evidence are bounded by guard_max_m and the fitted model is checked for having learnt
  /// the household (model_check.hpp).
  Households households = Households::automatic;
  /// With households: address, postcode, town and property reference count as one place
  /// evidence, their joint weight bounded by the strongest single one (fellegi_sunter.hpp).
  bool place_once = true;
  std::uint64_t seed = 42;
  int n_threads = 0;                      ///< <= 0: all cores
  /// Progress of fit ("fit", 3 steps), predict ("predict", blocks, per blocking rule) and cluster
  /// ("cluster", 1 step) (core/progress.hpp). Not part of the JSON.
  Progress progress{};

  std::string to_json() const;
  /// @throws InvalidArgument naming the bad key and what was expected.
  static Settings from_json(std::string_view json);
};

}  // namespace earlyhelp::linkage
