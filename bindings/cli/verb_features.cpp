// SPDX-License-Identifier: Apache-2.0
// `earlyhelp features`: linked extracts -> person or family features as of one or more dates.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/features/table.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <chrono>
#include <sys/resource.h>
#include <memory>

namespace earlyhelp::cli {

namespace {

struct FeaturesArgs {
  std::string data, persons, households, as_of, definitions, schema, level = "person", output, rejects;
  int threads = 0;
  bool list = false, markdown = false, quiet = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds this process has used (all threads), which a busy shared machine does not inflate.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int run_features(const FeaturesArgs& a) {
  using namespace earlyhelp::features;
  auto& run = current_run();
  check_one_standard_input("features", {{"--persons", a.persons}, {"--households", a.households},
                                       {"--definitions", a.definitions}, {"--schema", a.schema}});
  const schema::Schema sch = load_schema(a.schema, "features");
  if (!a.schema.empty()) run.input("schema", a.schema);
  const FeatureSet set = !a.definitions.empty()
                             ? FeatureSet::from_json(read_whole_file(a.definitions, "features"), sch, input_name(a.definitions))
                         : a.schema.empty() ? FeatureSet::builtin()
                                            : FeatureSet::from_json(FeatureSet::builtin_json(), sch, "built-in definitions");
  if (!a.definitions.empty()) run.input("definitions", a.definitions);
  if (a.list) {
    fmt::print("{}", a.markdown ? set.to_markdown() : set.to_text());
    return exit_ok;
  }
  EH_CHECK(!a.data.empty(), "features: --data DIR is required (or --list)");
  EH_CHECK(!a.persons.empty(), "features: --persons FILE is required (earlyhelp link --data DIR --output FILE)");
  EH_CHECK(!a.as_of.empty(), "features: --as-of DATE[,DATE...] is required");
  EH_CHECK(!a.output.empty(), "features: --output FILE is required");
  const Level level = parse_level(a.level);
  const std::vector<Date> dates = parse_as_of(a.as_of);
  EH_CHECK(level == Level::person || !a.households.empty(),
           "features: --level family needs --households FILE (earlyhelp link --households FILE --as-of DATE)");
  const MessagesToStderr messages(a.output == "-");  // the features CSV owns stdout
  run.param("data", a.data);
  run.param("as_of", a.as_of);
  run.param("level", a.level);
  run.param("definitions", a.definitions.empty() ? "built-in" : a.definitions);

  const auto t0 = std::chrono::steady_clock::now();
  run.input("persons", a.persons);
  Linkage links = read_persons_csv(a.persons, sch);
  if (!a.households.empty()) {
    run.input("households", a.households);
    read_households_csv(links, a.households);
  }
  const Progress progress = progress_for(a.quiet);
  LoadOptions lo;
  lo.n_threads = a.threads;
  lo.progress = progress;
  lo.rejects_dir = a.rejects;
  LoadReport report;
  const EventStore store = load_events(set, a.data, links, lo, &report);
  links = Linkage(sch);  // the record index is not needed any more
  const double read_s = seconds_since(t0);
  std::size_t read = 0, rejected = 0, unlinked = 0;
  for (const auto& s : report.streams) {
    if (s.file.empty()) continue;
    run.input("extract:" + s.stream, s.file);
    if (!s.rejects_file.empty()) run.output("rejects:" + s.stream, s.rejects_file);
    read += s.rows_read;
    rejected += s.rows_rejected;
    unlinked += s.rows_unlinked;
    if (!s.reconciled()) throw Error(fmt::format("features: {}: rows do not reconcile", s.stream));
  }
  if (!a.quiet) fmt::print(stderr, "{}", report.to_text());
  if (rejected > 0 && a.rejects.empty()) {
    run.warning("features: ", fmt::format("{} rows rejected by the schema were not used (--rejects DIR writes them with their "
                            "reasons, as validate does)",
                            rejected));
  }
  if (level == Level::person && set.has_family_features() && a.households.empty()) {
    run.warning("features: ", "no --households: the family features are missing (NaN)");
  }

  const auto t1 = std::chrono::steady_clock::now();
  const double cpu1 = cpu_seconds();
  FeatureCsvWriter writer(a.output, level, set.column_names(level), a.threads);
  double write_s = 0;
  ComputeOptions co;
  co.n_threads = a.threads;
  co.progress = progress;
  compute_blocks(set, store, dates, level, [&](const FeatureBlock& b) {
    const auto tw = std::chrono::steady_clock::now();
    writer.write(b, store);
    write_s += seconds_since(tw);
  }, co);
  const auto tc = std::chrono::steady_clock::now();
  writer.close();
  write_s += seconds_since(tc);
  const double compute_s = seconds_since(t1) - write_s;
  run.output("features", a.output);
  run.count("rows_read", static_cast<double>(read));
  run.count("rows_rejected", static_cast<double>(rejected));
  run.count("rows_unlinked", static_cast<double>(unlinked));
  run.count("persons", static_cast<double>(store.n_persons()));
  run.count("households", static_cast<double>(store.household_ids.size()));
  run.count("rows_written", static_cast<double>(writer.rows()));
  run.set_rows(static_cast<double>(read), static_cast<double>(read - rejected), static_cast<double>(rejected));
  fmt::print("rows {} columns {} dates {} seconds {:.2f} (read {:.2f} compute {:.2f} write {:.2f}; compute and write "
             "used {:.2f} s of CPU)\n",
             writer.rows(), set.column_names(level).size(), dates.size(), seconds_since(t0), read_s, compute_s, write_s,
             cpu_seconds() - cpu1);
  fmt::print("{}\n", report.reconciliation());
  return report.reconciled() ? exit_ok : exit_internal;
}

}  // namespace

void register_features(CLI::App& app) {
  auto args = std::make_shared<FeaturesArgs>();
  auto* cmd = app.add_subcommand(
      "features",
      "Derive features as of one or more dates from linked extracts: one row per person (or family) and date, "
      "float features by the definitions (built-in: the four risk domains and the Troubled Families criteria). "
      "Only records dated before each date are used; rows the schema rejects are counted and never used.");
  folder_option(cmd->add_option("--data", args->data, "Folder of extracts, one <stream>.csv per stream"));
  cmd->add_option("--persons", args->persons,
                  "persons CSV from earlyhelp link (source, record_id, person_id; '-': standard input)");
  cmd->add_option("--households", args->households,
                  "households CSV from earlyhelp link --households (person_id, household_id, role; '-': standard input)");
  cmd->add_option("--as-of", args->as_of, "Date(s): YYYY-MM-DD, or several separated by commas");
  cmd->add_option("--definitions", args->definitions, "Feature definitions JSON (default: the built-in set; '-': standard input)");
  cmd->add_option("--schema", args->schema, "Schema JSON (default: the built-in catalogue; '-': standard input)");
  cmd->add_option("--level", args->level, "person or family")->capture_default_str();
  writes_file(cmd->add_option("--output", args->output,
                              "features CSV to write (person_id or family_id, as_of, features; '-': standard output)"));
  folder_option(cmd->add_option("--rejects", args->rejects, "Write each stream's rejected rows to DIR/<stream>.rejects.csv"));
  cmd->add_option("--threads", args->threads, "Threads (default: all cores)");
  cmd->add_flag("--list", args->list, "Print the definitions (name, level, kind, description) and exit");
  cmd->add_flag("--markdown", args->markdown, "With --list: a Markdown table with the domains");
  cmd->add_flag("--quiet", args->quiet, "Only the summary line and warnings");
  add_common_options(*cmd, {"earlyhelp features --data council --persons persons.csv --households households.csv "
                            "--as-of 2024-03-31,2024-09-30 --output features.csv",
                            "earlyhelp features --list --markdown"});
  cmd->callback([args] { set_exit_code(run_guarded("features", [&] { return run_features(*args); }, !args->list)); });
}

}  // namespace earlyhelp::cli
