// SPDX-License-Identifier: Apache-2.0
// `earlyhelp report`: one self-contained HTML page (plots embedded as PNG, no network) of a
// council's run on a date: data quality, linkage, scores, alerts, evaluation and fairness. The page
// is drawn by the Python module earlyhelp.report (matplotlib), which composes the library's own
// calls; this verb runs `<python> -m earlyhelp.report ...` as a child process and waits for it
// (run_python_module), so the audit record still names the inputs and hashes the page.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

namespace earlyhelp::cli {

namespace {

struct ReportArgs {
  std::string data, as_of, bundle, out, persons, households, history, domains;
  int threads = 0;
};

}  // namespace

void register_report(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand(
      "report",
      "One self-contained HTML page (plots embedded, no network) of a run on a date: each stream's data quality, "
      "linkage statistics, alert counts, and per domain the score distributions by group and, when the outcome is "
      "known, ROC, precision-at-k and calibration curves with the fairness table. Aggregates only: no identifier "
      "or other personal data appears in the page. Scores are advisory. Needs Python 3 with numpy, pandas and "
      "matplotlib (EARLYHELP_PYTHON names the interpreter).");
  folder_option(cmd->add_option("--data", a->data, "Folder of extracts, one <stream>.csv per stream"))->required();
  cmd->add_option("--as-of", a->as_of, "Date (YYYY-MM-DD): only records dated before it are used")->required();
  const char* by_name = "read by name by the report's Python process";
  not_standard_stream(cmd->add_option("--bundle", a->bundle,
                                      "A model bundle (.ehm) used for the domain it names instead of the reference "
                                      "bundle"),
                      by_name);
  writes_file(cmd->add_option("--out", a->out, "The HTML page to write ('-': standard output)"))->required();
  not_standard_stream(cmd->add_option("--persons", a->persons,
                                      "persons CSV from `earlyhelp link` (default: link the extracts first, in a "
                                      "temporary folder)"),
                      by_name);
  not_standard_stream(cmd->add_option("--households", a->households,
                                      "households CSV (person_id, household_id, role) when --persons has none"),
                      by_name);
  cmd->add_option("--domains", a->domains,
                  "Comma-separated domains (safeguarding, homelessness, asb, debt, or domain JSON files; "
                  "default: all four)");
  not_standard_stream(cmd->add_option("--history", a->history,
                                      "SQLite assessment history for the alerts (created if absent; the run is "
                                      "recorded)"),
                      "a SQLite database, opened and updated in place");
  cmd->add_option("--threads", a->threads, "Threads (default: all cores)")->check(whole_number(0, 65536));
  add_common_options(*cmd, {"earlyhelp report --data council --as-of 2024-03-31 --history history.sqlite --out "
                            "report.html"});
  cmd->callback([a] {
    set_exit_code(run_guarded("report", [&] {
      io::check_distinct_files("report",
                               {{"--bundle", a->bundle}, {"--persons", a->persons}, {"--households", a->households},
                                {"--history", a->history}},
                               {{"--out", a->out}});
      auto& run = current_run();
      run.param("data", a->data);
      run.param("as_of", a->as_of);
      std::vector<std::string> argv;
      for (const std::string& arg : {std::string("--data"), a->data, std::string("--as-of"), a->as_of,
                                     std::string("--out"), a->out, std::string("--threads"),
                                     std::to_string(a->threads)})
        argv.push_back(arg);
      const std::pair<const char*, std::string*> optional[] = {
          {"--bundle", &a->bundle}, {"--persons", &a->persons}, {"--households", &a->households},
          {"--history", &a->history}, {"--domains", &a->domains}};
      for (const auto& [flag, value] : optional) {
        if (value->empty()) continue;
        argv.emplace_back(flag);
        argv.push_back(*value);
        if (value == &a->domains)
          run.param("domains", *value);
        else
          run.input(flag + 2, *value);
      }
      const int rc = run_python_module("earlyhelp.report", std::move(argv));
      if (rc == exit_ok) run.output("report", a->out);
      return rc >= exit_ok && rc <= exit_internal ? rc : exit_internal;
    }));
  });
}

}  // namespace earlyhelp::cli
