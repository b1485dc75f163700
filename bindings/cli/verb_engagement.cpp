// SPDX-License-Identifier: Apache-2.0
// `earlyhelp engagement`: the Troubled Families engagement model (forecast/engagement.hpp):
// early-help episodes -> the families likely to be turned around in a short engagement, with the
// avoided cost per family; --backtest judges the model on the episodes after --as-of.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace earlyhelp::cli {

namespace {

struct EngagementArgs {
  std::string data, episodes, as_of, data_start, data_end, out, model, rejects;
  double short_weeks = 24, weekly_cost = 435, threshold = 0.5, max_weeks = 104;
  bool backtest = false, quiet = false;
};

Date date_arg(const std::string& text, const char* flag) {
  const auto d = parse_date(text);
  EH_CHECK(d.has_value(), "engagement: {} must be a date (YYYY-MM-DD)", flag);
  return *d;
}

int run_engagement(const EngagementArgs& a) {
  EH_CHECK(a.data.empty() != a.episodes.empty(), "engagement: give exactly one of --data DIR or --episodes FILE");
  const std::string path = a.episodes.empty() ? (std::filesystem::path(a.data) / "early_help_episodes.csv").string() : a.episodes;
  io::check_distinct_files("engagement", {{"--episodes", path}}, {{"--out", a.out}, {"--model", a.model}, {"--rejects", a.rejects}});
  auto& run = current_run();
  run.input("early_help_episodes", path);
  forecast::EngagementOptions o;
  o.as_of = date_arg(a.as_of, "--as-of");
  if (!a.data_start.empty()) o.data_start = date_arg(a.data_start, "--data-start");
  o.short_weeks = a.short_weeks;
  o.weekly_cost = a.weekly_cost;
  o.threshold = a.threshold;
  o.max_weeks = a.max_weeks;
  run.param("as_of", format_date(o.as_of));
  run.param("short_weeks", fmt::format("{:g}", o.short_weeks));
  run.param("weekly_cost", fmt::format("{:g}", o.weekly_cost));
  run.param("threshold", fmt::format("{:g}", o.threshold));
  const auto data = forecast::read_engagement_episodes(path);
  run.count("rows_read", static_cast<double>(data.rows_read));
  run.count("rows_rejected", static_cast<double>(data.rejects.size()));
  run.set_rows(static_cast<double>(data.rows_read), static_cast<double>(data.rows_read - data.rejects.size()),
               static_cast<double>(data.rejects.size()));
  if (!a.rejects.empty()) {
    io::write_output_file(a.rejects, forecast::rejects_csv(data));
    run.output("rejects", a.rejects);
  } else if (!data.rejects.empty()) {
    run.warning("engagement: ", fmt::format("{} rows rejected (write them with --rejects FILE)", data.rejects.size()));
  }
  if (a.backtest) {
    Date end = a.data_end.empty() ? o.as_of : date_arg(a.data_end, "--data-end");
    if (a.data_end.empty())
      for (const auto& e : data.episodes) end = std::max(end, e.end ? *e.end : e.start);
    run.param("data_end", format_date(end));
    const auto ev = forecast::evaluate_engagement(data, end, o);
    if (!a.out.empty()) {
      io::write_output_file(a.out, forecast::evaluation_csv(ev));
      run.output("evaluation", a.out);
    }
    if (!a.quiet && a.out != "-") fmt::print("{}", forecast::to_text(ev, o));
    return exit_ok;
  }
  EH_CHECK(!a.out.empty(), "engagement: --out FILE is required (the families CSV; '-' for standard output)");
  const auto r = forecast::assess_engagement(data, o);
  io::write_output_file(a.out, forecast::families_csv(r));
  run.output("families", a.out);
  if (!a.model.empty()) {
    io::write_output_file(a.model, forecast::model_csv(r.model));
    run.output("model", a.model);
  }
  run.count("families", static_cast<double>(r.families.size()));
  run.count("listed", static_cast<double>(r.listed));
  if (!a.quiet && a.out != "-") fmt::print("{}", forecast::to_text(r, data, o));
  return exit_ok;
}

}  // namespace

void register_engagement(CLI::App& app) {
  auto a = std::make_shared<EngagementArgs>();
  auto* cmd = app.add_subcommand(
      "engagement",
      "The Troubled Families engagement model: from early-help episodes (early_help_episodes.csv), predict the length "
      "of engagement from each family's headline problems, and list the families open on --as-of likely to be turned "
      "around in a short engagement, with the avoided cost per family (the savings calculator). Fitted only on data "
      "dated before --as-of. With --backtest: fit before --as-of and judge the episodes after it. Advisory only.");
  folder_option(cmd->add_option("--data", a->data, "Extracts folder holding early_help_episodes.csv (earlyhelp synth --early-help)"));
  cmd->add_option("--episodes", a->episodes, "An early_help_episodes CSV instead of --data ('-': standard input)");
  cmd->add_option("--as-of", a->as_of, "YYYY-MM-DD: only data dated before it is used; episodes open on it are scored")->required();
  writes_file(cmd->add_option("--out", a->out,
                              "Families CSV to write ('-': standard output); with --backtest the evaluation (metric,value)"));
  writes_file(cmd->add_option("--model", a->model, "Also write the model's coefficients (CSV; '-': standard output)"));
  writes_file(cmd->add_option("--rejects", a->rejects, "Write rejected rows (file, row, field, reason) here ('-': standard output)"));
  cmd->add_option("--short-weeks", a->short_weeks, "A short engagement, in weeks")->check(CLI::Range(1.0, 520.0))->capture_default_str();
  cmd->add_option("--weekly-cost", a->weekly_cost, "Avoided cost per family per week of engagement (GBP)")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  cmd->add_option("--threshold", a->threshold, "List a family when P(turned around within --short-weeks) >= this")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--max-weeks", a->max_weeks, "Expected lengths are restricted to this many weeks")
      ->check(CLI::Range(1.0, 1040.0))
      ->capture_default_str();
  cmd->add_option("--data-start", a->data_start, "The extract's first date (default: the earliest end date in it)");
  cmd->add_flag("--backtest", a->backtest, "Judge the model on the episodes that start after --as-of instead");
  cmd->add_option("--data-end", a->data_end, "Back-test: the extract's last date (default: its latest date)");
  cmd->add_flag("--quiet", a->quiet, "Print nothing on success");
  add_common_options(*cmd, {"earlyhelp engagement --data council --as-of 2024-04-01 --out families.csv --rejects "
                            "rejected.csv",
                            "earlyhelp engagement --episodes early_help_episodes.csv --as-of 2023-04-01 --backtest "
                            "--out evaluation.csv"});
  cmd->callback([a] { set_exit_code(run_guarded("engagement", [&] { return run_engagement(*a); })); });
}

}  // namespace earlyhelp::cli
