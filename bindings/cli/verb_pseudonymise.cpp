// SPDX-License-Identifier: Apache-2.0
// `earlyhelp pseudonymise`: replace a CSV's identifier columns with keyed pseudonyms before the
// extract leaves the data owner.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/pseudonymise_file.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "keyed_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>

namespace earlyhelp::cli {

namespace {
struct PseudonymiseArgs : KeyedFileArgs {
  std::vector<std::string> columns;
};

int run_pseudonymise(const PseudonymiseArgs& a) {
  EH_CHECK(!a.stream.empty() || !a.columns.empty(),
           "pseudonymise: say which columns: --stream NAME (its identifier fields) and/or --columns a,b,...");
  // Before anything is read or written: no output may be an input or another output.
  check_one_standard_input("pseudonymise", {{"--input", a.input}, {"--schema", a.schema}, {"--key-file", a.key_file}});
  io::check_distinct_files("pseudonymise", {{"--input", a.input}, {"--key-file", a.key_file}, {"--schema", a.schema}},
                           {{"--output", a.output}, {"--rejects", a.rejects}});
  const MessagesToStderr messages(a.output == "-" || a.rejects == "-");
  const governance::Pseudonymiser p(governance::PseudonymKey::from_file(a.key_file));
  governance::PseudonymPlan plan;
  if (!a.stream.empty()) {
    const schema::Schema sch = load_schema(a.schema, "pseudonymise");
    plan.merge(governance::PseudonymPlan::for_stream(stream_arg(sch, a.stream)));
  }
  if (!a.columns.empty()) plan.merge(governance::PseudonymPlan::for_columns(a.columns));
  auto& run = current_run();
  run.record.key_fingerprint = p.key_fingerprint();  // the fingerprint, never the key
  if (!a.stream.empty()) run.param("stream", a.stream);
  run.input("input", a.input);
  if (!a.schema.empty()) run.input("schema", a.schema);
  const auto c = governance::pseudonymise_csv(p, plan, a.input, a.output, a.rejects, a.delimiter);
  run.param("columns", fmt::format("{}", fmt::join(c.columns, ",")));
  run.output("output", a.output);
  if (!a.rejects.empty()) run.output("rejects", a.rejects);
  run.count("rows_read", static_cast<double>(c.rows_read));
  run.count("rows_written", static_cast<double>(c.rows_written));
  run.count("rows_rejected", static_cast<double>(c.rows_rejected));
  run.count("cells_pseudonymised", static_cast<double>(c.cells_pseudonymised));
  run.count("cells_emptied", static_cast<double>(c.cells_emptied));
  run.set_rows(static_cast<double>(c.rows_read), static_cast<double>(c.rows_written), static_cast<double>(c.rows_rejected));
  // Counts and column names only: values never reach the terminal.
  fmt::print("read {} written {} rejected {} ({}); pseudonymised {} cells in {} (key {})\n", c.rows_read,
             c.rows_written, c.rows_rejected,
             c.rows_read == c.rows_written + c.rows_rejected ? "reconciled" : "NOT RECONCILED",
             c.cells_pseudonymised, c.columns.empty() ? std::string("no column") : fmt::format("{}", fmt::join(c.columns, ", ")),
             p.key_fingerprint());
  if (c.cells_emptied > 0) {
    run.warning("warning: ", fmt::format("{} identifier cells held no letter or digit and were written empty (missing), as the "
                            "linker reads them",
                            c.cells_emptied));
  }
  return keyed_file_exit(c.rows_read, c.rows_written, c.rows_rejected, a.strict);
}
}  // namespace

void register_pseudonymise(CLI::App& app) {
  auto args = std::make_shared<PseudonymiseArgs>();
  auto* cmd = app.add_subcommand(
      "pseudonymise",
      "Replace identifier columns of a CSV with keyed pseudonyms (HMAC-SHA256), normalised as the linker "
      "reads them: --stream pseudonymises the stream's exactly-matched identifiers (NHS number, UPN, UPRN, "
      "record ids and references); names, dates of birth and addresses stay in clear for fuzzy matching. "
      "Every other cell is copied unchanged; missing stays missing. Exit 2 for a bad or short key, 3 for "
      "an unreadable file; 0 with rejected rows unless --strict (then 1).");
  cmd->add_option("--stream", args->stream, "stream whose identifier fields to pseudonymise, e.g. health");
  cmd->add_option("--columns", args->columns, "columns to pseudonymise in any CSV (a,b,...)")->delimiter(',');
  add_keyed_file_options(*cmd, *args);
  add_common_options(*cmd, {"earlyhelp pseudonymise --key-file council.key --stream health --input health.csv "
                            "--output health.pseudo.csv --rejects health.rejects.csv",
                            "extract_health | earlyhelp pseudonymise --key-file council.key --stream health --input - "
                            "--output - | upload"});
  cmd->callback([args] { set_exit_code(run_guarded("pseudonymise", [args] { return run_pseudonymise(*args); })); });
}

}  // namespace earlyhelp::cli
