// SPDX-License-Identifier: Apache-2.0
#include "keyed_file.hpp"

#include "cli.hpp"

namespace earlyhelp::cli {

void add_keyed_file_options(CLI::App& cmd, KeyedFileArgs& a) {
  cmd.add_option("--key-file", a.key_file, "secret key (from `earlyhelp keygen`; '-': standard input, e.g. from a secrets store)")
      ->required();
  cmd.add_option("--schema", a.schema, "schema JSON for --stream (default: the built-in catalogue; '-': standard input)");
  cmd.add_option("--input", a.input, "CSV to read ('-': standard input)")->required();
  writes_file(cmd.add_option("--output", a.output, "CSV to write ('-': standard output; counts then go to stderr)"))
      ->required();
  writes_file(cmd.add_option("--rejects", a.rejects,
                             "CSV of rows that cannot be copied (row, line, reason; no values; '-': standard output); "
                             "without it such a row is an error naming the file and row"));
  cmd.add_option("--delimiter", a.delimiter, "field delimiter of input and output")->capture_default_str();
  cmd.add_flag("--strict", a.strict, "exit 1 when any row is rejected");
}

int keyed_file_exit(std::size_t read, std::size_t written, std::size_t rejected, bool strict) noexcept {
  if (read != written + rejected) return exit_internal;
  return strict && rejected > 0 ? exit_failure : exit_ok;
}

}  // namespace earlyhelp::cli
