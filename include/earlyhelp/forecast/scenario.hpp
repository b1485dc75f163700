// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Forecast scenarios, as configuration (`--scenarios trend,population,target:67`):
///
/// | spec | meaning |
/// | --- | --- |
/// | `population` | rates held at their fitted values; only the child population changes |
/// | `trend` | entry rates to cin, cpp and lac follow their log-linear trend of the fit window (at most +/-15% a year, within x0.5..x2) |
/// | `target:R[:Y]` | the rate of looked-after children per 10,000 children moves in a straight line from its as-of value to R over Y years (default 5), then holds: entries to care are scaled month by month so the expected count follows the line (exits are raised when no entries at all would still overshoot) |
/// | `intervention:prevent=P:recall=Q[:flagged=N][:cost=C]` | a share P of entries to care is prevented among children flagged by the safeguarding model, which flags a share Q of the children who enter care (its recall at the alert threshold); entries to care fall by P x Q; the programme works with N families a year at C pounds each (a cost row `intervention`) |
/// | `intervention:prevent=P:scores=FILE[:band=B\|:threshold=T][:cost=C]` | the same, with Q and N from the safeguarding model's own scores (`earlyhelp profile --scores FILE`; flags.hpp): the children in band B (default high) or scoring at least T are flagged; Q = their share of the expected entrants (sum of scores), N = their families |

#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::forecast {

enum class ScenarioKind { population, trend, target, intervention };

/// One scenario.
struct Scenario {
  ScenarioKind kind = ScenarioKind::population;
  std::string name;               ///< as written in forecast.csv: population, trend, target:67, intervention
  double target_per_10k = 0;      ///< target
  double target_years = 5;        ///< target
  double prevent = 0;             ///< intervention: share of flagged entrants prevented
  double recall = 0;              ///< intervention: share of entrants the model flags
  double flagged_per_year = 0;    ///< intervention: families worked with a year
  double cost_per_flagged = 0;    ///< intervention: pounds per family
  std::string scores;             ///< intervention: the scores file recall and flagged came from (empty: given)
  std::size_t flagged_children = 0;  ///< intervention from scores: children flagged
};

/// Parses a comma-separated list of scenario specs (table above).
/// @throws InvalidArgument naming the spec and what was expected.
std::vector<Scenario> parse_scenarios(std::string_view spec);

}  // namespace earlyhelp::forecast
