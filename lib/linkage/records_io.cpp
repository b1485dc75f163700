// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/records_io.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <unordered_map>

namespace earlyhelp::linkage {

namespace {


bool is_canonical(std::string_view c) noexcept { return is_canonical_column(c); }

// Appends a cell to the canonical field at `index`: several input columns onto one field (address
// lines, street number and street) are joined with a space, in file order.
void append_value(Record& r, std::size_t index, std::string_view v) {
  std::string& dst = *record_field(r, index);
  if (!dst.empty()) dst += ' ';
  dst += v;
}

// Row faults both readers share. Returns false (after handing the row to the reject sink, or
// throwing without one) when the row cannot be linked.
class RowChecks {
 public:
  RowChecks(const io::CsvReader& reader, const ReadOptions& options) : reader_(reader), options_(options) {}

  // Shape and the reader's issues: checked before any field is read.
  bool shape_ok(const io::CsvRecord& rec) {
    const auto& header = reader_.header();
    if (rec.size() != header.size())
      return fault(rec, "", io::RejectKind::wrong_field_count,
                   fmt::format("the row has {} fields, the header has {}", rec.size(), header.size()));
    if (rec.issue != io::CsvIssue::none) {
      const std::string column = rec.issue_field < header.size() ? header[rec.issue_field] : std::string();
      std::string reason(io::to_string(rec.issue));
      if (rec.issue == io::CsvIssue::field_too_long)
        reason = fmt::format("field longer than the limit ({} bytes): its value was not read",
                             reader_.options().max_field_bytes);
      return fault(rec, column, kind_of(rec.issue), std::move(reason));
    }
    return true;
  }

  // The record id: present, and not one an earlier row of the file has.
  bool id_ok(const io::CsvRecord& rec, std::string_view id, const std::string& id_column) {
    if (id.empty()) return fault(rec, id_column, io::RejectKind::missing_value, "the record id is empty");
    const auto [it, fresh] = seen_.emplace(std::string(id), rec.row);
    if (!fresh)
      return fault(rec, id_column, io::RejectKind::duplicate_key,
                   fmt::format("repeats the record id of row {} (record ids must be unique)", it->second));
    return true;
  }

  // subject_min_age, when given: whole years, 0 to 999 (what linking reads it as).
  bool min_age_ok(const io::CsvRecord& rec, std::string_view age, const std::string& column) {
    const bool years = age.size() <= 3 && std::all_of(age.begin(), age.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (years) return true;
    return fault(rec, column, io::RejectKind::invalid_value, "not whole years (expected 0 to 999)");
  }

 private:
  static io::RejectKind kind_of(io::CsvIssue issue) noexcept {
    switch (issue) {
      case io::CsvIssue::field_too_long: return io::RejectKind::field_too_long;
      case io::CsvIssue::record_too_long: return io::RejectKind::record_too_long;
      case io::CsvIssue::too_many_columns: return io::RejectKind::too_many_columns;
      case io::CsvIssue::invalid_utf8: return io::RejectKind::invalid_utf8;
      case io::CsvIssue::none: break;
    }
    return io::RejectKind::invalid_value;
  }

  bool fault(const io::CsvRecord& rec, std::string field, io::RejectKind kind, std::string reason) {
    RecordReject r;
    r.kind = kind;
    r.file = reader_.name();
    r.row = rec.row;
    r.line = rec.line;
    r.field = std::move(field);
    r.reason = std::move(reason);
    if (!options_.reject) throw FormatError(describe(r));
    r.fields.assign(rec.fields.begin(), rec.fields.end());
    options_.reject(r);
    return false;
  }

  const io::CsvReader& reader_;
  const ReadOptions& options_;
  std::unordered_map<std::string, std::size_t> seen_;  // record id -> first row
};

}  // namespace

std::string describe(const RecordReject& r) {
  return fmt::format("{}: row {} (line {}){}: {}", r.file, r.row, r.line,
                     r.field.empty() ? std::string() : fmt::format(", column {}", r.field), r.reason);
}

std::size_t for_each_records_batch(const std::string& path, const ColumnMap& map,
                                   const std::function<void(std::vector<Record>&)>& sink, std::size_t batch) {
  ReadOptions options;
  options.batch = batch;
  return for_each_records_batch(path, map, sink, options);
}

std::size_t for_each_records_batch(const std::string& path, const ColumnMap& map,
                                   const std::function<void(std::vector<Record>&)>& sink, const ReadOptions& options) {
  EH_CHECK(options.batch > 0, "for_each_records_batch: batch must be at least 1");
  io::CsvReader reader = io::CsvReader::open(path);
  std::size_t n = 0;
  if (reader.empty_input()) return n;
  std::vector<Record> out;
  const auto& header = reader.header();
  // target[c] = position in canonical_columns() of the field input column c feeds (kUnusedColumn: none).
  const ColumnPlan plan = plan_columns(header, map, reader.name());
  if (options.warn)
    for (const auto& w : plan.warnings) options.warn(w);
  const auto column_of = [&](std::string_view canonical) {
    const std::size_t k = canonical_column_index(canonical);
    for (std::size_t c = 0; c < header.size(); ++c)
      if (plan.target[c] == k) return header[c];
    return std::string();
  };
  const std::string id_column = column_of("record_id"), min_age_column = column_of("subject_min_age");
  RowChecks checks(reader, options);
  io::CsvRecord rec;
  while (reader.next(rec)) {
    if (!checks.shape_ok(rec)) continue;
    Record r;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (plan.target[c] == kUnusedColumn) continue;
      const std::string_view v = trim_cell(rec[c]);
      if (!v.empty()) append_value(r, plan.target[c], v);
    }
    if (!checks.id_ok(rec, r.record_id, id_column)) continue;
    if (!checks.min_age_ok(rec, r.subject_min_age, min_age_column)) continue;
    out.push_back(std::move(r));
    ++n;
    if (out.size() >= options.batch) {
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
  ReadOptions options;
  options.batch = batch;
  return for_each_extract_batch(dir, schema, sink, options);
}

std::vector<std::string> for_each_extract_batch(const std::string& dir, const schema::Schema& schema,
                                                const std::function<void(std::vector<Record>&)>& sink,
                                                const ReadOptions& options) {
  namespace fs = std::filesystem;
  EH_CHECK(options.batch > 0, "for_each_extract_batch: batch must be at least 1");
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
  pending.reserve(std::min<std::size_t>(options.batch, 65536));
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
    // target[c] = position in canonical_columns() of the field column c feeds (kUnusedColumn: none).
    std::vector<std::size_t> target(header.size(), kUnusedColumn);
    std::size_t id_col = header.size();
    // A register shows each person as they are now; other streams as on their event date.
    const bool current = stream->kind == "register";
    const std::string min_age = std::to_string(stream->subject_min_age);
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string_view name = trim_cell(header[c]);
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
    if (id_col == header.size())
      throw SchemaError(fmt::format("{}: line 1: no '{}' column (the stream's record id)", file.string(),
                                    stream->record_id_field));
    RowChecks checks(reader, options);
    io::CsvRecord rec;
    std::size_t n = 0, rejected = 0;
    while (reader.next(rec)) {
      if (!checks.shape_ok(rec)) {
        ++rejected;
        continue;
      }
      const std::string_view id = trim_cell(rec[id_col]);
      if (!checks.id_ok(rec, id, header[id_col])) {
        ++rejected;
        continue;
      }
      Record& r = pending.emplace_back();
      r.record_id.reserve(stem.size() + 1 + id.size());
      r.record_id.append(stem).append(1, ':').append(id);
      r.source = stem;
      if (current) r.record_date = "current";
      if (stream->subject_min_age > 0) r.subject_min_age = min_age;
      for (std::size_t c = 0; c < header.size(); ++c) {
        if (target[c] == kUnusedColumn) continue;
        const std::string_view v = trim_cell(rec[c]);
        if (!v.empty() && !stream->is_missing_value(v)) append_value(r, target[c], v);
      }
      ++n;
      if (pending.size() >= options.batch) {
        sink(pending);
        pending.clear();
      }
    }
    notes.push_back(rejected == 0 ? fmt::format("{}: {} records", stem, n)
                                  : fmt::format("{}: {} records, {} row{} rejected", stem, n, rejected,
                                                rejected == 1 ? "" : "s"));
  }
  if (!pending.empty()) sink(pending);
  return notes;
}

Extracts read_extracts(const std::string& dir, const schema::Schema& schema) {
  Extracts out;
  ReadOptions options;
  options.reject = [&](const RecordReject& r) {
    out.rejects.push_back(r);
    out.rejects.back().fields.clear();  // the caller gets where and why; the values stay in the file
  };
  out.notes = for_each_extract_batch(
      dir, schema,
      [&](std::vector<Record>& batch) {
        for (Record& r : batch) {
          const auto [stream, local] = split_extract_record_id(r.record_id);
          out.stream.emplace_back(stream);
          out.local_id.emplace_back(local);
          out.records.push_back(std::move(r));
        }
      },
      options);
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
