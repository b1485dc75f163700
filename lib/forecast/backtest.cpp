// SPDX-License-Identifier: Apache-2.0
// The built-in back-test: the multi-state model against naive forecasts (forecast/backtest.hpp).

#include "earlyhelp/forecast/backtest.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace earlyhelp::forecast {
namespace {

// The last month end the history reaches (its latest start or end date's month; a month is
// complete when that date is its last day, else the month before).
int last_complete_month(const History& h) {
  Date last{std::numeric_limits<std::int32_t>::min()};
  for (const Episode& e : h.episodes) {
    last = std::max(last, e.start);
    if (e.end != open_end) last = std::max(last, e.end);
  }
  const int m = month_number(last);
  return last == month_end(m) ? m : m - 1;
}

// Index of the output series (projection.hpp) of back-test state i: cin 0, cpp 1, lac 2.
std::array<double, 3> three(const std::array<double, n_states>& by_state) {
  std::array<double, 3> o{};
  for (int t = 1; t < n_states; ++t) {
    const double v = by_state[static_cast<std::size_t>(t)];
    o[t == state_cin ? 0 : t == state_cpp ? 1 : 2] += v;
  }
  return o;
}

double ape(double forecast, double observed) {
  return observed != 0 ? 100.0 * std::abs(forecast - observed) / std::abs(observed) : (forecast == 0 ? 0.0 : 100.0);
}

}  // namespace

Date default_split(const History& history, int horizon_months) {
  EH_CHECK(!history.episodes.empty(), "forecast --backtest: the history holds no episodes");
  EH_CHECK(horizon_months >= 1, "forecast --backtest: horizon of {} months (expected at least 1)", horizon_months);
  const int last = last_complete_month(history);
  const int first_forecast = last - horizon_months + 1;
  return from_civil(first_forecast / 12, first_forecast % 12 + 1, 1);
}

BacktestResult backtest(const ForecastInput& input, Date split, const BacktestOptions& o) {
  EH_CHECK(o.horizon_months >= 1 && o.horizon_months <= 120, "forecast --backtest: horizon of {} months (expected 1 to 120)",
           o.horizon_months);
  EH_CHECK(o.trend_months >= 2, "forecast --backtest: trend over {} months (expected at least 2)", o.trend_months);
  EH_CHECK(!input.history.episodes.empty(), "forecast --backtest: the history holds no episodes");
  const int last_data = last_complete_month(input.history);
  const int first_forecast = month_number(split);  // the fit ends at the month end before the split
  EH_CHECK(first_forecast + o.horizon_months - 1 <= last_data,
           "forecast --backtest: the history ends at {}, {} months after the split {} are needed (up to {})",
           format_date(month_end(last_data)), o.horizon_months, format_date(split), format_date(month_end(first_forecast + o.horizon_months - 1)));
  ForecastOptions fo;
  fo.as_of = split;
  fo.horizon_months = o.horizon_months;
  fo.scenarios = parse_scenarios("population");
  fo.fit = o.fit;
  fo.simulations = o.simulations;
  fo.seed = o.seed;
  fo.n_threads = o.n_threads;
  fo.progress = o.progress;
  const ForecastResult fr = run_forecast(input, fo);

  BacktestResult r;
  r.split = split;
  const int last_fit = fr.model.last_month;
  // Observed: everything the full history shows (the future included) at each month end.
  const History known = history_as_of(input.history, split);
  const int obs_first = month_number(known.data_start);
  const auto past = observed_counts(known, obs_first, last_fit);
  for (int m = obs_first; m <= last_fit; ++m) {
    r.history_dates.push_back(month_end(m));
    r.history.push_back(three(past[static_cast<std::size_t>(m - obs_first)]));
  }
  EH_CHECK(r.history.size() >= 2, "forecast --backtest: under two months of history before {}", format_date(split));
  const auto future = observed_counts(input.history, last_fit + 1, last_fit + o.horizon_months);
  // Linear trend: least squares on the last trend_months of the history.
  const std::size_t n_trend = std::min(r.history.size(), static_cast<std::size_t>(o.trend_months));
  std::array<double, 3> slope{}, intercept{};  // value at month index x (0 = first of the trend window)
  for (std::size_t s = 0; s < 3; ++s) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    const std::size_t base = r.history.size() - n_trend;
    for (std::size_t i = 0; i < n_trend; ++i) {
      const double x = static_cast<double>(i), y = r.history[base + i][s];
      sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    const double n = static_cast<double>(n_trend), den = n * sxx - sx * sx;
    slope[s] = den > 0 ? (n * sxy - sx * sy) / den : 0.0;
    intercept[s] = (sy - slope[s] * sx) / n;
  }
  // Model: the projection's mean counts, read from the forecast rows.
  for (int k = 0; k < o.horizon_months; ++k) {
    const Date d = month_end(last_fit + 1 + k);
    const auto obs = three(future[static_cast<std::size_t>(k)]);
    for (std::size_t s = 0; s < 3; ++s) {
      BacktestRow row;
      row.date = d;
      row.state = std::string(backtest_states[s]);
      row.observed = obs[s];
      for (const auto& fr_row : fr.rows)
        if (fr_row.scenario == "population" && fr_row.date == d && fr_row.state == row.state) row.model = fr_row.count_mean;
      row.naive = r.history.back()[s];
      row.linear = std::max(0.0, intercept[s] + slope[s] * static_cast<double>(n_trend + static_cast<std::size_t>(k)));
      r.rows.push_back(row);
    }
  }
  for (std::size_t s = 0; s < 3; ++s)
    for (const char* method : {"model", "naive", "linear"}) {
      BacktestScore sc;
      sc.state = std::string(backtest_states[s]);
      sc.method = method;
      double sum = 0;
      for (const auto& row : r.rows) {
        if (row.state != sc.state) continue;
        const double f = sc.method == "model" ? row.model : sc.method == "naive" ? row.naive : row.linear;
        const double e = ape(f, row.observed);
        sum += e;
        sc.ape_end = e;  // rows are in date order: the last one is the horizon's end
      }
      sc.mape = sum / o.horizon_months;
      r.scores.push_back(sc);
    }
  return r;
}

void write_backtest(const BacktestResult& r, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw IOError(fmt::format("forecast --backtest: cannot create directory {}: {}", out_dir, ec.message()));
  auto path = [&](const char* name) { return (std::filesystem::path(out_dir) / name).string(); };
  {
    auto w = io::CsvWriter::open(path("backtest.csv"));
    w.write_row({"date", "state", "observed", "model", "naive", "linear"});
    for (const auto& row : r.rows)
      w.write_row(std::vector<std::string>{format_date(row.date), row.state, fmt::format("{:g}", row.observed), fmt::format("{:.2f}", row.model),
                                           fmt::format("{:g}", row.naive), fmt::format("{:.2f}", row.linear)});
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("backtest_scores.csv"));
    w.write_row({"state", "method", "mape", "ape_end"});
    for (const auto& s : r.scores)
      w.write_row(std::vector<std::string>{s.state, s.method, fmt::format("{:.3f}", s.mape), fmt::format("{:.3f}", s.ape_end)});
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("backtest_history.csv"));
    w.write_row({"date", "state", "observed"});
    for (std::size_t m = 0; m < r.history.size(); ++m)
      for (std::size_t s = 0; s < 3; ++s)
        w.write_row(std::vector<std::string>{format_date(r.history_dates[m]), std::string(backtest_states[s]), fmt::format("{:g}", r.history[m][s])});
    w.close();
  }
}

std::string backtest_summary(const BacktestResult& r) {
  std::string out = fmt::format("Back-test: fitted before {}, {} months forecast; absolute percentage error of month-end counts\n",
                                format_date(r.split), r.rows.size() / 3);
  out += fmt::format("{:<6} {:<8} {:>10} {:>14}\n", "state", "method", "MAPE %", "at horizon %");
  for (const auto& s : r.scores) out += fmt::format("{:<6} {:<8} {:>10.2f} {:>14.2f}\n", s.state, s.method, s.mape, s.ape_end);
  return out;
}

}  // namespace earlyhelp::forecast
