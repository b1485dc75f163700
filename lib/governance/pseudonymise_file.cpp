// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/governance/pseudonymise_file.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
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
  io::CsvOptions options;
  options.delimiter = delimiter;
  options.validate_utf8 = false;  // bytes are copied as they are; only whole fields are hashed
  auto reader = io::CsvReader::open(input, options);
  const auto& header = reader.header();
  if (header.empty()) {
    earlyhelp::detail::throw_error<FormatError>("pseudonymise: {} has no header row{}", reader.name(),
                                                reader.empty_input() ? " (the file is empty)" : "");
  }
  const std::vector<const PseudonymColumn*> at = plan.positions(header, reader.name(), reader.format_hint());
  PseudonymiseCounts counts;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (at[i] != nullptr) counts.columns.push_back(header[i]);

  auto out = io::CsvWriter::open(output, delimiter);
  std::optional<io::CsvWriter> rej;
  if (!rejects.empty()) {
    rej.emplace(io::CsvWriter::open(rejects));
    rej->write_row({"row", "line", "reason"});
  }
  out.write_row(header);
  io::CsvRecord rec;
  while (reader.next(rec)) {
    ++counts.rows_read;
    std::string reason;
    if (rec.size() != header.size()) {
      reason = fmt::format("{} fields where the header has {}", rec.size(), header.size());
    } else if (rec.issue != io::CsvIssue::none) {
      reason = fmt::format("column {} ({}): {}", rec.issue_field + 1,
                           rec.issue_field < header.size() ? header[rec.issue_field] : std::string("?"),
                           io::to_string(rec.issue));
    }
    if (!reason.empty()) {
      if (!rej) {
        earlyhelp::detail::throw_error<FormatError>("pseudonymise: {}: row {} (line {}): {} (give --rejects to set "
                                                    "such rows aside)",
                                                    reader.name(), rec.row, rec.line, reason);
      }
      rej->write_row({std::to_string(rec.row), std::to_string(rec.line), reason});
      ++counts.rows_rejected;
      continue;
    }
    for (std::size_t i = 0; i < rec.size(); ++i) {
      if (at[i] == nullptr) {
        out.field(rec[i]);
        continue;
      }
      const std::string v = plan.cell(p, *at[i], rec[i]);
      if (v.empty() && !rec[i].empty()) {
        ++counts.cells_emptied;
      } else if (v != rec[i]) {
        ++counts.cells_pseudonymised;
      }
      out.field(v);
    }
    out.end_row();
    ++counts.rows_written;
  }
  // Both files are finished only when both are written: a failure leaves neither.
  out.close();
  if (rej) rej->close();
  return counts;
}

}  // namespace earlyhelp::governance
