// SPDX-License-Identifier: Apache-2.0
// `earlyhelp tf`: linked extracts -> the families meeting a programme's criteria (Troubled
// Families by default) on a date, with the records evidencing each criterion.

#include "cli.hpp"
#include "families_csv.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/link_extracts.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"

#include <fmt/format.h>

#include <memory>

namespace earlyhelp::cli {

namespace {

struct TfArgs {
  std::string data, as_of, persons, households, framework, output, members, rejects;
  int threads = 0;
  bool quiet = false;
};

int run_tf(const TfArgs& a) {
  using namespace earlyhelp::profiling;
  auto& run = current_run();
  EH_CHECK(!a.data.empty(), "tf: --data DIR is required");
  EH_CHECK(!a.as_of.empty(), "tf: --as-of DATE is required");
  EH_CHECK(!a.output.empty(), "tf: --output FILE is required");
  const auto as_of = parse_date(a.as_of);
  EH_CHECK(as_of.has_value(), "tf: --as-of must be one date (YYYY-MM-DD)");
  const std::string linked = a.persons.empty() ? beside(a.output, "persons.csv") : std::string();
  io::check_distinct_files("tf", {{"--persons", a.persons}, {"--households", a.households}, {"--framework", a.framework}},
                           {{"--output", a.output}, {"--members", a.members}, {"persons file", linked}});
  check_one_standard_input("tf", {{"--households", a.households}, {"--framework", a.framework}});
  const MessagesToStderr messages(a.output == "-" || a.members == "-");
  const Framework fw = framework_arg(a.framework, "tf");
  run.param("data", a.data);
  run.param("as_of", a.as_of);
  run.param("framework", fw.name());

  features::Linkage links(fw.feature_set().schema());
  if (a.persons.empty()) {
    fmt::print(stderr, "tf: no --persons: linking the extracts (persons and households written to {})\n", linked);
    links = link_extracts(a.data, *as_of, linked, a.threads, progress_for(a.quiet));
    run.output("persons", linked);
  } else {
    run.input("persons", a.persons);
    if (!a.households.empty()) run.input("households", a.households);
    links = read_linkage(a.persons, a.households);
  }

  FamiliesOptions opts;
  opts.n_threads = a.threads;
  opts.rejects_dir = a.rejects;
  opts.progress = progress_for(a.quiet);
  const FamiliesResult r = assess_families(fw, a.data, links, *as_of, opts);
  std::size_t read = 0, rejected = 0;
  for (const auto& s : r.load.streams) {
    if (s.file.empty()) continue;
    run.input("extract:" + s.stream, s.file);
    read += s.rows_read;
    rejected += s.rows_rejected;
  }
  run.set_rows(static_cast<double>(read), static_cast<double>(read - rejected), static_cast<double>(rejected));
  if (!a.quiet) fmt::print(stderr, "{}", r.load.to_text());
  if (rejected > 0 && a.rejects.empty()) {
    run.warning("tf: ", fmt::format("{} rows rejected by the schema were not used (--rejects DIR writes them with their reasons)",
                            rejected));
  }

  write_families(a.output, a.members, r, fw);
  fmt::print("{}\n", r.load.reconciliation());
  return r.load.reconciled() ? exit_ok : exit_internal;
}

}  // namespace

void register_tf(CLI::App& app) {
  auto args = std::make_shared<TfArgs>();
  auto* cmd = app.add_subcommand(
      "tf",
      "Troubled Families (or a later framework's) criteria on a date from linked extracts: per family which "
      "criteria are met and the records evidencing each, eligibility, attendance distance travelled and distance "
      "to 90%, and near misses. Without --persons the extracts are linked first and the persons and households "
      "are written to persons.csv beside the output.");
  folder_option(cmd->add_option("--data", args->data, "Folder of extracts, one <stream>.csv per stream"));
  cmd->add_option("--as-of", args->as_of, "Date (YYYY-MM-DD): only records dated before it are used");
  not_standard_stream(cmd->add_option("--persons", args->persons,
                                      "persons CSV with households (earlyhelp link --data DIR --households FILE "
                                      "--as-of DATE)"),
                      "the persons file, read twice (the persons, then the households it may hold)");
  cmd->add_option("--households", args->households,
                  "households CSV (person_id, household_id, role) when --persons has none");
  cmd->add_option("--framework", args->framework,
                  "Framework JSON (default: the six Troubled Families headline problems; '-': standard input)");
  writes_file(cmd->add_option("--output", args->output, "families CSV to write ('-': standard output)"));
  writes_file(cmd->add_option("--members", args->members, "members CSV to write (family_id, person_id, role; '-': standard output)"));
  folder_option(cmd->add_option("--rejects", args->rejects, "Write each stream's rejected rows to DIR/<stream>.rejects.csv"));
  cmd->add_option("--threads", args->threads, "Threads (default: all cores)");
  cmd->add_flag("--quiet", args->quiet, "Only the summary line and warnings");
  add_common_options(*cmd, {"earlyhelp tf --data council --persons persons.csv --as-of 2024-03-31 --output families.csv "
                            "--members members.csv"});
  cmd->callback([args] { set_exit_code(run_guarded("tf", [&] { return run_tf(*args); })); });
}

}  // namespace earlyhelp::cli
