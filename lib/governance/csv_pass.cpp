// SPDX-License-Identifier: Apache-2.0
#include "governance/csv_pass.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <optional>

namespace earlyhelp::governance::detail {

CsvPass rewrite_csv(std::string_view verb, const std::string& input, const std::string& output,
                    const std::string& rejects, char delimiter, const PlanHeader& plan, const RewriteCell& cell) {
  io::CsvOptions options;
  options.delimiter = delimiter;
  options.validate_utf8 = false;  // bytes are copied as they are; only whole fields are rewritten
  auto reader = io::CsvReader::open(input, options);
  const auto& header = reader.header();
  if (header.empty()) {
    earlyhelp::detail::throw_error<FormatError>("{}: {} has no header row{}", verb, reader.name(),
                                                reader.empty_input() ? " (the file is empty)" : "");
  }
  plan(header, reader.name(), reader.format_hint());

  auto out = io::CsvWriter::open(output, delimiter);
  std::optional<io::CsvWriter> rej;
  if (!rejects.empty()) {
    rej.emplace(io::CsvWriter::open(rejects));
    rej->write_row({"row", "line", "reason"});
  }
  out.write_row(header);
  CsvPass pass;
  io::CsvRecord rec;
  std::string value;
  while (reader.next(rec)) {
    ++pass.rows_read;
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
        earlyhelp::detail::throw_error<FormatError>("{}: {}: row {} (line {}): {} (give --rejects to set such rows "
                                                    "aside)",
                                                    verb, reader.name(), rec.row, rec.line, reason);
      }
      rej->write_row({std::to_string(rec.row), std::to_string(rec.line), reason});
      ++pass.rows_rejected;
      continue;
    }
    for (std::size_t i = 0; i < rec.size(); ++i) {
      value.clear();
      out.field(cell(i, rec[i], value) ? std::string_view(value) : std::string_view(rec[i]));
    }
    out.end_row();
    ++pass.rows_written;
  }
  // Both files are finished only when both are written: a failure leaves neither.
  out.close();
  if (rej) rej->close();
  return pass;
}

}  // namespace earlyhelp::governance::detail
