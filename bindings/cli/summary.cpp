// SPDX-License-Identifier: Apache-2.0
// The --json summary of a run: one JSON object on stdout that an ETL job parses
// instead of the human-readable lines. Paths, counts, parameters and warnings
// only: the library's warnings and the audit record never hold record values,
// and neither does this.

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "cli.hpp"

namespace earlyhelp::cli {
namespace {
nlohmann::ordered_json json_files(const std::vector<std::pair<std::string, std::string>> &list) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto &[role, path] : list) out.push_back({{"role", role}, {"path", path}});
  return out;
}

// Counts are doubles in the audit record; whole numbers are written as
// integers.
nlohmann::ordered_json json_number(double x) {
  if (!std::isfinite(x)) return nullptr;
  if (x == std::floor(x) && std::fabs(x) < 9.0e15) return static_cast<std::int64_t>(x);
  return x;
}
}  // namespace

void print_summary(std::FILE *out, const Run &run, int exit_code, const std::string &error, const std::string &audit_id,
                   double seconds) {
  nlohmann::ordered_json j;
  j["verb"] = run.record.action;
  j["status"] = !error.empty() ? "error" : exit_code == exit_ok ? "ok" : "failed";
  j["exit_code"] = exit_code;
  if (!error.empty()) j["error"] = error;
  j["inputs"] = json_files(run.inputs);
  j["outputs"] = json_files(run.outputs);
  if (run.rows) {
    j["rows"] = {{"in", json_number(run.rows->in)},
                 {"out", json_number(run.rows->out)},
                 {"rejected", json_number(run.rows->rejected)}};
  } else {
    j["rows"] = nullptr;
  }
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto &[name, value] : run.record.counts) counts[name] = json_number(value);
  j["counts"] = counts;
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const auto &[name, value] : run.record.parameters) params[name] = value;
  j["parameters"] = params;
  j["warnings"] = run.warnings;
  nlohmann::ordered_json stages = nlohmann::ordered_json::object();
  for (const auto &[stage, s] : run.timings) stages[stage] = s;
  j["timings"] = {{"total_seconds", seconds}, {"stages", stages}};
  j["audit_record_id"] = audit_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(audit_id);
  if (!run.result_json.empty()) j["result"] = nlohmann::ordered_json::parse(run.result_json, nullptr, false);
  const std::string text = j.dump() + "\n";
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

}  // namespace earlyhelp::cli
