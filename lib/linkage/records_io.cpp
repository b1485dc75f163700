// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/records_io.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <limits>

namespace earlyhelp::linkage {

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

constexpr std::size_t kIgnored = std::numeric_limits<std::size_t>::max();

bool is_canonical(std::string_view c) { return canonical_column_index(c) < canonical_columns().size(); }

// Appends a cell to the canonical field at `index`: several input columns onto one field (address
// lines, street number and street) are joined with a space, in file order.
void append_value(Record& r, std::size_t index, std::string_view v) {
  std::string& dst = *record_field(r, index);
  if (!dst.empty()) dst += ' ';
  dst += v;
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
    EH_CHECK(is_canonical(ours), "--map: '{}' is not a canonical column (expected one of {})", ours,
             fmt::join(canonical_columns(), ", "));
    out.emplace_back(std::string(trim(entry.substr(0, eq))), ours);
  }
  return out;
}

std::size_t for_each_records_batch(const std::string& path, const ColumnMap& map,
                                   const std::function<void(std::vector<Record>&)>& sink, std::size_t batch) {
  EH_CHECK(batch > 0, "for_each_records_batch: batch must be at least 1");
  io::CsvReader reader = io::CsvReader::open(path);
  std::size_t n = 0;
  if (reader.empty_input()) return n;
  std::vector<Record> out;
  const auto& header = reader.header();
  // target[c] = position in canonical_columns() of the field input column c feeds (kIgnored: none).
  std::vector<std::size_t> target(header.size(), kIgnored);
  const std::size_t record_id = canonical_column_index("record_id");
  bool has_id = false;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string_view name = trim(header[c]);
    for (const auto& [theirs, ours] : map)
      if (theirs == name) target[c] = canonical_column_index(ours);
    if (target[c] == kIgnored && is_canonical(name)) target[c] = canonical_column_index(name);
    has_id = has_id || target[c] == record_id;
  }
  for (const auto& mapped : map) {
    const auto& theirs = mapped.first;  // a named copy: clang 14 cannot capture a structured binding
    EH_CHECK(std::any_of(header.begin(), header.end(), [&](const std::string& h) { return trim(h) == theirs; }),
             "{}: --map names column '{}', which the header does not have", path, theirs);
  }
  EH_CHECK(has_id, "{}: no record_id column (map one with --map their_id=record_id)", path);
  io::CsvRecord rec;
  while (reader.next(rec)) {
    if (rec.size() != header.size())
      throw FormatError(fmt::format("{}: row {} has {} fields, the header has {}", path, rec.row, rec.size(),
                                    header.size()));
    Record& r = out.emplace_back();
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (target[c] == kIgnored) continue;
      const std::string_view v = trim(rec[c]);
      if (!v.empty()) append_value(r, target[c], v);
    }
    if (r.record_id.empty())
      throw FormatError(fmt::format("{}: row {}: record_id is empty", path, rec.row));
    ++n;
    if (out.size() >= batch) {
      sink(out);
      out.clear();
    }
  }
  if (!out.empty()) sink(out);
  return n;
}

std::vector<Record> read_records_csv(const std::string& path, const ColumnMap& map) {
  std::vector<Record> all;
  for_each_records_batch(path, map, [&](std::vector<Record>& batch) {
    all.insert(all.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
  });
  return all;
}

std::vector<std::string> for_each_extract_batch(const std::string& dir, const schema::Schema& schema,
                                                const std::function<void(std::vector<Record>&)>& sink,
                                                std::size_t batch) {
  namespace fs = std::filesystem;
  EH_CHECK(batch > 0, "for_each_extract_batch: batch must be at least 1");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw IOError(fmt::format("link --data: '{}' is not a readable folder", dir));
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path());
  if (ec) throw IOError(fmt::format("link --data: cannot list '{}'", dir));
  std::sort(files.begin(), files.end());
  EH_CHECK(std::any_of(files.begin(), files.end(), [&](const fs::path& f) { return schema.find(f.stem().string()) != nullptr; }),
           "link --data: '{}' holds no extract named after a stream of the schema (<stream>.csv)", dir);
  std::vector<std::string> notes;
  std::vector<Record> pending;
  pending.reserve(std::min<std::size_t>(batch, 65536));
  for (const fs::path& file : files) {
    const std::string stem = file.stem().string();
    const schema::Stream* stream = schema.find(stem);
    if (stream == nullptr) {
      notes.push_back(fmt::format("{}: not a stream of the schema, skipped", file.filename().string()));
      continue;
    }
    io::CsvReader reader = io::CsvReader::open(file.string());
    if (reader.empty_input()) {
      notes.push_back(fmt::format("{}: empty", file.filename().string()));
      continue;
    }
    const auto& header = reader.header();
    // target[c] = position in canonical_columns() of the field column c feeds (kIgnored: none).
    std::vector<std::size_t> target(header.size(), kIgnored);
    std::size_t id_col = header.size();
    // A register shows each person as they are now; other streams as on their event date.
    const bool current = stream->kind == "register";
    const std::string min_age = std::to_string(stream->subject_min_age);
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string_view name = trim(header[c]);
      if (!current && !stream->event_date_field.empty() && name == stream->event_date_field) {
        target[c] = canonical_column_index("record_date");
        continue;
      }
      const schema::Field* f = stream->find(name);
      if (f == nullptr) continue;
      if (f->name == stream->record_id_field || f->link_key == "record_id") {
        if (id_col == header.size()) id_col = c;
        continue;
      }
      if (f->link_key == "upn" || f->link_key == "source" || !is_canonical(f->link_key)) continue;
      target[c] = canonical_column_index(f->link_key);
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
      Record& r = pending.emplace_back();
      r.record_id.reserve(stem.size() + 1 + id.size());
      r.record_id.append(stem).append(1, ':').append(id);
      r.source = stem;
      if (current) r.record_date = "current";
      if (stream->subject_min_age > 0) r.subject_min_age = min_age;
      for (std::size_t c = 0; c < header.size(); ++c) {
        if (target[c] == kIgnored) continue;
        const std::string_view v = trim(rec[c]);
        if (!v.empty() && !stream->is_missing_value(v)) append_value(r, target[c], v);
      }
      ++n;
      if (pending.size() >= batch) {
        sink(pending);
        pending.clear();
      }
    }
    notes.push_back(fmt::format("{}: {} records", stem, n));
  }
  if (!pending.empty()) sink(pending);
  return notes;
}

Extracts read_extracts(const std::string& dir, const schema::Schema& schema) {
  Extracts out;
  out.notes = for_each_extract_batch(dir, schema, [&](std::vector<Record>& batch) {
    for (Record& r : batch) {
      const auto [stream, local] = split_extract_record_id(r.record_id);
      out.stream.emplace_back(stream);
      out.local_id.emplace_back(local);
      out.records.push_back(std::move(r));
    }
  });
  return out;
}

std::pair<std::string_view, std::string_view> split_extract_record_id(std::string_view record_id) noexcept {
  const std::size_t colon = record_id.find(':');
  if (colon == std::string_view::npos) return {std::string_view(), record_id};
  return {record_id.substr(0, colon), record_id.substr(colon + 1)};
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
