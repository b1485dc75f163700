// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the verbs of the earlyhelp command-line tool. Each verb lives in its own file and
// registers itself with one `register_<verb>(CLI::App&)` function listed in main.cpp.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/governance/audit.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::cli {

/// Exit codes of every verb (documented in the README, `earlyhelp --help` and every verb's --help:
/// exit_codes_help()).
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,      ///< the run finished but found a problem (e.g. rejected rows with --strict)
  exit_usage = 2,        ///< bad command line or invalid argument
  exit_input = 3,        ///< unreadable or malformed input (earlyhelp::FormatError, IOError, SchemaError)
  exit_internal = 4,     ///< an unexpected internal error
};

/// What a verb records about its run for the audit trail (see governance/audit.hpp).
struct Run {
  governance::AuditRecord record;
  std::vector<std::pair<std::string, std::string>> inputs;   ///< hashed when the record is written
  std::vector<std::pair<std::string, std::string>> outputs;  ///< hashed when the record is written
  /// An input file. Never pass personal data as a role or parameter.
  void input(std::string role, const std::string& path);
  /// An output file (hashed when the verb finishes).
  void output(std::string role, const std::string& path);
  /// A file the step already described as its bytes passed (io::IngestResult::files): the
  /// audit record takes its SHA-256 and size instead of reading the file again. Its role and
  /// path must match an input() or output().
  void described(governance::AuditFile file);
  std::vector<governance::AuditFile> described_files;
  void param(std::string name, std::string value);
  void count(std::string name, double value);

  /// Rows in, out and rejected (in == out + rejected when the step reconciles), for --json.
  struct Rows {
    double in = 0, out = 0, rejected = 0;
  };
  std::optional<Rows> rows;
  /// Warnings of the run (never record values), for --json.
  std::vector<std::string> warnings;
  /// Seconds per stage (filled by the progress of progress_for(): from a
  /// stage's first announcement to its last completion; a stage timed again replaces its time).
  std::vector<std::pair<std::string, double>> timings;
  /// A JSON text the verb's result already is (savings), embedded in --json as "result".
  std::string result_json;
  void set_rows(double in, double out, double rejected) { rows = Rows{in, out, rejected}; }
  /// Records a warning and prints it on stderr after `shown_as` ("link: warning: ").
  void warning(std::string_view shown_as, std::string text);
  void timing(std::string_view stage, double seconds);
};

/// While alive and `active`, what the verb prints to stdout (counts, reports, summaries) goes to
/// stderr instead: an output written to "-" owns standard output, and a line of counts in the
/// middle of a CSV would corrupt it. (glibc lets `stdout` be reassigned; io::OutputFile writes
/// "-" to file descriptor 1 directly.)
class MessagesToStderr {
 public:
  explicit MessagesToStderr(bool active);
  ~MessagesToStderr();
  MessagesToStderr(const MessagesToStderr&) = delete;
  MessagesToStderr& operator=(const MessagesToStderr&) = delete;

 private:
  std::FILE* saved_;
};

/// The options every verb shares, added to `cmd`, and its --help footer: the worked examples
/// (command lines, each shown after "  $ ") and the exit codes. The options:
///   --json      one JSON object on stdout summarising the run (verb, status, exit code, inputs,
///               outputs, rows in/out/rejected, counts, warnings, timings, audit record id); all
///               the verb would print on stdout goes to stderr. Refused (exit 2) with an output
///               file `-`, which owns stdout.
///   --progress  stage progress on stderr even when stderr is not a terminal.
void add_common_options(CLI::App& cmd, std::initializer_list<std::string_view> examples);

/// Marks a file option the verb writes (`-` = standard output): --json refuses it as `-`.
/// @return `option`, so calls chain.
CLI::Option* writes_file(CLI::Option* option);

/// Marks an option whose value cannot be `-` (standard input or output), `why` saying what it
/// names instead ("a folder", "a SQLite database, opened and updated in place"): its help gains
/// "(not '-': <why>)" and run_guarded refuses `-` for it (exit 2, naming the option) before the
/// verb reads anything. @return `option`, so calls chain.
CLI::Option* not_standard_stream(CLI::Option* option, std::string_view why);

/// not_standard_stream(option, "a folder"): the options naming folders (--data, --out DIR, ...).
CLI::Option* folder_option(CLI::Option* option);

/// @throws InvalidArgument (exit 2) when an option marked by not_standard_stream() is `-`.
void check_standard_streams(std::string_view verb);

/// The exit codes, as the help texts list them.
std::string exit_codes_help();

/// Whether this invocation prints a --json summary.
bool json_summary();

/// @throws InvalidArgument (exit 2) when --json is given and an option marked by writes_file()
/// is `-`: the summary and the data would share stdout.
void check_json_outputs(std::string_view verb);

/// The progress of a long step of the running verb: stage lines on stderr when stderr is a
/// terminal and neither --quiet (`quiet`) nor --json is given, or always with --progress; in
/// every case each stage's seconds go to the run's timings (--json). Call within run_guarded.
Progress progress_for(bool quiet);

/// Prints the --json summary of `run` to `out` (summary.cpp). `audit_id` is empty when no audit
/// record was written.
void print_summary(std::FILE* out, const Run& run, int exit_code, const std::string& error,
                   const std::string& audit_id, double seconds);

/// The run of the verb currently executing. @throws StateError outside run_guarded.
Run& current_run();

/// Runs a verb body: maps earlyhelp exceptions to a message on stderr and an exit code, and
/// (when `audited`) appends the run's audit record to the audit log, whatever the outcome.
int run_guarded(std::string_view verb, const std::function<int()>& body, bool audited = true);

/// Checks a whole-number option against [lo, hi] with a readable message ("expected a whole
/// number from 1 to 50000000, got '-5'"). CLI11's own checks print the type's full range (300
/// digits for a double) and read "-5" into an unsigned option as 18446744073709551611; every
/// unsigned option of every verb goes through this instead.
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi);

/// A file named `name` in the folder of `output` (where tf and profile write the persons file when
/// they link the extracts themselves); `name` itself when the output is standard output.
std::string beside(const std::string& output, const std::string& name);

/// Runs `<python> -m <module> <args...>` as a child process and waits: the interpreter is
/// $EARLYHELP_PYTHON, else the one the build was configured with; the build tree's Python package
/// goes first on PYTHONPATH. @return the child's exit status (exit_internal if a signal ended it)
/// @throws Error when the interpreter cannot be started.
int run_python_module(const std::string& module, std::vector<std::string> args);

/// The whole of a file `path`, or of standard input for "-" (read once: a second "-" is refused).
/// @throws IOError "<verb>: cannot read '<path>'"; InvalidArgument for standard input twice.
std::string read_whole_file(const std::string& path, std::string_view verb);

/// @throws InvalidArgument when more than one of `inputs` is "-": a process has one standard input.
void check_one_standard_input(std::string_view verb, std::initializer_list<std::pair<std::string_view, std::string_view>> inputs);
/// As above, for a list built at run time (options given several times).
void check_one_standard_input(std::string_view verb,
                              const std::vector<std::pair<std::string_view, std::string_view>>& inputs);

/// How a file argument is named in messages: "<standard input>" for "-", else the path.
std::string input_name(const std::string& path);

/// The schema at `path` ("-": standard input), or the built-in catalogue for "" and "builtin".
schema::Schema load_schema(const std::string& path, std::string_view verb);

/// Runs `parse` over a file's contents (settings, a model JSON, an intervention): what the library
/// reports about them as InvalidArgument (not JSON, an unknown key) is a malformed input file,
/// exit 3 as for a schema, not a bad command line, so it is rethrown as FormatError.
template <class F>
decltype(auto) parse_input_file(F&& parse) {
  try {
    return std::forward<F>(parse)();
  } catch (const SchemaError&) {
    throw;  // exit 3 already
  } catch (const InvalidArgument& e) {
    throw FormatError(e.what());
  }
}

/// The stream --stream names. @throws InvalidArgument (exit 2: a bad command line, not a bad
/// schema file) when the schema has no such stream, with the library's message listing them.
const schema::Stream& stream_arg(const schema::Schema& schema, const std::string& name);

/// The bytes of a bundle's HMAC key file ("" for no file, so unsigned bundles are accepted).
/// @throws IOError "<verb>: cannot open '<path>'".
std::string read_bundle_key(const std::string& path, std::string_view verb);

/// Adds the global --audit-log FILE and --no-audit options.
void add_audit_options(CLI::App& app);
/// The audit log this invocation writes to ("" if none can be determined).
std::string audit_log_path();
/// Whether this run writes an audit record (not with --no-audit, nor without a path for the log).
bool writes_audit_record();

// Verb registration. Each adds a subcommand whose callback sets the process exit code through
// set_exit_code().
void set_exit_code(int code);
int exit_code();
void register_version(CLI::App& app);
void register_audit(CLI::App& app);
void register_keygen(CLI::App& app);
void register_pseudonymise(CLI::App& app);
void register_encode(CLI::App& app);
void register_demo(CLI::App& app);
void register_schema(CLI::App& app);
void register_synth(CLI::App& app);
void register_validate(CLI::App& app);
void register_score(CLI::App& app);
void register_model(CLI::App& app);
/// `model card`, under the `model` subcommand.
void register_model_card(CLI::App& model);
void register_link(CLI::App& app);
void register_features(CLI::App& app);
void register_tf(CLI::App& app);
void register_forecast(CLI::App& app);
void register_savings(CLI::App& app);
void register_engagement(CLI::App& app);
void register_profile(CLI::App& app);
/// `report`: runs the Python module earlyhelp.report in a child process.
void register_report(CLI::App& app);

}  // namespace earlyhelp::cli
