// SPDX-License-Identifier: Apache-2.0
// `earlyhelp synth`: writes a synthetic council's extracts (one CSV per schema stream) and the
// ground truth (truth/*.csv) to a directory.

#include "cli.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/synth/generate.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>

namespace earlyhelp::cli {

void register_synth(CLI::App& app) {
  struct Options {
    std::size_t persons = 600000;
    std::uint64_t seed = 1;
    std::string out;
    std::string start = "2022-04-01", end = "2025-03-31";
    int threads = 0;
    double error_scale = 1.0;
    bool quiet = false;
    bool optional_columns = false;
    bool early_help = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("synth", "Generate a synthetic council: source-system extracts plus ground truth");
  cmd->add_option("--persons", opt->persons, "Persons in the county (default 600000, a real county's size)")
      ->check(whole_number(1, 50000000));
  cmd->add_option("--seed", opt->seed, "Random seed: the same seed gives byte-identical files")
      ->check(whole_number(0, UINT64_MAX));
  folder_option(cmd->add_option("--out", opt->out, "Output directory (created)"))->required();
  cmd->add_option("--start", opt->start, "First day of the extracts, YYYY-MM-DD");
  cmd->add_option("--end", opt->end, "Last day of the extracts, YYYY-MM-DD");
  cmd->add_option("--threads", opt->threads,
                  "Worker threads (0 = all cores; more than the cores are clamped to them; never changes the output)")
      ->check(whole_number(0, 65536));
  cmd->add_option("--error-scale", opt->error_scale, "Multiplier of the identity-error rates (0 = clean, up to 10)")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_flag("--optional-columns", opt->optional_columns,
                "Also write the schema's optional columns (placement_type of looked-after episodes, used by "
                "`earlyhelp forecast`); without it a seed gives the same files as earlier versions");
  cmd->add_flag("--early-help", opt->early_help,
                "Also draw early_help_episodes (family support episodes with start, end, closure reason and the "
                "headline problems at assessment, used by `earlyhelp engagement`); without it a seed gives the same "
                "files as earlier versions");
  cmd->add_flag("--quiet", opt->quiet, "Print nothing on success");
  add_common_options(*cmd, {"earlyhelp synth --persons 20000 --seed 7 --out council",
                            "earlyhelp synth --persons 600000 --optional-columns --early-help --out county --json"});
  cmd->callback([opt] {
    set_exit_code(run_guarded("synth", [&] {
      synth::Config c;
      c.persons = opt->persons;
      c.seed = opt->seed;
      c.n_threads = opt->threads;
      c.error_scale = opt->error_scale;
      c.optional_columns = opt->optional_columns;
      c.early_help = opt->early_help;
      c.progress = progress_for(opt->quiet);
      const auto start = parse_date(opt->start), end = parse_date(opt->end);
      EH_CHECK(start.has_value(), "synth: --start is not a date (expected YYYY-MM-DD)");
      EH_CHECK(end.has_value(), "synth: --end is not a date (expected YYYY-MM-DD)");
      c.start = *start;
      c.end = *end;
      const auto t0 = std::chrono::steady_clock::now();
      auto& run = current_run();
      run.param("persons", std::to_string(c.persons));
      run.param("seed", std::to_string(c.seed));
      run.param("start", opt->start);
      run.param("end", opt->end);
      run.param("error_scale", fmt::format("{}", c.error_scale));
      if (c.optional_columns) run.param("optional_columns", "true");
      if (c.early_help) run.param("early_help", "true");
      run.param("out", opt->out);
      const auto r = synth::write_directory(c, opt->out);
      run.count("persons", static_cast<double>(r.persons));
      run.count("households", static_cast<double>(r.households));
      run.count("records", static_cast<double>(r.total_rows()));
      run.output("extracts", opt->out);
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (!opt->quiet) {
        fmt::print("synth: {} persons, {} households, {} records, {} outcome labels in {:.1f} s -> {}\n", r.persons,
                   r.households, r.total_rows(), r.outcomes, secs, opt->out);
        for (std::size_t s = 0; s < synth::n_streams; ++s)
          fmt::print("  {:<26} {:>9}\n", synth::stream_name(static_cast<synth::StreamId>(s)), r.rows[s]);
        fmt::print("rates (generated vs official):\n");
        for (const auto& rr : r.rates)
          fmt::print("  {:<40} {:>9.3g} {:>9}\n", rr.measure, rr.generated,
                     std::isnan(rr.official) ? std::string("-") : fmt::format("{:g}", rr.official));
      }
      return exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
