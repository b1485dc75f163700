// SPDX-License-Identifier: Apache-2.0
// State names, placement codes and ages of the demand model (see forecast/states.hpp).

#include "earlyhelp/forecast/states.hpp"

#include <fmt/format.h>

namespace earlyhelp::forecast {

std::string state_name(int state) {
  if (state == state_not_known) return "not_known";
  if (state == state_cin) return "cin";
  if (state == state_cpp) return "cpp";
  return fmt::format("lac:{}", placement_names[static_cast<std::size_t>(state - state_lac0)]);
}

std::optional<int> placement_index(std::string_view name) noexcept {
  for (std::size_t i = 0; i < placement_names.size(); ++i)
    if (placement_names[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<int> placement_from_ssda903(std::string_view code) noexcept {
  if (code.empty()) return std::nullopt;
  auto is = [&](std::initializer_list<std::string_view> codes) {
    for (auto c : codes)
      if (code == c) return true;
    return false;
  };
  if (is({"U1", "U2", "U3"})) return 0;                     // foster with relatives or friends
  if (is({"U4", "U5", "U6"})) return 1;                     // other foster placements
  if (is({"K1", "K2", "R1", "S1"})) return 2;               // secure units, children's homes, residential schools
  if (is({"H5", "P2"})) return 3;                           // semi-independent and independent living
  if (is({"P1"})) return 4;                                 // placed with parents
  if (is({"A3", "A4", "A5", "A6"})) return 5;               // placed for adoption
  return 6;
}

int age_years(Date dob, Date on) noexcept {
  const CivilDate b = to_civil(dob), d = to_civil(on);
  int age = d.year - b.year;
  if (d.month < b.month || (d.month == b.month && d.day < b.day)) --age;
  return age;
}

}  // namespace earlyhelp::forecast
