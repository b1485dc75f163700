// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the verbs of the earlyhelp command-line tool. Each verb lives in its own file and
// registers itself with one `register_<verb>(CLI::App&)` function listed in main.cpp.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::cli {

/// Exit codes of every verb (documented in the README).
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,      ///< the run finished but found a problem (e.g. rejected rows with --strict)
  exit_usage = 2,        ///< bad command line or invalid argument
  exit_input = 3,        ///< unreadable or malformed input (earlyhelp::FormatError, IOError, SchemaError)
  exit_internal = 4,     ///< an unexpected internal error
};

/// Runs a verb body, mapping earlyhelp exceptions to messages on stderr and exit codes.
int run_guarded(std::string_view verb, const std::function<int()>& body);

// Verb registration. Each adds a subcommand whose callback sets the process exit code through
// set_exit_code().
void set_exit_code(int code);
int exit_code();
void register_version(CLI::App& app);
void register_score(CLI::App& app); void register_model(CLI::App& app);  // models

}  // namespace earlyhelp::cli
