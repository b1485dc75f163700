// SPDX-License-Identifier: Apache-2.0
// `earlyhelp encode`: replace a CSV's names, dates of birth and addresses with keyed Bloom-filter
// encodings (and its identifiers with keyed pseudonyms) before the extract leaves the data owner,
// so that `earlyhelp link` links it without seeing a name.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/bloom_encoding.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "keyed_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <optional>

namespace earlyhelp::cli {

namespace {
using EncodeArgs = KeyedFileArgs;

std::string listed(const std::vector<std::string>& columns) {
  return columns.empty() ? std::string("no column") : fmt::format("{}", fmt::join(columns, ", "));
}

int run_encode(const EncodeArgs& a) {
  // Before anything is read or written: no output may be an input or another output.
  check_one_standard_input("encode", {{"--input", a.input}, {"--schema", a.schema}, {"--key-file", a.key_file}});
  io::check_distinct_files("encode", {{"--input", a.input}, {"--key-file", a.key_file}, {"--schema", a.schema}},
                           {{"--output", a.output}, {"--rejects", a.rejects}});
  const MessagesToStderr messages(a.output == "-" || a.rejects == "-");
  const governance::PseudonymKey key = governance::PseudonymKey::from_file(a.key_file);
  std::optional<governance::EncodePlan> plan;
  if (!a.stream.empty()) {
    const schema::Schema sch = load_schema(a.schema, "encode");
    plan = governance::EncodePlan::for_stream(stream_arg(sch, a.stream));
  }
  auto& run = current_run();
  run.record.key_fingerprint = key.fingerprint();  // the fingerprint, never the key
  run.param("stream", a.stream.empty() ? std::string("canonical columns") : a.stream);
  run.input("input", a.input);
  if (!a.schema.empty()) run.input("schema", a.schema);
  const auto c = governance::encode_csv(key, plan ? &*plan : nullptr, a.input, a.output, a.rejects, a.delimiter);
  run.param("encoded_columns", fmt::format("{}", fmt::join(c.encoded_columns, ",")));
  run.param("pseudonymised_columns", fmt::format("{}", fmt::join(c.pseudonymised_columns, ",")));
  run.output("output", a.output);
  if (!a.rejects.empty()) run.output("rejects", a.rejects);
  run.count("rows_read", static_cast<double>(c.rows_read));
  run.count("rows_written", static_cast<double>(c.rows_written));
  run.count("rows_rejected", static_cast<double>(c.rows_rejected));
  run.count("cells_encoded", static_cast<double>(c.cells_encoded));
  run.count("cells_pseudonymised", static_cast<double>(c.cells_pseudonymised));
  run.count("cells_emptied", static_cast<double>(c.cells_emptied));
  run.set_rows(static_cast<double>(c.rows_read), static_cast<double>(c.rows_written), static_cast<double>(c.rows_rejected));
  // Counts and column names only: values never reach the terminal.
  fmt::print("read {} written {} rejected {} ({}); encoded {} cells in {}; pseudonymised {} cells in {} (key {})\n",
             c.rows_read, c.rows_written, c.rows_rejected,
             c.rows_read == c.rows_written + c.rows_rejected ? "reconciled" : "NOT RECONCILED", c.cells_encoded,
             listed(c.encoded_columns), c.cells_pseudonymised, listed(c.pseudonymised_columns), key.fingerprint());
  if (c.cells_emptied > 0) {
    run.warning("warning: ", fmt::format("{} cells held no value the linker can read (an unreadable date, no letter or digit) and "
                            "were written empty (missing)",
                            c.cells_emptied));
  }
  return keyed_file_exit(c.rows_read, c.rows_written, c.rows_rejected, a.strict);
}
}  // namespace

void register_encode(CLI::App& app) {
  auto args = std::make_shared<EncodeArgs>();
  auto* cmd = app.add_subcommand(
      "encode",
      "Privacy-preserving record linkage: replace names, dates of birth and addresses of a CSV with keyed "
      "Bloom-filter encodings of their q-grams (cells 'bf1:' + 128 hex digits; HMAC-SHA256 positions, "
      "XOR-folded) and its exactly-matched identifiers with keyed pseudonyms, as `pseudonymise` does. "
      "`earlyhelp link` compares encodings by Dice similarity without the key. --stream encodes a schema "
      "stream's fields; without it the file's canonical linkage columns (first_name, surname, dob, address, "
      "town, postcode; nhs_number and uprn pseudonymised). Missing stays missing. Exit 2 for a bad or short "
      "key, 3 for an unreadable file; 0 with rejected rows unless --strict (then 1).");
  cmd->add_option("--stream", args->stream, "stream whose fields to encode, e.g. health (default: canonical columns)");
  add_keyed_file_options(*cmd, *args);
  add_common_options(*cmd, {"earlyhelp encode --key-file council.key --input records.csv --output records.encoded.csv "
                            "--rejects records.rejects.csv",
                            "earlyhelp encode --key-file council.key --stream health --input - --output - < health.csv "
                            "> health.encoded.csv"});
  cmd->callback([args] { set_exit_code(run_guarded("encode", [args] { return run_encode(*args); })); });
}

}  // namespace earlyhelp::cli
