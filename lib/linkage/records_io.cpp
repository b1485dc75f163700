// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/records_io.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace earlyhelp::linkage {

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_canonical(std::string_view c) {
  const auto& cols = canonical_columns();
  return std::find(cols.begin(), cols.end(), c) != cols.end();
}

}  // namespace

ColumnMap parse_column_map(std::string_view text) {
  ColumnMap out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view entry = trim(text.substr(pos, comma - pos));
    pos = comma + 1;
    if (entry.empty()) continue;
    const std::size_t eq = entry.find('=');
    EH_CHECK(eq != std::string_view::npos && eq > 0 && eq + 1 < entry.size(),
             "--map: entry '{}' is not their_column=our_column", entry);
    const std::string ours(trim(entry.substr(eq + 1)));
    EH_CHECK(is_canonical(ours), "--map: '{}' is not a canonical column (expected one of record_id, source, "
             "first_name, middle_name, surname, dob, sex, address, town, postcode, uprn, nhs_number)", ours);
    out.emplace_back(std::string(trim(entry.substr(0, eq))), ours);
  }
  return out;
}

std::vector<Record> read_records_csv(const std::string& path, const ColumnMap& map) {
  io::CsvReader reader = io::CsvReader::open(path);
  std::vector<Record> out;
  if (reader.empty_input()) return out;
  const auto& header = reader.header();
  // target[c] = canonical column of input column c ("" = ignored).
  std::vector<std::string> target(header.size());
  bool has_id = false;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string name(trim(header[c]));
    for (const auto& [theirs, ours] : map)
      if (theirs == name) target[c] = ours;
    if (target[c].empty() && is_canonical(name)) target[c] = name;
    has_id = has_id || target[c] == "record_id";
  }
  for (const auto& [theirs, ours] : map)
    EH_CHECK(std::any_of(header.begin(), header.end(), [&](const std::string& h) { return trim(h) == theirs; }),
             "{}: --map names column '{}', which the header does not have", path, theirs);
  EH_CHECK(has_id, "{}: no record_id column (map one with --map their_id=record_id)", path);
  io::CsvRecord rec;
  while (reader.next(rec)) {
    if (rec.size() != header.size())
      throw FormatError(fmt::format("{}: row {} has {} fields, the header has {}", path, rec.row, rec.size(),
                                    header.size()));
    Record r;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (target[c].empty()) continue;
      const std::string_view v = trim(rec[c]);
      if (v.empty()) continue;
      // Several input columns onto one canonical column are joined in file order.
      std::string* const fields[] = {&r.record_id, &r.source,  &r.first_name, &r.middle_name,
                                     &r.surname,   &r.dob,     &r.sex,        &r.address,
                                     &r.town,      &r.postcode, &r.uprn,      &r.nhs_number};
      const auto& cols = canonical_columns();
      const auto idx = static_cast<std::size_t>(std::find(cols.begin(), cols.end(), target[c]) - cols.begin());
      std::string& dst = *fields[idx];
      if (!dst.empty()) dst += ' ';
      dst += v;
    }
    if (r.record_id.empty())
      throw FormatError(fmt::format("{}: row {}: record_id is empty", path, rec.row));
    out.push_back(std::move(r));
  }
  return out;
}

void write_assignment_csv(const std::string& path, const std::vector<std::string>& record_ids,
                          const std::string& column, const std::vector<std::string>& values) {
  EH_CHECK(record_ids.size() == values.size(), "write_assignment_csv: {} record ids but {} values",
           record_ids.size(), values.size());
  io::CsvWriter w = io::CsvWriter::open(path);
  w.write_row({std::string_view("record_id"), std::string_view(column)});
  for (std::size_t i = 0; i < record_ids.size(); ++i) w.write_row({record_ids[i], values[i]});
  w.close();
}

}  // namespace earlyhelp::linkage
