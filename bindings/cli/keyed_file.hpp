// SPDX-License-Identifier: Apache-2.0
#pragma once
// What `pseudonymise` and `encode` share: the options of a keyed pass over one CSV and its exit code.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace earlyhelp::cli {

/// Arguments of a keyed pass over one CSV.
struct KeyedFileArgs {
  std::string key_file, stream, schema, input, output, rejects;
  char delimiter = ',';
  bool strict = false;
};

/// Adds --key-file, --schema, --input, --output, --rejects, --delimiter and --strict (the verb adds
/// --stream with its own help, before these).
void add_keyed_file_options(CLI::App& cmd, KeyedFileArgs& a);

/// The exit code of a finished pass: exit_internal when the rows do not reconcile, exit_failure
/// for rejected rows under --strict, else exit_ok.
int keyed_file_exit(std::size_t read, std::size_t written, std::size_t rejected, bool strict) noexcept;

}  // namespace earlyhelp::cli
