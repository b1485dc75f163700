// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/governance/pseudonymise_file.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "governance/csv_pass.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

namespace earlyhelp::governance {
namespace {

bool holds(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool planned(const std::vector<PseudonymColumn>& columns, std::string_view name) {
  return std::any_of(columns.begin(), columns.end(), [&](const PseudonymColumn& c) { return c.column == name; });
}

}  // namespace

PseudonymPlan PseudonymPlan::for_stream(const schema::Stream& stream) {
  PseudonymPlan plan;
  for (const auto& f : stream.fields) {
    const bool exact_key = f.link_key == "nhs_number" || f.link_key == "upn" || f.link_key == "uprn";
    if (!exact_key && f.identifier_role != schema::IdentifierRole::pseudonymised_key) continue;
    plan.columns.push_back({f.name, exact_key ? f.link_key : f.name, f.required, !exact_key});
  }
  for (const auto& m : stream.missing_values)
    if (!holds(plan.missing_values, m)) plan.missing_values.push_back(m);
  return plan;
}

PseudonymPlan PseudonymPlan::for_columns(const std::vector<std::string>& columns) {
  EH_CHECK(!columns.empty(), "pseudonymise: no columns named");
  PseudonymPlan plan;
  for (const auto& c : columns) {
    EH_CHECK(!c.empty(), "pseudonymise: an empty column name in the column list");
    EH_CHECK(!planned(plan.columns, c), "pseudonymise: column '{}' is named twice", c);
    plan.columns.push_back({c, c, true, false});
  }
  return plan;
}

void PseudonymPlan::merge(const PseudonymPlan& other) {
  for (const auto& c : other.columns)
    if (!planned(columns, c.column)) columns.push_back(c);
  for (const auto& m : other.missing_values)
    if (!holds(missing_values, m)) missing_values.push_back(m);
}

std::vector<const PseudonymColumn*> PseudonymPlan::positions(const std::vector<std::string>& header,
                                                             std::string_view source, std::string_view hint) const {
  std::vector<const PseudonymColumn*> at(header.size(), nullptr);
  for (const auto& c : columns) {
    bool found = false;
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] != c.column) continue;
      at[i] = &c;
      found = true;
    }
    EH_CHECK(found || !c.required, "pseudonymise: {} has no column '{}' to pseudonymise (its columns: {}){}{}",
             source, c.column, fmt::join(header, ", "), hint.empty() ? "" : "; ", hint);
  }
  return at;
}

std::string PseudonymPlan::cell(const Pseudonymiser& p, const PseudonymColumn& column, std::string_view value) const {
  const std::string_view t = trim_blanks(value);
  if (holds(missing_values, t)) return std::string(value);
  const std::string normalised = column.verbatim ? std::string(t) : normalise_for_pseudonym(column.domain, t);
  // A value that normalises to nothing (an NHS number of punctuation) is no identifier: it stays
  // missing rather than becoming the pseudonym every such value would share.
  return normalised.empty() ? std::string() : p.pseudonymise(column.domain, normalised);
}

PseudonymiseCounts pseudonymise_csv(const Pseudonymiser& p, const PseudonymPlan& plan, const std::string& input,
                                    const std::string& output, const std::string& rejects, char delimiter) {
  PseudonymiseCounts counts;
  std::vector<const PseudonymColumn*> at;
  const auto plan_header = [&](const std::vector<std::string>& header, const std::string& source,
                               std::string_view hint) {
    at = plan.positions(header, source, hint);
    for (std::size_t i = 0; i < header.size(); ++i)
      if (at[i] != nullptr) counts.columns.push_back(header[i]);
  };
  const auto rewrite = [&](std::size_t i, std::string_view value, std::string& out) {
    if (at[i] == nullptr) return false;
    out = plan.cell(p, *at[i], value);
    detail::count_hashed(value, out, counts.cells_pseudonymised, counts.cells_emptied);
    return true;
  };
  const detail::CsvPass pass = detail::rewrite_csv("pseudonymise", input, output, rejects, delimiter, plan_header, rewrite);
  counts.rows_read = pass.rows_read;
  counts.rows_written = pass.rows_written;
  counts.rows_rejected = pass.rows_rejected;
  return counts;
}

}  // namespace earlyhelp::governance
