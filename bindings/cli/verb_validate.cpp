// SPDX-License-Identifier: Apache-2.0
// `earlyhelp validate`: check a stream extract against the schema; clean rows and rejects to
// two files, counts and the data-quality report to stdout.

#include "cli.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace earlyhelp::cli {

namespace {
struct ValidateArgs {
  std::string stream;
  std::string input;
  std::string output;
  std::string rejects;
  std::string schema;
  std::string report;
  std::size_t max_field_bytes = io::CsvOptions{}.max_field_bytes;
  char delimiter = ',';
  bool strict = false;
  bool quiet = false;
  int threads = 0;
};

int run_validate(const ValidateArgs& a) {
  check_one_standard_input("validate", {{"--input", a.input}, {"--schema", a.schema}});
  const schema::Schema sch = load_schema(a.schema, "validate");
  const schema::Stream& stream = stream_arg(sch, a.stream);
  io::CsvOptions options;
  options.max_field_bytes = a.max_field_bytes;
  options.max_record_bytes = std::max(options.max_record_bytes, a.max_field_bytes);  // a record holds its field
  options.delimiter = a.delimiter;
  // The audit record's digests are taken as the bytes pass (nothing is read twice; standard
  // input and output get one too).
  options.keep_digest = writes_audit_record();
  // Before anything is read or written: no output may be an input or another output.
  io::check_distinct_files("validate", {{"--input", a.input}, {"--schema", a.schema}},
                           {{"--output", a.output}, {"--rejects", a.rejects}, {"--report", a.report}});
  const MessagesToStderr messages(a.output == "-" || a.rejects == "-" || a.report == "-");
  auto& run = current_run();
  run.param("stream", a.stream);
  run.input("input", a.input);
  if (!a.schema.empty()) run.input("schema", a.schema);
  // validate_file reports stage "validate" in input bytes (0 of 1, 1 of 1 for a pipe).
  const io::IngestResult r =
      io::validate_file(stream, a.input, a.output, a.rejects, options, a.threads, progress_for(a.quiet));
  run.set_rows(static_cast<double>(r.rows_read), static_cast<double>(r.rows_clean), static_cast<double>(r.rows_rejected));
  run.output("output", a.output);
  run.output("rejects", a.rejects);
  for (const auto& f : r.files) run.described(f);
  run.count("rows_read", static_cast<double>(r.rows_read));
  run.count("rows_clean", static_cast<double>(r.rows_clean));
  run.count("rows_rejected", static_cast<double>(r.rows_rejected));
  if (!a.report.empty()) {
    io::write_output_file(a.report, r.report.to_json(2) + "\n");
    run.output("report", a.report);
  }
  // Counts first, on one line a script can parse; then the report (names and rates only: raw
  // values never reach the terminal, they stay in the rejects file).
  fmt::print("read {} clean {} rejected {} ({})\n", r.rows_read, r.rows_clean, r.rows_rejected,
             r.reconciled() ? "reconciled" : "NOT RECONCILED");
  if (!a.quiet) fmt::print("{}", r.report.to_text());
  if (!r.reconciled()) return exit_internal;
  return a.strict && r.rows_rejected > 0 ? exit_failure : exit_ok;
}
}  // namespace

void register_validate(CLI::App& app) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand("validate",
                                 "Check a stream's CSV extract against the schema: clean rows to --output, "
                                 "rejected rows (row, line, field, reason, raw fields) to --rejects, counts "
                                 "and a data-quality report to stdout. Exit 0 even with rejects unless "
                                 "--strict (then 1); 3 for an unreadable or malformed file.");
  cmd->add_option("--stream", args->stream, "Stream name, e.g. school_attendance")->required();
  cmd->add_option("--input", args->input, "Input CSV file ('-': standard input)")->required();
  writes_file(cmd->add_option("--output", args->output,
                              "Clean CSV to write (schema columns, normalised; '-': standard output, and the counts "
                              "and report go to stderr)"))
      ->required();
  writes_file(cmd->add_option("--rejects", args->rejects,
                              "Rejects CSV to write (a file other than --output and --input; '-': standard output)"))
      ->required();
  cmd->add_option("--schema", args->schema, "Schema JSON file (default: the built-in catalogue; '-': standard input)");
  writes_file(cmd->add_option("--report", args->report, "Also write the data-quality report as JSON here ('-': standard output)"));
  cmd->add_option("--max-field-bytes", args->max_field_bytes, "Longest field kept (up to 1 GiB); longer ones reject the row")
      ->check(whole_number(1, std::uint64_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--delimiter", args->delimiter, "Field delimiter")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores; never changes the output)")
      ->check(whole_number(0, 65536));
  cmd->add_flag("--strict", args->strict, "Exit 1 when any row is rejected");
  cmd->add_flag("--quiet", args->quiet, "Print only the counts line");
  add_common_options(*cmd, {"earlyhelp validate --stream school_attendance --input attendance.csv --output clean.csv "
                            "--rejects rejects.csv --report quality.json",
                            "earlyhelp validate --stream school_attendance --input - --output - --rejects rejects.csv "
                            "< attendance.csv > clean.csv"});
  cmd->callback([args] { set_exit_code(run_guarded("validate", [&] { return run_validate(*args); })); });
}

}  // namespace earlyhelp::cli
