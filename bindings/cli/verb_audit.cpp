// SPDX-License-Identifier: Apache-2.0
// `earlyhelp audit verify|show`: check and read the tamper-evident audit trail.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/audit.hpp"

#include <fmt/format.h>

#include <deque>
#include <fstream>
#include <memory>

namespace earlyhelp::cli {

void register_audit(CLI::App& app) {
  auto* cmd = app.add_subcommand("audit", "Check or show the audit trail of earlier runs");
  cmd->require_subcommand(1);

  auto* verify = cmd->add_subcommand(
      "verify", "Check that no audit record was edited, removed or reordered (hash chain)");
  add_common_options(*verify, {"earlyhelp audit verify --audit-log /var/log/earlyhelp/audit.jsonl"});
  verify->callback([] {
    set_exit_code(run_guarded("audit verify", [] {
      const std::string path = audit_log_path();
      EH_CHECK(!path.empty(), "audit verify: no audit log: give --audit-log FILE");
      const auto v = governance::verify_audit_log(path);
      current_run().input("audit_log", path);
      current_run().param("result", v.message);
      fmt::print("{}\n", v.message);
      return v.ok ? exit_ok : exit_failure;
    }, /*audited=*/false));
  });

  auto* show = cmd->add_subcommand("show", "Print the last audit records (JSON lines)");
  auto last = std::make_shared<std::size_t>(10);  // lives as long as the callback
  show->add_option("-n,--last", *last, "How many records to print")
      ->capture_default_str()
      ->check(whole_number(0, 1000000000));
  add_common_options(*show, {"earlyhelp audit show --last 5"});
  show->callback([last] {
    set_exit_code(run_guarded("audit show", [last] {
      const std::string path = audit_log_path();
      EH_CHECK(!path.empty(), "audit show: no audit log: give --audit-log FILE");
      std::ifstream in(path, std::ios::binary);
      if (!in) throw IOError(fmt::format("audit show: cannot open audit log '{}'", path));
      std::deque<std::string> lines;
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        lines.push_back(std::move(line));
        if (lines.size() > *last) lines.pop_front();
      }
      for (const auto& l : lines) fmt::print("{}\n", l);
      current_run().input("audit_log", path);
      current_run().count("records", static_cast<double>(lines.size()));
      return exit_ok;
    }, /*audited=*/false));
  });
}

}  // namespace earlyhelp::cli
