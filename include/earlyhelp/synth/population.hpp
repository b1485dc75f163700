// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The synthetic council's people, households and addresses: the ground truth every source
/// system's extract is drawn from.
///
/// A county of towns (lib/synth/tables.cpp) is laid out street by street: house and flat
/// numbers, valid-format UK postcodes (about 15 addresses per unit), 12-digit UPRNs, and a
/// deprivation decile per street (urban streets are more often deprived). Households are then
/// drawn from a Census-2021-like mix of types (one person 30%, couples, couples with children,
/// lone parents, step-families, house shares, multigenerational), giving about 2.4 persons per
/// household. Persons get names from their naming community (including hyphenated and
/// multi-part surnames), sex, date of birth (twins share one), an ethnicity group correlated
/// with the area, NHS numbers with valid check digits, school UPNs and NI numbers. Over the
/// simulated period households move (renters more often; a move goes to a random address of the
/// county, which may already be occupied, as in a house in multiple occupation), babies are born,
/// partners join
/// step-families from a household of their own, and some women take a partner's surname.
///
/// Everything is a pure function of the Config: households are planned sequentially from the
/// seed, then filled in parallel from per-household random streams, so the result does not
/// depend on the thread count.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace earlyhelp::synth {

/// What to generate.
struct Config {
  std::size_t persons = 600000;   ///< persons ever resident in the period (a real county's size)
  std::uint64_t seed = 1;         ///< same seed, same bytes
  Date start = from_civil(2022, 4, 1);  ///< first day of the extracts
  Date end = from_civil(2025, 3, 31);   ///< last day of the extracts
  int n_threads = 0;              ///< worker threads; <= 0 means all cores (never changes output)
  /// Multiplies every identity-error rate of the source systems (0 gives clean extracts).
  double error_scale = 1.0;
  /// Also write the schema's optional columns (`"required": false`: the placement type of
  /// looked-after episodes). Off by default, so a seed gives the same files as before they
  /// were added; the extra values come from random streams of their own either way.
  bool optional_columns = false;
  /// Also draw the early-help stream (`early_help_episodes`: family support episodes with
  /// start, end, closure reason and the headline problems at assessment, driven by the family's
  /// needs). Off by default, so a seed gives the same files as before; its values come from a
  /// random stream of its own.
  bool early_help = false;
  /// Progress ("population": 1 step; "households": households simulated, after each block of
  /// them; core/progress.hpp).
  Progress progress{};
};

/// No index (e.g. a person with no known father).
inline constexpr std::uint32_t npos32 = 0xFFFFFFFFu;

enum class Sex : std::uint8_t { female = 0, male = 1 };
/// Census 2021 high-level ethnic groups.
enum class Ethnicity : std::uint8_t { white = 0, mixed = 1, asian = 2, black = 3, other = 4 };
enum class Tenure : std::uint8_t { owner = 0, social_rent = 1, private_rent = 2 };
/// How the household was composed (for truth files and tests).
enum class HouseholdType : std::uint8_t {
  one_person = 0,
  couple = 1,
  couple_children = 2,
  lone_parent = 3,
  step_family = 4,
  adult_children = 5,
  sharers = 6,
  multigenerational = 7,
  prior = 8,  ///< the one-person household a step-parent left to join a step-family
};

/// One address of the county.
struct Address {
  std::uint64_t uprn = 0;
  int house_number = 0;
  int flat = 0;                 ///< 0 unless a flat
  std::uint32_t street = 0;     ///< index into Population::streets
  std::string postcode;         ///< e.g. "CO4 3AB"
};

/// One street (all of its addresses share town and deprivation decile).
struct Street {
  std::string name;
  std::uint16_t town = 0;
  std::uint8_t deprivation_decile = 5;  ///< 1 = most deprived tenth of streets
  double urban = 0.5;
};

/// A residence of a household: from `from` (inclusive) at `address`.
struct Move {
  Date from;
  std::uint32_t address = 0;
};

/// A household: people living together, its address history and its latent risk.
struct Household {
  std::uint32_t id = 0;
  HouseholdType type = HouseholdType::one_person;
  Tenure tenure = Tenure::owner;
  std::vector<Move> moves;       ///< address history, first entry from before the period
  Date ends = from_civil(9999, 12, 31);  ///< day the household dissolved (prior households)
  std::uint32_t first_person = 0;  ///< members are persons [first_person, first_person + n_persons)
  std::uint32_t n_persons = 0;
  double risk = 0.0;            ///< persistent latent risk (see events.hpp)
  std::uint8_t deprivation_decile = 5;  ///< of the first address

  /// Index of the address on day `d`.
  std::uint32_t address_on(Date d) const noexcept {
    std::uint32_t a = moves.front().address;
    for (const auto& m : moves)
      if (m.from <= d) a = m.address;
    return a;
  }
};

/// One person, with true identity and family links.
struct Person {
  std::uint32_t id = 0;
  std::uint32_t household = 0;     ///< household from `joined` onwards
  std::uint32_t prior_household = npos32;  ///< household before `joined`, if any
  Date joined;                     ///< day the person joined `household` (birth, or a move-in)
  Sex sex = Sex::female;
  Date dob;
  Ethnicity ethnicity = Ethnicity::white;
  std::uint8_t community = 0;      ///< naming community (detail::Community)
  bool adult = true;               ///< a parent/partner/sharer rather than a child of the household
  bool twin = false;
  bool junior = false;             ///< a son given his father's first name
  std::uint32_t mother = npos32, father = npos32;
  std::string first_name, middle_name, surname;
  std::string new_surname;         ///< surname taken on `surname_changed` (empty if none)
  Date surname_changed = from_civil(9999, 12, 31);
  std::string nhs_number;          ///< 10 digits, valid modulus-11 check digit
  std::string ni_number;           ///< adults: e.g. "JK123456C"
  std::string upn;                 ///< children of school age: 13-character UPN with check letter

  /// Surname in use on day `d`.
  const std::string& surname_on(Date d) const noexcept {
    return (!new_surname.empty() && d >= surname_changed) ? new_surname : surname;
  }
  /// Household on day `d` (npos32 before birth / before a first known household).
  std::uint32_t household_on(Date d) const noexcept {
    if (d >= joined) return household;
    return prior_household;
  }
  /// Age in whole years on day `d`.
  int age_on(Date d) const noexcept;
};

/// The whole synthetic population.
struct Population {
  Config config;
  std::vector<Street> streets;
  std::vector<Address> addresses;
  std::vector<Household> households;
  std::vector<Person> persons;

  /// Full address line for an address, e.g. "Flat 2, 14 Mill Lane".
  std::string address_line(std::uint32_t address) const;
  /// Town of an address.
  std::string_view town_of(std::uint32_t address) const noexcept;
};

/// Checks a configuration before anything is generated or written.
/// @throws InvalidArgument if persons is 0 or over 50 million, end is not after start, or
/// error_scale is outside 0..10.
void check_config(const Config& config);

/// Generates the population for `config`.
/// @throws InvalidArgument as check_config.
/// Complexity: O(persons), parallel over households. Example:
/// ```
/// earlyhelp::synth::Config c; c.persons = 20000; c.seed = 7;
/// auto pop = earlyhelp::synth::generate_population(c);
/// ```
Population generate_population(const Config& config);

/// Age band used in fairness reports: "0-4", "5-9", "10-15", "16-17", "18-24", "25-34",
/// "35-49", "50-64", "65+".
std::string_view age_band(int age) noexcept;
std::string_view to_string(Sex s) noexcept;
std::string_view to_string(Ethnicity e) noexcept;
std::string_view to_string(Tenure t) noexcept;
std::string_view to_string(HouseholdType t) noexcept;

}  // namespace earlyhelp::synth
