// SPDX-License-Identifier: Apache-2.0
// Running a verb: error mapping, exit codes and the audit record of the run.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/version.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <optional>

namespace earlyhelp::cli {
namespace {
int exit_code_ = exit_ok;
Run* current_ = nullptr;
std::string audit_log_option;
bool no_audit = false;

std::string default_audit_log() {
  if (const char* env = std::getenv("EARLYHELP_AUDIT_LOG"); env != nullptr && *env != '\0') return env;
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg != '\0')
    base = xdg;
  else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    base = std::filesystem::path(home) / ".local" / "state";
  else
    return {};
  return (base / "earlyhelp" / "audit.jsonl").string();
}

// @return whether the record was written.
bool write_audit(Run& run) {
  if (no_audit) return false;
  const std::string path = audit_log_path();
  if (path.empty()) return false;
  try {
    run.record.finished_utc = governance::utc_now();
    // Files are hashed only when the record is written, so --no-audit costs nothing; one file
    // per core (an extract and its clean copy are hundreds of MB each). A file the step hashed
    // as its bytes passed (Run::described) is not read again.
    std::vector<std::pair<std::string, std::string>> files = run.inputs;
    files.insert(files.end(), run.outputs.begin(), run.outputs.end());
    std::vector<governance::AuditFile> described(files.size());
    parallel_for(files.size(), 0, [&](std::size_t i) {
      for (const auto& known : run.described_files)
        if (known.role == files[i].first && known.path == files[i].second && !known.sha256.empty()) {
          described[i] = known;
          return;
        }
      described[i] = governance::describe_file(files[i].first, files[i].second);
    });
    run.record.files.insert(run.record.files.end(), described.begin(), described.end());
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    governance::append_audit_record(path, run.record);
    return true;
  } catch (const std::exception& e) {
    // The run's own result stands; say loudly that it is not in the audit trail.
    fmt::print(stderr, "earlyhelp {}: warning: could not write the audit record to '{}': {}\n",
               run.record.action, path, e.what());
    return false;
  }
}
}  // namespace

MessagesToStderr::MessagesToStderr(bool active) : saved_(stdout) {
  if (!active) return;
  std::fflush(stdout);
  stdout = stderr;
}

MessagesToStderr::~MessagesToStderr() {
  std::fflush(stdout);
  stdout = saved_;
}

CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        std::uint64_t v = 0;
        const char* first = text.data();
        const char* last = first + text.size();
        const auto [end, ec] = std::from_chars(first, last, v);
        // from_chars takes no sign: "-5", "+5", "5.0", "5x" and "" all stop short.
        if (ec == std::errc() && end == last && v >= lo && v <= hi) return {};
        return fmt::format("expected a whole number from {} to {}, got '{}'", lo, hi, text);
      },
      fmt::format("UINT:{}..{}", lo, hi));
}

void set_exit_code(int code) { exit_code_ = code; }
int exit_code() { return exit_code_; }

void add_audit_options(CLI::App& app) {
  not_standard_stream(app.add_option("--audit-log", audit_log_option,
                                     "Append this run's audit record to FILE (default: $EARLYHELP_AUDIT_LOG, else "
                                     "$XDG_STATE_HOME/earlyhelp/audit.jsonl or ~/.local/state/earlyhelp/audit.jsonl)"),
                      "the audit log, appended to in place and read back by audit verify")
      ->type_name("FILE");
  app.add_flag("--no-audit", no_audit, "Do not write an audit record for this run");
}

std::string beside(const std::string& output, const std::string& name) {
  if (output == "-") return name;
  return (std::filesystem::path(output).parent_path() / name).string();
}

std::string read_whole_file(const std::string& path, std::string_view verb) {
  if (path == "-") {
    static bool stdin_read = false;  // one process, one standard input
    EH_CHECK(!stdin_read, "{}: only one file can be read from standard input ('-')", verb);
    stdin_read = true;
    std::string text;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) text.append(buffer, n);
    if (std::ferror(stdin)) earlyhelp::detail::throw_error<IOError>("{}: cannot read standard input", verb);
    return text;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) earlyhelp::detail::throw_error<IOError>("{}: cannot open '{}'", verb, path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string input_name(const std::string& path) { return path == "-" ? std::string("<standard input>") : path; }

schema::Schema load_schema(const std::string& path, std::string_view verb) {
  if (path.empty() || path == "builtin") return schema::Schema::builtin();
  if (path != "-") return schema::Schema::from_file(path);
  return schema::Schema::from_json(read_whole_file(path, verb), input_name(path));
}

const schema::Stream& stream_arg(const schema::Schema& schema, const std::string& name) {
  if (const schema::Stream* s = schema.find(name)) return *s;
  try {
    return schema.stream(name);  // throws SchemaError with the list of streams
  } catch (const SchemaError& e) {
    throw InvalidArgument(fmt::format("--stream: {}", e.what()));
  }
}

std::string read_bundle_key(const std::string& path, std::string_view verb) {
  if (path.empty()) return {};
  return read_whole_file(path, verb);
}

std::string audit_log_path() {
  // "-" is refused before the verb runs (check_standard_streams): no record goes to a file named "-".
  if (audit_log_option == "-") return {};
  return audit_log_option.empty() ? default_audit_log() : audit_log_option;
}

bool writes_audit_record() { return !no_audit && !audit_log_path().empty(); }

void Run::input(std::string role, const std::string& path) { inputs.emplace_back(std::move(role), path); }
void Run::output(std::string role, const std::string& path) { outputs.emplace_back(std::move(role), path); }
void Run::described(governance::AuditFile file) { described_files.push_back(std::move(file)); }
void Run::param(std::string name, std::string value) { record.parameters.emplace_back(std::move(name), std::move(value)); }
void Run::count(std::string name, double value) { record.counts.emplace_back(std::move(name), value); }
void Run::warning(std::string_view shown_as, std::string text) {
  fmt::print(stderr, "{}{}\n", shown_as, text);
  warnings.push_back(std::move(text));
}
void Run::timing(std::string_view stage, double seconds) {
  for (auto& [name, s] : timings)
    if (name == stage) return void(s = seconds);
  timings.emplace_back(std::string(stage), seconds);
}

Run& current_run() {
  if (current_ == nullptr) throw StateError("current_run: no verb is running");
  return *current_;
}

int run_guarded(std::string_view verb, const std::function<int()>& body, bool audited) {
  Run run;
  run.record.run_id = governance::new_run_id();
  run.record.started_utc = governance::utc_now();
  run.record.tool = fmt::format("earlyhelp {}", earlyhelp::version());
  std::tie(run.record.user, run.record.host) = governance::current_user_and_host();
  run.record.action = std::string(verb);
  current_ = &run;
  int rc = exit_internal;
  std::string error;
  const auto t0 = std::chrono::steady_clock::now();
  // With --json, stdout carries the summary alone: what the verb prints goes to stderr.
  std::optional<MessagesToStderr> messages;
  if (json_summary()) messages.emplace(true);
  try {
    check_json_outputs(verb);
    check_standard_streams(verb);
    rc = body();
  } catch (const earlyhelp::SchemaError& e) {
    error = fmt::format("schema error: {}", e.what());
    rc = exit_input;
  } catch (const earlyhelp::InvalidArgument& e) {
    error = fmt::format("invalid argument: {}", e.what());
    rc = exit_usage;
  } catch (const earlyhelp::FormatError& e) {
    error = fmt::format("malformed input: {}", e.what());
    rc = exit_input;
  } catch (const earlyhelp::IOError& e) {
    error = e.what();
    rc = exit_input;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    rc = exit_internal;
  } catch (const std::exception& e) {
    error = fmt::format("error: {}", e.what());
    rc = exit_internal;
  }
  current_ = nullptr;
  messages.reset();
  if (!error.empty()) fmt::print(stderr, "earlyhelp {}: {}\n", verb, error);
  run.record.status = error.empty() ? (rc == exit_ok ? "ok" : fmt::format("exit {}", rc)) : "error: " + error;
  const bool audit_written = audited && write_audit(run);
  if (json_summary()) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    print_summary(stdout, run, rc, error, audit_written ? run.record.run_id : std::string(), seconds);
  }
  return rc;
}

}  // namespace earlyhelp::cli
