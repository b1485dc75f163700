// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The built-in back-test (`earlyhelp forecast --backtest`): fit the multi-state model on the
/// history before a split date, project the rates held (the `population` scenario) over the
/// months after it, and compare the month-end counts of children in need, on a plan and looked
/// after with what the history shows, beside two naive forecasts made from the same series: the
/// last value carried forward and a least-squares linear trend of the last `trend_months`
/// months. Errors are absolute percentage errors: their mean over the horizon (MAPE) and the
/// error at the horizon's last month (e.g. "at 12 months").
///
/// The benchmark (benchmarks/bench_forecast.py) adds statsmodels' exponential smoothing, fitted
/// on the same pre-split series written by write_backtest.
///
/// Example:
/// ```cpp
/// auto in = earlyhelp::forecast::load_extracts("/tmp/council", "", "");
/// auto bt = earlyhelp::forecast::backtest(in, earlyhelp::forecast::default_split(in.history, 12), {});
/// for (const auto& s : bt.scores) fmt::print("{} {} {:.1f}%\n", s.state, s.method, s.ape_end);
/// ```

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/forecast/forecast.hpp"

#include <array>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// Options of a back-test.
struct BacktestOptions {
  int horizon_months = 12;   ///< months forecast after the split
  int trend_months = 24;     ///< months before the split the linear trend is fitted on
  FitOptions fit;
  int simulations = 200;
  std::uint64_t seed = 1;
  int n_threads = 0;
  /// Progress of the forecast before the split ("fit", "project" as ForecastOptions::progress;
  /// core/progress.hpp).
  Progress progress{};
};

/// The series compared: cin, cpp, lac (all placements).
inline constexpr std::array<std::string_view, 3> backtest_states = {"cin", "cpp", "lac"};

/// One month after the split.
struct BacktestRow {
  Date date;              ///< month end
  std::string state;      ///< cin, cpp or lac
  double observed = 0, model = 0, naive = 0, linear = 0;
};

/// One method's error on one state.
struct BacktestScore {
  std::string state, method;   ///< method: model, naive, linear
  double mape = 0;             ///< mean absolute percentage error over the horizon (%)
  double ape_end = 0;          ///< absolute percentage error at the horizon's last month (%)
};

/// A back-test's results.
struct BacktestResult {
  Date split;                                   ///< the as-of date of the fit
  std::vector<BacktestRow> rows;                ///< horizon months x states
  std::vector<BacktestScore> scores;            ///< states x methods
  /// The observed series before the split (month ends from the data's first complete month),
  /// what the naive methods and the benchmark's peers are fitted on.
  std::vector<Date> history_dates;
  std::vector<std::array<double, 3>> history;   ///< [month][cin, cpp, lac]
};

/// The split that leaves `horizon_months` complete months of data after it: the first day of
/// the month `horizon_months - 1` months before the last month end the history reaches.
/// @throws InvalidArgument for an empty history.
Date default_split(const History& history, int horizon_months);

/// Runs the back-test on `input` split at `split` (only data before it is fitted on).
/// @throws InvalidArgument if the history does not reach `horizon_months` months past the
/// split, or as fit_transitions.
BacktestResult backtest(const ForecastInput& input, Date split, const BacktestOptions& options);

/// Writes backtest.csv (date, state, observed, model, naive, linear), backtest_scores.csv
/// (state, method, mape, ape_end) and backtest_history.csv (date, state, observed) to `out_dir`.
/// @throws IOError if a file cannot be written.
void write_backtest(const BacktestResult& result, const std::string& out_dir);

/// The scores as a plain-text table.
std::string backtest_summary(const BacktestResult& result);

}  // namespace earlyhelp::forecast
