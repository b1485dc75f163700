// SPDX-License-Identifier: Apache-2.0
// The forecast's input files (`earlyhelp forecast --population/--unit-costs/--ssda903-*`): the
// first byte picks the reader, the rest is the file: an ONS population projection (long or wide
// layout), a unit-costs file, or SSDA903 header and episodes files (split at the first blank
// line). Each is read or refused with an earlyhelp::Error.

#include "earlyhelp/forecast/history.hpp"
#include "earlyhelp/forecast/population.hpp"
#include "earlyhelp/forecast/unit_costs.hpp"

#include "fuzz_support.hpp"

#include <cmath>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fc = earlyhelp::forecast;
  if (size == 0) return 0;
  const int reader = data[0] % 3;
  const std::string_view text = earlyhelp::fuzz::as_text(data + 1, size - 1);
  const auto file = [](const char* stem, std::string_view bytes) {
    return earlyhelp::fuzz::as_file(stem, ".csv", reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  };
  earlyhelp::fuzz::expect_only_errors([&] {
    if (reader == 0) {
      fc::read_population_csv(file("population", text));
    } else if (reader == 1) {
      const fc::UnitCosts costs = fc::read_unit_costs(file("unit_costs", text));
      for (const double w : costs.weekly)
        earlyhelp::fuzz::check(std::isfinite(w) && w >= 0, "a weekly cost is a non-negative number");
    } else {
      const std::size_t blank = text.find("\n\n");
      const std::string_view header = blank == std::string_view::npos ? text : text.substr(0, blank);
      const std::string_view episodes = blank == std::string_view::npos ? text : text.substr(blank + 2);
      fc::read_ssda903_history({file("ssda903_header", header)}, {file("ssda903_episodes", episodes)});
    }
  });
  return 0;
}
