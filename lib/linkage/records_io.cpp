// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/records_io.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

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

Extracts read_extracts(const std::string& dir, const schema::Schema& schema) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw IOError(fmt::format("link --data: '{}' is not a readable folder", dir));
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path());
  if (ec) throw IOError(fmt::format("link --data: cannot list '{}'", dir));
  std::sort(files.begin(), files.end());
  Extracts out;
  for (const fs::path& file : files) {
    const std::string stem = file.stem().string();
    const schema::Stream* stream = schema.find(stem);
    if (stream == nullptr) {
      out.notes.push_back(fmt::format("{}: not a stream of the schema, skipped", file.filename().string()));
      continue;
    }
    io::CsvReader reader = io::CsvReader::open(file.string());
    if (reader.empty_input()) {
      out.notes.push_back(fmt::format("{}: empty", file.filename().string()));
      continue;
    }
    const auto& header = reader.header();
    std::vector<std::string> target(header.size());
    std::size_t id_col = header.size();
    for (std::size_t c = 0; c < header.size(); ++c) {
      const schema::Field* f = stream->find(trim(header[c]));
      if (f == nullptr) continue;
      if (f->name == stream->record_id_field || f->link_key == "record_id") {
        if (id_col == header.size()) id_col = c;
        continue;
      }
      if (f->link_key == "upn") continue;
      target[c] = f->link_key;
    }
    EH_CHECK(id_col < header.size(), "{}: no '{}' column (the stream's record id)", file.string(),
             stream->record_id_field);
    io::CsvRecord rec;
    std::size_t n = 0;
    while (reader.next(rec)) {
      if (rec.size() != header.size())
        throw FormatError(fmt::format("{}: row {} has {} fields, the header has {}", file.string(), rec.row,
                                      rec.size(), header.size()));
      const std::string_view id = trim(rec[id_col]);
      if (id.empty()) throw FormatError(fmt::format("{}: row {}: the record id is empty", file.string(), rec.row));
      Record r;
      r.record_id = stem + ":" + std::string(id);
      r.source = stem;
      for (std::size_t c = 0; c < header.size(); ++c) {
        if (target[c].empty()) continue;
        const std::string_view v = trim(rec[c]);
        if (v.empty() || stream->is_missing_value(v)) continue;
        // Join repeated targets (address lines) in file order.
        std::string* dst = nullptr;
        if (target[c] == "address") dst = &r.address;
        else if (target[c] == "first_name") dst = &r.first_name;
        else if (target[c] == "middle_name") dst = &r.middle_name;
        else if (target[c] == "surname") dst = &r.surname;
        else if (target[c] == "dob") dst = &r.dob;
        else if (target[c] == "sex") dst = &r.sex;
        else if (target[c] == "town") dst = &r.town;
        else if (target[c] == "postcode") dst = &r.postcode;
        else if (target[c] == "uprn") dst = &r.uprn;
        else if (target[c] == "nhs_number") dst = &r.nhs_number;
        if (dst == nullptr) continue;
        if (!dst->empty()) *dst += ' ';
        *dst += v;
      }
      out.records.push_back(std::move(r));
      out.stream.push_back(stem);
      out.local_id.emplace_back(id);
      ++n;
    }
    out.notes.push_back(fmt::format("{}: {} records", stem, n));
  }
  EH_CHECK(!out.records.empty() || std::any_of(files.begin(), files.end(), [&](const fs::path& f) {
             return schema.find(f.stem().string()) != nullptr;
           }),
           "link --data: '{}' holds no extract named after a stream of the schema (<stream>.csv)", dir);
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
