// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Month-by-month stochastic projection of the children in each state under one scenario.
///
/// Each simulation draws its transition probabilities from the fitted Dirichlet posteriors
/// (transitions.hpp), starts from the children in care at the last month end before the as-of
/// date (by single year of age, sex and state), and each month: moves the children in each
/// (age, sex, state) cell -- looked-after children also by months in care -- by a multinomial
/// draw over destinations; admits children from the
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

/// Looked-after children by whole months in care (0 to n_care_months - 1, the last level meaning
/// that many or more), per cell care_cell(age, sex, placement).
using CareDurations = std::vector<std::array<double, n_care_months>>;
/// Index of (age 0-17, sex, placement) in CareDurations. O(1).
constexpr std::size_t care_cell(int age, int sex, int placement) noexcept {
  return static_cast<std::size_t>((age * n_sexes + sex) * n_placements + placement);
}
/// The looked-after children at month end `month` of a history by months in care (ChildStates::lac_months).
CareDurations care_durations_at(const History& history, int month);

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

/// Projects `stock` (at month number `start_month`) under `scenario`. A looked-after child's
/// chance of leaving care depends on its months in care (TransitionModel::leave_multiplier):
/// `durations` (care_durations_at), when given, replace the stock's looked-after counts; without
/// them every looked-after child of the stock is taken to have been in care two years or more.
/// @throws InvalidArgument for a target scenario with a notional population, or durations of
/// the wrong size.
Projection project(const TransitionModel& model, const PopulationSeries& population, const Stock& stock, int start_month,
                   const Scenario& scenario, const UnitCosts& costs, const ProjectionOptions& options,
                   const CareDurations* durations = nullptr);

}  // namespace earlyhelp::forecast
