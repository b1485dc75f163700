// SPDX-License-Identifier: Apache-2.0
// What every verb shares beyond running (run.cpp): --json and --progress, the
// --help footer with worked examples and the exit codes, the output options
// --json must refuse as `-`, and the progress lines on stderr.

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"

namespace earlyhelp::cli {
namespace {
bool json_ = false;
bool progress_forced_ = false;
std::vector<const CLI::Option *> written_files_;
std::vector<std::pair<const CLI::Option *, std::string>> not_streams_;  // option, what it names
}  // namespace

std::string exit_codes_help() {
  return fmt::format(
      "Exit codes: {} success; {} the run finished but found a problem (rows "
      "rejected with --strict); {} bad "
      "command line or invalid argument; {} unreadable or malformed input "
      "(file, CSV, schema, bundle); {} internal "
      "error (counts that do not reconcile, a failed thread or child process).",
      int{exit_ok}, int{exit_failure}, int{exit_usage}, int{exit_input}, int{exit_internal});
}

void add_common_options(CLI::App &cmd, std::initializer_list<std::string_view> examples) {
  cmd.add_flag("--json", json_,
               "Print one JSON object summarising the run on stdout (verb, "
               "status, exit_code, inputs, outputs, rows "
               "in/out/rejected, counts, warnings, timings, audit_record_id); "
               "what the verb prints otherwise goes to "
               "stderr. Not with an output '-'");
  cmd.add_flag("--progress", progress_forced_,
               "Print progress on stderr even when it is not a terminal (by "
               "default only on a terminal, and never "
               "with --quiet or --json)");
  std::string footer = examples.size() == 1 ? "Example:\n" : "Examples:\n";
  for (const auto &e : examples) footer += fmt::format("  $ {}\n", e);
  cmd.footer(footer + "\n" + exit_codes_help());
}

CLI::Option *writes_file(CLI::Option *option) {
  written_files_.push_back(option);
  return option;
}

bool json_summary() {
  return json_;
}

void check_json_outputs(std::string_view verb) {
  if (!json_) return;
  for (const CLI::Option *o : written_files_) {
    if (o->count() == 0) continue;  // not given, or an option of another verb
    for (const auto &value : o->results())
      EH_CHECK(value != "-",
               "{}: --json prints the run's summary on standard output, and {} "
               "- would write data there too: "
               "give {} a file, or leave out --json",
               verb, o->get_name(), o->get_name());
  }
}

CLI::Option *not_standard_stream(CLI::Option *option, std::string_view why) {
  option->description(fmt::format("{} (not '-': {})", option->get_description(), why));
  not_streams_.emplace_back(option, std::string(why));
  return option;
}

CLI::Option *folder_option(CLI::Option *option) { return not_standard_stream(option, "a folder"); }

void check_standard_streams(std::string_view verb) {
  for (const auto &entry : not_streams_) {
    const CLI::Option *o = entry.first;
    if (o->count() == 0) continue;  // not given, or an option of another verb
    for (const auto &value : o->results())
      EH_CHECK(value != "-",
               "{}: {} cannot be '-': standard input or output stands for one file read or written once, and {} "
               "names {}; give a path",
               verb, o->get_name(), o->get_name(), entry.second);
  }
}

void check_one_standard_input(std::string_view verb,
                              std::initializer_list<std::pair<std::string_view, std::string_view>> inputs) {
  check_one_standard_input(verb, std::vector<std::pair<std::string_view, std::string_view>>(inputs));
}

void check_one_standard_input(std::string_view verb,
                              const std::vector<std::pair<std::string_view, std::string_view>> &inputs) {
  std::string_view first;
  for (const auto &[option, path] : inputs) {
    if (path != "-") continue;
    EH_CHECK(first.empty(), "{}: {} and {} both read standard input ('-'); only one can", verb, first, option);
    first = option;
  }
}

Progress progress_for(bool quiet) {
  struct State {
    std::string verb;
    bool print = false, terminal = false;
    std::string last_stage;  // the step drawn last
    std::uint64_t last_done = 0, last_total = 0;
    std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> started;
  };
  auto st = std::make_shared<State>();
  st->verb = current_run().record.action;
  st->terminal = ::isatty(STDERR_FILENO) == 1;
  st->print = progress_forced_ || (st->terminal && !quiet && !json_);
  return Progress([st](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    const auto now = std::chrono::steady_clock::now();
    // A stage runs from its first announcement to its last report of
    // completion (link's predict reaches its total once per blocking rule).
    if (done == 0) st->started.emplace(std::string(stage), now);
    if (done >= total) {
      const auto it = st->started.find(stage);
      if (it != st->started.end()) current_run().timing(stage, std::chrono::duration<double>(now - it->second).count());
    }
    // link's predict reports its total once per blocking rule: a repeated step is drawn once.
    if (!st->print || (stage == st->last_stage && done == st->last_done && total == st->last_total)) return;
    st->last_stage = std::string(stage), st->last_done = done, st->last_total = total;
    const double pct = total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total);
    // On a terminal one line per stage, redrawn in place; elsewhere
    // (--progress into a log) a line per step.
    const bool last = done >= total;
    fmt::print(stderr, "{}{}: {} {}/{} ({:.0f}%){}", st->terminal ? "\r" : "", st->verb, stage, done, total, pct,
               st->terminal && !last ? "" : "\n");
    std::fflush(stderr);
  });
}

}  // namespace earlyhelp::cli
