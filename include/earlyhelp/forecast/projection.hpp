// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Month-by-month stochastic projection of the children in each state under one scenario.
///
/// Each simulation draws its transition probabilities from the fitted Dirichlet posteriors
/// (transitions.hpp), starts from the children in care at the last month end before the as-of
/// date (by single year of age, sex and state), and each month: moves the children in each
/// (age, sex, state) cell by a multinomial draw over destinations; admits children from the
/// population not in care by binomial draws; ages one in twelve of each age by a year (those
/// reaching 18 exit). Percentiles over simulations give the bands. Results do not depend on the
/// thread count (simulation i always uses the random stream (seed, i)).
///
/// Complexity: O(simulations x months x occupied cells x states).

#include "earlyhelp/forecast/history.hpp"
#include "earlyhelp/forecast/population.hpp"
#include "earlyhelp/forecast/scenario.hpp"
#include "earlyhelp/forecast/transitions.hpp"
#include "earlyhelp/forecast/unit_costs.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace earlyhelp::forecast {

/// Children in care by age, sex and state at a month end.
using Stock = std::array<std::array<std::array<double, n_states>, n_sexes>, n_ages>;

/// The stock at month end `month` from a history (children in care by age, sex and state).
Stock stock_at(const History& history, int month);

/// Options of a projection.
struct ProjectionOptions {
  int months = 120;          ///< months after the start
  int simulations = 200;     ///< stochastic simulations
  std::uint64_t seed = 1;
  int n_threads = 0;         ///< 0: all cores
};

/// Output series of a projection: cin, cpp, lac (all placements), then lac:<placement>.
inline constexpr int n_outputs = 3 + n_placements;
/// Name of output series `o` ("cin", "cpp", "lac", "lac:foster", ...).
std::string output_name(int o);

/// Sampled counts and weekly-costed amounts: [simulation][month][output].
struct Projection {
  int start_month = 0;    ///< month number of the stock; month k of a simulation is start_month + 1 + k
  std::vector<std::vector<std::array<float, n_outputs>>> counts, costs;
  double programme_cost_per_month = 0;   ///< intervention scenarios: the programme's cost
  double programme_families_per_month = 0;
};

/// Projects `stock` (at month number `start_month`) under `scenario`.
/// @throws InvalidArgument for a target scenario with a notional population.
Projection project(const TransitionModel& model, const PopulationSeries& population, const Stock& stock, int start_month,
                   const Scenario& scenario, const UnitCosts& costs, const ProjectionOptions& options);

}  // namespace earlyhelp::forecast
