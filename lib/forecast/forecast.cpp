// SPDX-License-Identifier: Apache-2.0
// Demand forecasting end to end: inputs, fit, scenarios, summaries and files (forecast/forecast.hpp).

#include "earlyhelp/forecast/forecast.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace earlyhelp::forecast {
namespace {

// Linear-interpolated quantile of sorted values (numpy's default).
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

// Observed month-end counts and costs of the outputs (cin, cpp, lac, lac:<placement>).
std::array<double, n_outputs> outputs_of(const std::array<double, n_states>& by_state, const UnitCosts& costs, int month, bool cost) {
  std::array<double, n_outputs> o{};
  const double weeks = month_days(month) / 7.0;
  for (int t = 1; t < n_states; ++t) {
    const double v = by_state[static_cast<std::size_t>(t)] * (cost ? costs.weekly[static_cast<std::size_t>(t)] * weeks : 1.0);
    const int k = t == state_cin ? 0 : t == state_cpp ? 1 : 3 + (t - state_lac0);
    o[static_cast<std::size_t>(k)] += v;
    if (is_lac(t)) o[2] += v;
  }
  return o;
}

}  // namespace

ForecastInput load_extracts(const std::string& dir, const std::string& population_csv, const std::string& unit_costs_csv) {
  ForecastInput in;
  in.history = read_extract_history(dir);
  if (!population_csv.empty()) {
    in.population = read_population_csv(population_csv);
  } else if (std::filesystem::exists(std::filesystem::path(dir) / "person_register.csv")) {
    // Children resident at each month end of the data; held flat after it.
    int last = month_number(in.history.data_start);
    for (const Episode& e : in.history.episodes) {
      last = std::max(last, month_number(e.start));
      if (e.end != open_end) last = std::max(last, month_number(e.end));
    }
    in.population = population_from_register(dir, month_number(in.history.data_start), last);
    in.warnings.push_back(fmt::format("no population projection given (--population): the child population is counted from the "
                                      "person register and held flat after {}", format_date(month_end(last))));
  } else {
    in.warnings.push_back("no population projection and no person register: a notional flat population is used (rates only "
                          "scale counts; a target per 10,000 children cannot be used)");
  }
  if (!unit_costs_csv.empty()) in.costs = read_unit_costs(unit_costs_csv);
  if (in.history.unknown_placements > 0)
    in.warnings.push_back(fmt::format("{} looked-after episodes have no placement type (no placement_type column, or empty): counted "
                                      "and costed as lac:other",
                                      in.history.unknown_placements));
  return in;
}

ForecastInput load_ssda903(const std::vector<std::string>& header_files, const std::vector<std::string>& episode_files,
                           const std::string& population_csv, const std::string& unit_costs_csv) {
  ForecastInput in;
  in.history = read_ssda903_history(header_files, episode_files);
  if (!population_csv.empty()) {
    in.population = read_population_csv(population_csv);
  } else {
    in.warnings.push_back("no population projection given (--population): a notional flat population is used (rates only scale "
                          "counts; a target per 10,000 children cannot be used)");
  }
  if (!unit_costs_csv.empty()) in.costs = read_unit_costs(unit_costs_csv);
  return in;
}

ForecastResult run_forecast(const ForecastInput& input, const ForecastOptions& options) {
  EH_CHECK(!input.history.episodes.empty(), "forecast: the history holds no episodes to fit on ({} rows read, {} rejected)",
           input.history.rows_read, input.history.rejects.size());
  EH_CHECK(options.horizon_months >= 1 && options.horizon_months <= 600, "forecast: horizon of {} months (expected 1 to 600, i.e. up to 50 years)",
           options.horizon_months);
  EH_CHECK(!options.scenarios.empty(), "forecast: no scenarios");
  ForecastResult r;
  r.scenarios = options.scenarios;
  r.as_of = options.as_of;
  r.costs = input.costs;
  r.rejects = input.history.rejects;
  r.rows_read = input.history.rows_read;
  r.warnings = input.warnings;
  r.population_source = input.population.source();
  const History known = history_as_of(input.history, options.as_of);
  r.episodes_used = known.episodes.size();
  options.progress("fit", 0, 1);
  r.model = fit_transitions(known, input.population, options.as_of, options.fit);
  options.progress("fit", 1, 1);
  for (const auto& w : r.model.warnings) r.warnings.push_back(w);
  const int last = r.model.last_month;
  if (!input.population.is_notional() && input.population.last_month() < last + options.horizon_months)
    r.warnings.push_back(fmt::format("the population figures end at {}: held flat after that", format_date(month_end(input.population.last_month()))));

  // Observed history: every month end from the data's first complete month to the last before as_of.
  const int obs_first = month_number(known.data_start);
  const auto observed = observed_counts(known, obs_first, last);
  std::vector<std::array<double, n_outputs>> obs_cost;
  for (int m = obs_first; m <= last; ++m) {
    const auto& by_state = observed[static_cast<std::size_t>(m - obs_first)];
    const auto c = outputs_of(by_state, input.costs, m, false);
    const auto cc = outputs_of(by_state, input.costs, m, true);
    obs_cost.push_back(cc);
    for (int o = 0; o < n_outputs; ++o) {
      ForecastRow row;
      row.date = month_end(m);
      row.scenario = "observed";
      row.state = output_name(o);
      row.count_mean = row.count_p05 = row.count_p50 = row.count_p95 = c[static_cast<std::size_t>(o)];
      row.cost_mean = row.cost_p05 = row.cost_p95 = cc[static_cast<std::size_t>(o)];
      r.rows.push_back(row);
    }
  }
  // Baseline: looked-after cost in the 12 months before as_of (fewer if the data is shorter, scaled to a year).
  double baseline = 0;
  int baseline_months = 0;
  for (int m = std::max(obs_first, last - 11); m <= last; ++m, ++baseline_months) baseline += obs_cost[static_cast<std::size_t>(m - obs_first)][2];
  if (baseline_months > 0 && baseline_months < 12) {
    baseline *= 12.0 / baseline_months;
    r.warnings.push_back(fmt::format("only {} months of costs before the as-of date: the baseline annual cost is scaled up to a year", baseline_months));
  }

  const Stock stock = stock_at(known, last);
  const CareDurations durations = care_durations_at(known, last);
  ProjectionOptions po;
  po.months = options.horizon_months;
  po.simulations = options.simulations;
  po.seed = options.seed;
  po.n_threads = options.n_threads;
  std::size_t scenarios_done = 0;
  options.progress("project", 0, options.scenarios.size());
  for (const Scenario& sc : options.scenarios) {
    const Projection p = project(r.model, input.population, stock, last, sc, input.costs, po, &durations);
    const std::size_t n_sims = p.counts.size();
    std::vector<double> v(n_sims), w(n_sims);
    for (int k = 0; k < options.horizon_months; ++k) {
      for (int o = 0; o < n_outputs; ++o) {
        for (std::size_t s = 0; s < n_sims; ++s) {
          v[s] = p.counts[s][static_cast<std::size_t>(k)][static_cast<std::size_t>(o)];
          w[s] = p.costs[s][static_cast<std::size_t>(k)][static_cast<std::size_t>(o)];
        }
        ForecastRow row;
        row.date = month_end(last + 1 + k);
        row.scenario = sc.name;
        row.state = output_name(o);
        row.count_mean = mean(v), row.cost_mean = mean(w);
        std::sort(v.begin(), v.end());
        std::sort(w.begin(), w.end());
        row.count_p05 = quantile(v, 0.05), row.count_p50 = quantile(v, 0.5), row.count_p95 = quantile(v, 0.95);
        row.cost_p05 = quantile(w, 0.05), row.cost_p95 = quantile(w, 0.95);
        r.rows.push_back(row);
      }
      if (sc.kind == ScenarioKind::intervention) {
        ForecastRow row;
        row.date = month_end(last + 1 + k);
        row.scenario = sc.name;
        row.state = "intervention";
        row.count_mean = row.count_p05 = row.count_p50 = row.count_p95 = p.programme_families_per_month;
        row.cost_mean = row.cost_p05 = row.cost_p95 = p.programme_cost_per_month;
        r.rows.push_back(row);
      }
    }
    for (int years : {3, 5, 10}) {
      if (12 * years > options.horizon_months) continue;
      std::vector<double> annual(n_sims, 0.0);
      for (std::size_t s = 0; s < n_sims; ++s)
        for (int k = 12 * years - 12; k < 12 * years; ++k) annual[s] += p.costs[s][static_cast<std::size_t>(k)][2];
      CostChangeRow c;
      c.scenario = sc.name;
      c.years = years;
      c.baseline_annual_cost = baseline;
      c.annual_cost_mean = mean(annual);
      std::sort(annual.begin(), annual.end());
      c.annual_cost_p05 = quantile(annual, 0.05), c.annual_cost_p95 = quantile(annual, 0.95);
      c.change = c.annual_cost_mean - baseline;
      c.change_pct = baseline > 0 ? 100.0 * c.change / baseline : 0.0;
      c.programme_cost = 12.0 * p.programme_cost_per_month;
      c.net_change = c.change + c.programme_cost;
      r.cost_change.push_back(c);
    }
    options.progress("project", ++scenarios_done, options.scenarios.size());
  }
  return r;
}

void write_forecast(const ForecastResult& r, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw IOError(fmt::format("forecast: cannot create directory {}: {}", out_dir, ec.message()));
  auto path = [&](const char* name) { return (std::filesystem::path(out_dir) / name).string(); };
  {
    auto w = io::CsvWriter::open(path("forecast.csv"));
    w.write_row({"date", "scenario", "state", "count_mean", "count_p05", "count_p50", "count_p95", "cost_mean", "cost_p05", "cost_p95"});
    for (const auto& row : r.rows)
      w.write_row(std::vector<std::string>{format_date(row.date), row.scenario, row.state, fmt::format("{:.2f}", row.count_mean),
                                           fmt::format("{:.2f}", row.count_p05), fmt::format("{:.2f}", row.count_p50),
                                           fmt::format("{:.2f}", row.count_p95), fmt::format("{:.2f}", row.cost_mean),
                                           fmt::format("{:.2f}", row.cost_p05), fmt::format("{:.2f}", row.cost_p95)});
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("cost_change.csv"));
    w.write_row({"scenario", "years", "baseline_annual_cost", "annual_cost_mean", "annual_cost_p05", "annual_cost_p95", "change",
                 "change_pct", "programme_cost", "net_change"});
    for (const auto& c : r.cost_change)
      w.write_row(std::vector<std::string>{c.scenario, std::to_string(c.years), fmt::format("{:.0f}", c.baseline_annual_cost),
                                           fmt::format("{:.0f}", c.annual_cost_mean), fmt::format("{:.0f}", c.annual_cost_p05),
                                           fmt::format("{:.0f}", c.annual_cost_p95), fmt::format("{:.0f}", c.change),
                                           fmt::format("{:.1f}", c.change_pct), fmt::format("{:.0f}", c.programme_cost),
                                           fmt::format("{:.0f}", c.net_change)});
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("transitions.csv"));
    w.write_row({"age_band", "sex", "from", "to", "count", "exposure", "rate", "rate_low", "rate_high", "probability"});
    for (const auto& t : r.model.table())
      w.write_row(std::vector<std::string>{std::string(age_band_names[static_cast<std::size_t>(t.band)]),
                                           std::string(sex_names[static_cast<std::size_t>(t.sex)]), state_name(t.from), state_name(t.to),
                                           fmt::format("{:g}", t.count), fmt::format("{:.1f}", t.exposure), fmt::format("{:.6f}", t.rate),
                                           fmt::format("{:.6f}", t.low), fmt::format("{:.6f}", t.high), fmt::format("{:.6f}", t.probability)});
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("leaving_care.csv"));
    w.write_row({"months_in_care", "child_months", "leaving_moves", "raw_rate", "hazard_ratio"});
    for (int b = 0; b < n_care_bands; ++b) {
      const auto bi = static_cast<std::size_t>(b);
      const double e = r.model.leave_exposure[bi], k = r.model.leave_moves[bi];
      w.write_row(std::vector<std::string>{std::string(care_band_names[bi]), fmt::format("{:g}", e), fmt::format("{:g}", k),
                                           fmt::format("{:.6f}", e > 0 ? k / e : 0.0), fmt::format("{:.4f}", r.model.leave_hazard[bi])});
    }
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("unit_costs.csv"));
    w.write_row({"state", "weekly_cost", "source"});
    for (int s = state_cin; s < n_states; ++s)
      w.write_row(std::vector<std::string>{state_name(s), fmt::format("{:g}", r.costs.weekly[static_cast<std::size_t>(s)]),
                                           r.costs.source[static_cast<std::size_t>(s)]});
    w.close();
  }
  {
    auto w = io::CsvWriter::open(path("rejects.csv"));
    w.write_row({"file", "row", "line", "field", "reason"});
    for (const auto& j : r.rejects)
      w.write_row(std::vector<std::string>{j.file, std::to_string(j.row), j.line ? std::to_string(j.line) : std::string(), j.field, j.reason});
    w.close();
  }
  io::write_output_file(path("summary.txt"), forecast_summary(r));
}

std::string forecast_summary(const ForecastResult& r) {
  std::string out = fmt::format("Forecast as of {} ({} input rows, {} episodes before the as-of date, {} rejected rows)\n",
                                format_date(r.as_of), r.rows_read, r.episodes_used, r.rejects.size());
  out += fmt::format("Fitted on {} to {}; population: {}\n", format_date(month_end(r.model.first_month)), format_date(month_end(r.model.last_month)),
                     r.population_source);
  for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", w);
  // Looked-after children now (last observed month) and per scenario after 3, 5, 10 years.
  double lac_now = 0;
  for (const auto& row : r.rows)
    if (row.scenario == "observed" && row.state == "lac") lac_now = row.count_mean;
  out += fmt::format("\nLooked-after children at {}: {:.0f}\n", format_date(month_end(r.model.last_month)), lac_now);
  out += fmt::format("{:<16} {:>5} {:>22} {:>16} {:>16} {:>8}\n", "scenario", "years", "looked after (90% band)", "annual LAC cost",
                     "change", "change");
  for (const auto& c : r.cost_change) {
    double lac = 0, lo = 0, hi = 0;
    const Date at = month_end(r.model.last_month + 12 * c.years);
    for (const auto& row : r.rows)
      if (row.scenario == c.scenario && row.state == "lac" && row.date == at) lac = row.count_mean, lo = row.count_p05, hi = row.count_p95;
    out += fmt::format("{:<16} {:>5} {:>22} {:>16} {:>16} {:>7.1f}%\n", c.scenario, c.years, fmt::format("{:.0f} ({:.0f}-{:.0f})", lac, lo, hi),
                       whole_pounds(c.annual_cost_mean), whole_pounds(c.change), c.change_pct);
    if (c.programme_cost > 0) out += fmt::format("{:<16} {:>5} {:>22} {:>16} {:>16}\n", "", "", "programme cost a year", whole_pounds(c.programme_cost), whole_pounds(c.net_change));
  }
  out += fmt::format("Baseline annual looked-after cost (12 months before {}): {}\n", format_date(r.as_of),
                     r.cost_change.empty() ? std::string("-") : whole_pounds(r.cost_change.front().baseline_annual_cost));
  for (const auto& sc : r.scenarios) {
    if (sc.kind != ScenarioKind::intervention) continue;
    out += fmt::format("Intervention: {:.0f}% of entries to care prevented among children flagged by the safeguarding model, "
                       "which flags {:.1f}% of those who enter care ({}): entries to care fall by {:.1f}%; {:.0f} families a year at {} each\n",
                       100 * sc.prevent, 100 * sc.recall,
                       sc.scores.empty() ? std::string("as given")
                                         : fmt::format("from the scores in {}: {} children flagged", sc.scores, sc.flagged_children),
                       100 * sc.prevent * sc.recall, sc.flagged_per_year, whole_pounds(sc.cost_per_flagged));
  }
  out += "Leaving care by months in care (hazard ratio to the fit window's average):";
  for (int b = 0; b < n_care_bands; ++b)
    out += fmt::format(" {} {:.2f}", care_band_names[static_cast<std::size_t>(b)], r.model.leave_hazard[static_cast<std::size_t>(b)]);
  out += "\n";
  return out;
}

std::string ten_year_summary(const std::string& extracts_dir, Date as_of, int n_threads) {
  ForecastInput in = load_extracts(extracts_dir, "", "");
  EH_CHECK(!in.history.episodes.empty(), "forecast: {} holds no social care episodes to fit on", extracts_dir);
  ForecastOptions o;
  if (as_of == Date{}) {
    Date last = in.history.data_start;
    for (const Episode& e : in.history.episodes) {
      last = std::max(last, e.start);
      if (e.end != open_end) last = std::max(last, e.end);
    }
    as_of = month_end(month_number(last)) ;
    as_of = Date{as_of.days + 1};  // the first day after the month of the last date
  }
  o.as_of = as_of;
  o.horizon_months = 120;
  o.scenarios = parse_scenarios(in.population.is_notional() ? "trend,population" : "trend,population,target:67");
  o.n_threads = n_threads;
  return forecast_summary(run_forecast(in, o));
}

}  // namespace earlyhelp::forecast
