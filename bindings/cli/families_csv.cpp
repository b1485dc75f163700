// SPDX-License-Identifier: Apache-2.0
// The families and members CSV files of `earlyhelp tf` and `earlyhelp profile --families`
// (families_csv.hpp).
#include "families_csv.hpp"

#include "cli.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <cmath>

namespace earlyhelp::cli {

namespace {

std::string number(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

}  // namespace

profiling::Framework framework_arg(const std::string& path, std::string_view verb) {
  if (path.empty()) return profiling::Framework::builtin();
  const profiling::Framework fw =
      profiling::Framework::from_json(read_whole_file(path, verb), schema::Schema::builtin(), input_name(path));
  current_run().input("framework", path);
  return fw;
}

void write_families(const std::string& families, const std::string& members, const profiling::FamiliesResult& r,
                    const profiling::Framework& framework) {
  using profiling::FamilyAssessment;
  auto& run = current_run();
  const auto target = static_cast<int>(std::lround(framework.attendance().target * 100));
  io::CsvWriter out = io::CsvWriter::open(families);
  std::vector<std::string> header{"family_id", "criteria_met", "eligible"};
  for (const auto& c : r.criteria) header.push_back(c);
  for (std::string h : {std::string("attendance_distance_travelled"), fmt::format("attendance_distance_to_{}", target),
                        std::string("evidence"), std::string("near_miss")})
    header.push_back(std::move(h));
  out.write_row(header);
  std::size_t eligible = 0, near = 0;
  std::vector<std::string> row;
  for (std::size_t i = 0; i < r.families.size(); ++i) {
    const FamilyAssessment& f = r.families[i];
    row = {f.family_id, std::to_string(f.criteria_met), f.eligible ? "1" : "0"};
    for (char m : f.met) row.emplace_back(m ? "1" : "0");
    row.push_back(number(f.attendance_distance_travelled));
    row.push_back(number(f.attendance_distance_to_target));
    row.push_back(r.evidence_text(i));
    row.emplace_back(f.near_miss ? "1" : "0");
    out.write_row(row);
    eligible += f.eligible;
    near += f.near_miss;
  }
  out.close();
  run.output("families", families);
  if (!members.empty()) {
    io::CsvWriter m = io::CsvWriter::open(members);
    m.write_row(std::vector<std::string>{"family_id", "person_id", "role"});
    for (const auto& x : r.members) m.write_row(std::vector<std::string>{x.family_id, x.person_id, x.role});
    m.close();
    run.output("members", members);
  }
  run.count("families", static_cast<double>(r.families.size()));
  run.count("eligible", static_cast<double>(eligible));
  run.count("near_miss", static_cast<double>(near));
  fmt::print("families {} eligible {} near_miss {} members {} framework {} (at least {} of {} criteria)\n",
             r.families.size(), eligible, near, r.members.size(), framework.name(), framework.min_criteria(),
             r.criteria.size());
}

}  // namespace earlyhelp::cli
