// SPDX-License-Identifier: Apache-2.0
// `earlyhelp forecast`: demand forecast of children in need, on plans and looked after, with
// scenarios and costs (or, with --backtest, the built-in back-test).

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/backtest.hpp"
#include "earlyhelp/forecast/forecast.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <memory>

namespace earlyhelp::cli {

namespace {
struct ForecastArgs {
  std::string data, as_of, horizon = "10y", scenarios = "trend,population,target:67", population, unit_costs, out;
  std::vector<std::string> ssda903_header, ssda903_episodes;
  int simulations = 200;
  std::uint64_t seed = 1;
  int threads = 0;
  bool backtest = false;
  int backtest_months = 12;
  bool quiet = false;
};

// "10y" (years), "18m" (months) or a bare number of months, from 1 month to 20 years.
int horizon_months(const std::string& text) {
  std::string_view t = text;
  int unit = 1;
  if (!t.empty() && (t.back() == 'y' || t.back() == 'Y')) unit = 12, t.remove_suffix(1);
  else if (!t.empty() && (t.back() == 'm' || t.back() == 'M')) t.remove_suffix(1);
  int n = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), n);
  EH_CHECK(!t.empty() && r.ec == std::errc() && r.ptr == t.data() + t.size() && n >= 1 && n <= 240 && n * unit <= 240,
           "forecast: --horizon '{}' (expected years like 10y, months like 18m, from 1 month to 20 years)", text);
  return n * unit;
}

Date parse_as_of(const std::string& text) {
  const auto d = parse_date(text);
  EH_CHECK(d.has_value(), "forecast: --as-of is not a date (expected YYYY-MM-DD)");
  return *d;
}

int run_forecast_verb(const ForecastArgs& a) {
  namespace fc = forecast;
  EH_CHECK(a.data.empty() != a.ssda903_episodes.empty(),
           "forecast: give either --data DIR (extracts) or --ssda903-header and --ssda903-episodes files");
  EH_CHECK(a.ssda903_episodes.empty() || !a.ssda903_header.empty(), "forecast: --ssda903-episodes needs --ssda903-header");
  std::vector<std::pair<std::string_view, std::string_view>> inputs{{"--population", a.population},
                                                                    {"--unit-costs", a.unit_costs}};
  for (const auto& f : a.ssda903_header) inputs.emplace_back("--ssda903-header", f);
  for (const auto& f : a.ssda903_episodes) inputs.emplace_back("--ssda903-episodes", f);
  check_one_standard_input("forecast", inputs);
  auto& run = current_run();
  const fc::ForecastInput in = a.data.empty() ? fc::load_ssda903(a.ssda903_header, a.ssda903_episodes, a.population, a.unit_costs)
                                              : fc::load_extracts(a.data, a.population, a.unit_costs);
  if (!a.data.empty()) run.input("social_care_episodes", (std::filesystem::path(a.data) / "social_care_episodes.csv").string());
  for (const auto& f : a.ssda903_header) run.input("ssda903_header", f);
  for (const auto& f : a.ssda903_episodes) run.input("ssda903_episodes", f);
  if (!a.population.empty()) run.input("population", a.population);
  if (!a.unit_costs.empty()) run.input("unit_costs", a.unit_costs);
  run.param("simulations", std::to_string(a.simulations));
  run.param("seed", std::to_string(a.seed));
  run.count("rows_read", static_cast<double>(in.history.rows_read));
  run.count("rows_rejected", static_cast<double>(in.history.rejects.size()));
  run.set_rows(static_cast<double>(in.history.rows_read),
               static_cast<double>(in.history.rows_read - in.history.rejects.size()),
               static_cast<double>(in.history.rejects.size()));
  auto out_file = [&](const char* name) { return (std::filesystem::path(a.out) / name).string(); };

  if (a.backtest) {
    fc::BacktestOptions o;
    o.horizon_months = a.backtest_months;
    o.simulations = a.simulations;
    o.seed = a.seed;
    o.n_threads = a.threads;
    o.progress = progress_for(a.quiet);
    const Date split = a.as_of.empty() ? fc::default_split(in.history, o.horizon_months) : parse_as_of(a.as_of);
    run.param("backtest_split", format_date(split));
    run.param("backtest_months", std::to_string(o.horizon_months));
    const fc::BacktestResult r = fc::backtest(in, split, o);
    fc::write_backtest(r, a.out);
    for (const char* f : {"backtest.csv", "backtest_scores.csv", "backtest_history.csv"}) run.output(f, out_file(f));
    if (!a.quiet) fmt::print("{}", fc::backtest_summary(r));
    return exit_ok;
  }
  fc::ForecastOptions o;
  o.progress = progress_for(a.quiet);
  o.as_of = parse_as_of(a.as_of);
  o.horizon_months = horizon_months(a.horizon);
  o.scenarios = fc::parse_scenarios(a.scenarios);
  for (const auto& sc : o.scenarios)
    if (!sc.scores.empty()) run.input("safeguarding_scores", sc.scores);
  o.simulations = a.simulations;
  o.seed = a.seed;
  o.n_threads = a.threads;
  run.param("as_of", format_date(o.as_of));
  run.param("horizon_months", std::to_string(o.horizon_months));
  run.param("scenarios", a.scenarios);
  const fc::ForecastResult r = fc::run_forecast(in, o);
  fc::write_forecast(r, a.out);
  for (const char* f : {"forecast.csv", "cost_change.csv", "transitions.csv", "unit_costs.csv", "rejects.csv", "summary.txt"})
    run.output(f, out_file(f));
  run.count("episodes_used", static_cast<double>(r.episodes_used));
  if (!a.quiet) fmt::print("{}", fc::forecast_summary(r));
  return exit_ok;
}
}  // namespace

void register_forecast(CLI::App& app) {
  auto args = std::make_shared<ForecastArgs>();
  auto* cmd = app.add_subcommand(
      "forecast",
      "Forecast children in need, on child protection plans and looked after (by placement type), month by month "
      "with 90% bands, under scenarios, with costs; fitted only on data dated before --as-of. Writes forecast.csv, "
      "cost_change.csv, transitions.csv, unit_costs.csv, rejects.csv and summary.txt to --out. With --backtest: "
      "fit before the split, forecast the months after it and score against naive forecasts.");
  folder_option(cmd->add_option("--data", args->data, "Extracts folder (social_care_episodes.csv; person_register.csv for the population)"));
  cmd->add_option("--ssda903-header", args->ssda903_header, "SSDA903 header file(s) (CHILD, SEX, DOB) instead of --data; one of all the files may be '-'");
  cmd->add_option("--ssda903-episodes", args->ssda903_episodes, "SSDA903 episodes file(s) (CHILD, DECOM, DEC, PLACE, ...; one may be '-')");
  cmd->add_option("--as-of", args->as_of, "Forecast date YYYY-MM-DD: only data dated before it is used (back-test: the split)");
  cmd->add_option("--horizon", args->horizon, "How far ahead: 10y, 18m (1 month to 20 years)")->capture_default_str();
  cmd->add_option("--scenarios", args->scenarios,
                  "Comma-separated: trend, population, target:RATE[:YEARS], "
                  "intervention:prevent=P:recall=Q[:flagged=N][:cost=C] or intervention:prevent=P:scores=FILE[:band=B|:threshold=T][:cost=C] "
                  "(FILE: earlyhelp profile --scores)")
      ->capture_default_str();
  cmd->add_option("--population", args->population, "Child population projection CSV (ONS wide, or year,age,sex,population; '-': standard input)");
  cmd->add_option("--unit-costs", args->unit_costs, "Unit costs CSV: state,weekly_cost[,source] ('-': standard input)");
  folder_option(cmd->add_option("--out", args->out, "Output folder (created)"))->required();
  cmd->add_option("--simulations", args->simulations, "Stochastic simulations for the bands")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed (same seed, same output)")->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores; never changes the output)")->check(whole_number(0, 65536));
  cmd->add_flag("--backtest", args->backtest, "Run the back-test instead of a forecast");
  cmd->add_option("--backtest-months", args->backtest_months, "Months forecast in the back-test")->check(CLI::Range(1, 120))->capture_default_str();
  cmd->add_flag("--quiet", args->quiet, "Print nothing on success");
  add_common_options(*cmd, {"earlyhelp forecast --data council --as-of 2024-04-01 --horizon 10y --unit-costs costs.csv "
                            "--out forecast",
                            "earlyhelp forecast --data council --backtest --backtest-months 12 --out backtest"});
  cmd->callback([args] {
    set_exit_code(run_guarded("forecast", [&] {
      EH_CHECK(args->backtest || !args->as_of.empty(), "forecast: --as-of is required (only data dated before it is used)");
      return run_forecast_verb(*args);
    }));
  });
}

}  // namespace earlyhelp::cli
