// SPDX-License-Identifier: Apache-2.0
#include "model_csv.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>

namespace earlyhelp::cli {

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses a whole cell (trimmed) as a finite-or-infinite double, NaN when missing; nullopt when it
// is not a number.
std::optional<double> parse_number(std::string_view cell, const std::vector<std::string>& missing_values) {
  const std::string_view s = trim(cell);
  if (s.empty() || s == "NaN" || s == "nan" ||
      std::find(missing_values.begin(), missing_values.end(), s) != missing_values.end())
    return std::numeric_limits<double>::quiet_NaN();
  const std::string tmp(s);  // strtod needs a terminated string
  char* end = nullptr;
  const double v = std::strtod(tmp.c_str(), &end);
  if (end == tmp.c_str() || *end != '\0') return std::nullopt;
  return v;
}

}  // namespace

std::vector<std::string> conventional_missing_values() {
  std::vector<std::string> out;
  for (const auto& stream : schema::Schema::builtin().streams)
    for (const auto& m : stream.missing_values)
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  return out;
}

NumericTable read_numeric_csv(const std::string& path, const std::vector<std::string>& columns,
                              const std::vector<std::string>& keep, bool collect_rejects,
                              const std::vector<std::string>& missing_values, char delimiter) {
  using earlyhelp::detail::throw_error;
  io::CsvOptions options;
  options.delimiter = delimiter;
  auto reader = io::CsvReader::open(path, options);
  if (reader.empty_input()) throw_error<FormatError>("score: {}: empty file", reader.name());
  NumericTable t;
  t.header = reader.header();
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < t.header.size(); ++i) at.emplace(t.header[i], i);
  auto index_of = [&](const std::string& name) {
    const auto it = at.find(name);
    if (it == at.end()) {
      const std::string hint = reader.format_hint();
      throw_error<FormatError>("score: {}: no column '{}' in the header{}{}", reader.name(), name,
                               hint.empty() ? "" : "; ", hint);
    }
    return it->second;
  };
  std::vector<std::size_t> num_idx, keep_idx;
  for (const auto& c : columns) num_idx.push_back(index_of(c));
  for (const auto& c : keep) keep_idx.push_back(index_of(c));
  t.text.resize(keep.size());

  std::vector<double> values, row_values(columns.size());
  io::CsvRecord rec;
  while (reader.next(rec)) {
    ++t.rows_read;
    // The fault of this row, if any: (field index or npos, reason).
    std::optional<std::pair<std::size_t, std::string>> fault;
    if (rec.size() != t.header.size()) {
      fault.emplace(std::string::npos,
                    fmt::format("row has {} fields, header has {}", rec.size(), t.header.size()));
    } else if (rec.issue != io::CsvIssue::none) {
      fault.emplace(rec.issue_field, std::string(io::to_string(rec.issue)));
    } else {
      for (std::size_t j = 0; j < num_idx.size() && !fault; ++j) {
        const auto v = parse_number(rec[num_idx[j]], missing_values);
        if (v) {
          row_values[j] = *v;
        } else {
          fault.emplace(num_idx[j], "expected a number or a missing value (empty, NA, NULL, ...)");
        }
      }
    }
    if (fault) {
      const auto [field, reason] = *fault;
      if (!collect_rejects) {
        if (field == std::string::npos) {
          throw_error<FormatError>("score: {}: row {} (line {}): {}", reader.name(), rec.row, rec.line, reason);
        }
        throw_error<FormatError>("score: {}: {}", reader.location(rec, field), reason);
      }
      RejectedRow r;
      r.row = rec.row;
      r.line = rec.line;
      if (field != std::string::npos && field < t.header.size()) r.column = t.header[field];
      r.reason = reason;
      for (const auto k : keep_idx) r.kept.emplace_back(k < rec.size() ? rec[k] : std::string_view());
      t.rejects.push_back(std::move(r));
      continue;
    }
    values.insert(values.end(), row_values.begin(), row_values.end());
    for (std::size_t j = 0; j < keep_idx.size(); ++j) t.text[j].emplace_back(rec[keep_idx[j]]);
  }
  const auto n = to_index(values.size() / std::max<std::size_t>(1, columns.size()));
  t.values = Eigen::Map<const RowMatrixXd>(values.data(), n, to_index(columns.size()));
  return t;
}

}  // namespace earlyhelp::cli
