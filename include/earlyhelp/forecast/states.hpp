// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The states of the demand model and the cells it is estimated in, after the design of the
/// Children's Social Care Demand Model (Social Finance / Data to Insight, csdmpy: a Markov model
/// of moves between care states by age bracket, fitted on SSDA903 episodes) extended below care
/// to children in need (CIN) and on a child protection plan (CPP):
///
///     not_known -> cin -> cpp -> lac:<placement> -> ... ; any state -> not_known; 18 -> exit
///
/// A child's state at a month end is the highest of its open episodes (lac > cpp > cin), else
/// not_known; a child leaves the model (exit) on reaching 18. Cells: the age brackets of csdmpy
/// (under 1, 1-4, 5-9, 10-15, 16-17) by sex (F, M, U).

#include "earlyhelp/core/date.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp::forecast {

/// Placement types of looked-after children (the schema's `placement_type` categories; SSDA903
/// placement codes map to them as the DfE groups them, see placement_from_ssda903).
inline constexpr std::array<std::string_view, 7> placement_names = {
    "foster_relative", "foster", "residential", "supported", "placed_with_parents", "placed_for_adoption", "other"};
inline constexpr int n_placements = static_cast<int>(placement_names.size());

/// Model states: 0 not_known, 1 cin, 2 cpp, 3 + p lac:<placement p>.
inline constexpr int state_not_known = 0, state_cin = 1, state_cpp = 2, state_lac0 = 3;
inline constexpr int n_states = state_lac0 + n_placements;

/// Age brackets (years): [0,1), [1,5), [5,10), [10,16), [16,18).
inline constexpr int n_age_bands = 5;
inline constexpr std::array<std::string_view, n_age_bands> age_band_names = {"0-1", "1-5", "5-10", "10-16", "16-18"};
/// Sexes: 0 F, 1 M, 2 U (unknown or not stated).
inline constexpr int n_sexes = 3;
inline constexpr std::array<std::string_view, n_sexes> sex_names = {"F", "M", "U"};
/// Children are 0..17 years old.
inline constexpr int n_ages = 18;

/// Whole months in care the projection tracks: 0 to n_care_months - 2 exactly, the last level
/// meaning n_care_months - 1 (two years) or more.
inline constexpr int n_care_months = 25;
/// Bands of months in care for the care-leaving hazard: 0, 1-2, 3-5, 6-11, 12-23, 24 or more.
inline constexpr int n_care_bands = 6;
inline constexpr std::array<std::string_view, n_care_bands> care_band_names = {"0", "1-2", "3-5", "6-11", "12-23", "24+"};
/// Band of a number of whole months in care. O(1).
constexpr int care_band(int months) noexcept {
  return months < 1 ? 0 : months < 3 ? 1 : months < 6 ? 2 : months < 12 ? 3 : months < 24 ? 4 : 5;
}

/// Age bracket of an age in whole years (0-17). O(1).
constexpr int age_band(int age) noexcept { return age < 1 ? 0 : age < 5 ? 1 : age < 10 ? 2 : age < 16 ? 3 : 4; }

/// Name of a state: "not_known", "cin", "cpp", "lac:foster", ...
std::string state_name(int state);
/// True for the looked-after states.
constexpr bool is_lac(int state) noexcept { return state >= state_lac0; }

/// Index of a placement type name, or nullopt.
std::optional<int> placement_index(std::string_view name) noexcept;
/// Placement type of an SSDA903 `PLACE` code (U1-U3 foster_relative, U4-U6 foster, K1/K2/R1/S1
/// residential, H5/P2 supported, P1 placed_with_parents, A3-A6 placed_for_adoption, any other
/// code other), or nullopt for an empty code.
std::optional<int> placement_from_ssda903(std::string_view code) noexcept;

/// Whole years of age on `on` for a date of birth (negative before birth). O(1).
int age_years(Date dob, Date on) noexcept;

/// Month numbers: months since January of year 0 (year * 12 + month - 1), so that consecutive
/// months differ by one.
constexpr int month_number(Date d) noexcept {
  const CivilDate c = to_civil(d);
  return c.year * 12 + c.month - 1;
}
/// The last day of month number `m`.
constexpr Date month_end(int m) noexcept {
  const int y = m / 12, mo = m % 12 + 1;
  return from_civil(y, mo, days_in_month(y, mo));
}
/// Days in month number `m`.
constexpr int month_days(int m) noexcept { return days_in_month(m / 12, m % 12 + 1); }

}  // namespace earlyhelp::forecast
