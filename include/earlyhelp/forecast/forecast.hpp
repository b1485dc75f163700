// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Demand forecasting end to end: load a council's care history, child population and unit
/// costs; fit the multi-state model on the history before the as-of date; project every
/// scenario; summarise percentiles and the change in annual looked-after cost after 3, 5 and 10
/// years; write the files. The CLI (`earlyhelp forecast`), Python (`earlyhelp.forecast`) and the
/// demo call these functions.
///
/// Files written by write_forecast to the output folder (each through io::OutputFile):
///   forecast.csv     date (month end), scenario, state (cin, cpp, lac, lac:<placement>,
///                    intervention), count_mean, count_p05, count_p50, count_p95, cost_mean,
///                    cost_p05, cost_p95; the history before the as-of date is scenario `observed`
///   cost_change.csv  scenario, years, baseline_annual_cost (the 12 months before the as-of date),
///                    annual_cost_mean/_p05/_p95 (the 12 months ending N years on), change,
///                    change_pct, programme_cost, net_change
///   transitions.csv  age_band, sex, from, to, count, exposure, rate, rate_low, rate_high,
///                    probability (monthly; 95% Wilson interval)
///   leaving_care.csv months_in_care (band), child_months, leaving_moves, raw_rate (monthly),
///                    hazard_ratio (fitted; relative to the window's average, transitions.hpp)
///   unit_costs.csv   state, weekly_cost, source (the costs used)
///   rejects.csv      file, row, line, field, reason (input rows that could not be used)
///   summary.txt      the run's sources, warnings and the cost-change table
///
/// Example:
/// ```cpp
/// namespace fc = earlyhelp::forecast;
/// fc::ForecastInput in = fc::load_extracts("/tmp/council", "", "");
/// fc::ForecastOptions o;
/// o.as_of = *earlyhelp::parse_date("2025-04-01");
/// o.scenarios = fc::parse_scenarios("trend,population,target:67");
/// fc::ForecastResult r = fc::run_forecast(in, o);
/// fc::write_forecast(r, "/tmp/forecast");
/// ```

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/forecast/history.hpp"
#include "earlyhelp/forecast/population.hpp"
#include "earlyhelp/forecast/projection.hpp"
#include "earlyhelp/forecast/scenario.hpp"
#include "earlyhelp/forecast/transitions.hpp"
#include "earlyhelp/forecast/unit_costs.hpp"

#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// What a forecast reads.
struct ForecastInput {
  History history;
  PopulationSeries population = PopulationSeries::notional();
  UnitCosts costs = default_unit_costs();
  std::vector<std::string> warnings;   ///< e.g. the population is held flat
};

/// Loads an extracts folder (`social_care_episodes.csv`, and `person_register.csv` for the
/// population when no projection is given). Empty paths mean: no projection (register-based
/// population held flat after the data, or notional), default unit costs.
/// @throws as read_extract_history, read_population_csv, read_unit_costs.
ForecastInput load_extracts(const std::string& dir, const std::string& population_csv, const std::string& unit_costs_csv);

/// Loads SSDA903 header and episodes files (several years may be given). Without a projection
/// the population is notional (rates then only scale counts).
ForecastInput load_ssda903(const std::vector<std::string>& header_files, const std::vector<std::string>& episode_files,
                           const std::string& population_csv, const std::string& unit_costs_csv);

/// Options of a forecast.
struct ForecastOptions {
  Date as_of;                          ///< only data dated before it is used
  int horizon_months = 120;
  std::vector<Scenario> scenarios = parse_scenarios("trend,population");
  FitOptions fit;
  int simulations = 200;
  std::uint64_t seed = 1;
  int n_threads = 0;
  /// Progress ("fit": 1 step; "project": scenarios, after each; core/progress.hpp).
  Progress progress{};
};

/// One row of forecast.csv.
struct ForecastRow {
  Date date;
  std::string scenario, state;
  double count_mean = 0, count_p05 = 0, count_p50 = 0, count_p95 = 0;
  double cost_mean = 0, cost_p05 = 0, cost_p95 = 0;
};

/// One row of cost_change.csv.
struct CostChangeRow {
  std::string scenario;
  int years = 0;
  double baseline_annual_cost = 0;
  double annual_cost_mean = 0, annual_cost_p05 = 0, annual_cost_p95 = 0;
  double change = 0, change_pct = 0;
  double programme_cost = 0, net_change = 0;
};

/// A forecast's results.
struct ForecastResult {
  Date as_of;
  std::vector<ForecastRow> rows;            ///< observed history first, then each scenario
  std::vector<CostChangeRow> cost_change;   ///< per scenario, after 3, 5 and 10 years (within the horizon)
  TransitionModel model;
  UnitCosts costs;
  std::vector<HistoryReject> rejects;
  std::vector<std::string> warnings;
  std::vector<Scenario> scenarios;          ///< as run (an intervention's recall and reach included)
  std::string population_source;
  std::size_t rows_read = 0, episodes_used = 0;
};

/// Fits the model on the history before `options.as_of` and projects every scenario.
/// @throws InvalidArgument for too little history or a target scenario without a population.
ForecastResult run_forecast(const ForecastInput& input, const ForecastOptions& options);

/// Writes the files listed above into `out_dir` (created if needed).
/// @throws IOError if a file cannot be written.
void write_forecast(const ForecastResult& result, const std::string& out_dir);

/// The cost-change table and warnings as plain text (what the CLI and the demo print): for each
/// scenario, looked-after children and annual looked-after cost now and after 3, 5 and 10 years.
std::string forecast_summary(const ForecastResult& result);

/// The demo's ten-year forecast of an extracts folder under the three scenarios of the public
/// report (trend, population growth only, target of England's 67 per 10,000): runs and returns
/// forecast_summary. `as_of` defaults (nullopt-like `Date{}`) to the day after the last episode date.
std::string ten_year_summary(const std::string& extracts_dir, Date as_of = Date{}, int n_threads = 0);

}  // namespace earlyhelp::forecast
