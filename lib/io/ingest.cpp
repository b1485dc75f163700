// SPDX-License-Identifier: Apache-2.0
// Row and field validation of a stream extract (see include/earlyhelp/io/ingest.hpp).

#include "earlyhelp/io/ingest.hpp"

#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/io/field_checks.hpp"

#include "io/csv_chunks.hpp"
#include "io/key_index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <unordered_map>

namespace earlyhelp::io {

std::string_view to_string(RejectKind kind) noexcept {
  switch (kind) {
    case RejectKind::wrong_field_count: return "wrong_field_count";
    case RejectKind::field_too_long: return "field_too_long";
    case RejectKind::record_too_long: return "record_too_long";
    case RejectKind::too_many_columns: return "too_many_columns";
    case RejectKind::invalid_utf8: return "invalid_utf8";
    case RejectKind::missing_value: return "missing_value";
    case RejectKind::invalid_value: return "invalid_value";
    case RejectKind::out_of_range: return "out_of_range";
    case RejectKind::invalid_format: return "invalid_format";
    case RejectKind::duplicate_key: return "duplicate_key";
  }
  return "unknown";
}

void IngestSink::begin(const schema::Stream&, const std::vector<std::string>&) {}
void IngestSink::end() {}
void IngestSink::format_clean(const std::vector<FieldValue>&, std::string&) const {
  throw StateError("IngestSink::format_clean: this sink does not format rows (formats_clean() is false)");
}
void IngestSink::clean_formatted(std::size_t, std::string_view) {
  throw StateError("IngestSink::clean_formatted: this sink does not format rows (formats_clean() is false)");
}

// ---- validation ------------------------------------------------------------------------------

namespace {

using schema::FieldType;

enum class Format { none, uk_postcode, nhs_number, uprn, upn };

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (detail::to_lower(a[i]) != detail::to_lower(b[i])) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = detail::to_lower(c);
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

using detail::KeyIndex;

// A chunk of whole records and what the field checks made of them: the unit of work of a parallel
// validate_stream. A row that is rejected keeps only where its bytes are: the serial task parses
// it again for the sink (rejects are few).
struct Chunk {
  enum class State : std::uint8_t { candidate, malformed, failed };
  struct Row {
    std::size_t line = 0;             // 1-based within the chunk
    std::size_t begin = 0, end = 0;   // its bytes in `bytes`
    State state = State::candidate;   // candidate: passed the field checks (keys not checked yet)
    std::size_t problem_field = 0;    // failed: the first field that failed, its kind and reason
    RejectKind kind = RejectKind::invalid_value;
    std::string reason;
    std::size_t out_end = 0;          // formatted clean rows: this row ends at out[out_end)
    std::size_t duplicate_of = 0;     // candidate: the clean row whose key it repeats, or 0
    std::size_t duplicate_key = 0;    // and which key (index into keys_)
  };
  struct KeyRef {
    std::size_t offset = 0;  // the normalised value in `keys`
    std::size_t size = 0;
    std::size_t hash = 0;
    bool missing = true;
  };

  std::string bytes;               // the input records, raw
  std::vector<Row> rows;
  std::size_t lines = 0;           // physical lines in `bytes`
  std::optional<csv_detail::Unterminated> unterminated;
  std::vector<KeyRef> keys;        // unique fields per candidate row
  std::string key_texts;
  std::string out;                 // candidate rows formatted by the sink (formats_clean)
  std::vector<FieldValue> values;  // otherwise: fields per candidate row, their texts in `texts`
  std::vector<std::size_t> text_at;
  std::string texts;
};

// Everything needed to check one field, resolved once from the schema and the header.
struct FieldPlan {
  const schema::Field* field = nullptr;
  std::size_t column = 0;  // index in the input record
  bool in_input = false;
  Format format = Format::none;
  std::string scratch;     // normalised text of the current row
};

struct Problem {
  std::size_t field = 0;
  RejectKind kind = RejectKind::invalid_value;
  std::string reason;
};

class Validator {
 public:
  Validator(const schema::Stream& stream, CsvReader& reader, IngestSink& sink)
      : stream_(stream), reader_(reader), sink_(sink) {}

  IngestResult run(int threads, const Progress& progress) {
    progress_ = &progress;
    input_bytes_ = reader_.input_bytes();
    report_progress(false);
    plan_header();
    sink_.begin(stream_, reader_.header());
    values_.resize(plans_.size());
    const int n = resolve_threads(threads);
    if (n > 1) {
      run_parallel(n);
    } else {
      CsvRecord rec;
      while (reader_.next(rec)) {
        ++report_.rows_read;
        check_row(rec);
        if (report_.rows_read % kProgressRows == 0) report_progress(false);
      }
    }
    sink_.end();
    report_progress(true);
    finish_report();
    IngestResult result;
    result.rows_read = report_.rows_read;
    result.rows_clean = report_.rows_clean;
    result.rows_rejected = report_.rows_rejected;
    result.report = std::move(report_);
    return result;
  }

 private:
  void plan_header() {
    const auto& header = reader_.header();
    report_.stream = stream_.name;
    report_.source = reader_.name();
    if (reader_.empty_input()) {
      std::vector<std::string> names;
      for (const auto& f : stream_.fields) names.push_back(f.name);
      throw FormatError(fmt::format("{}: empty file: no header row (stream {} expects columns {})",
                                    reader_.name(), stream_.name, join(names)));
    }
    // Header names match case-insensitively after trimming; a repeated name is ambiguous.
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < header.size(); ++i) {
      auto [it, inserted] = index.emplace(lower(header[i]), i);
      if (!inserted)
        throw SchemaError(fmt::format("{}: header: column '{}' appears twice (columns {} and {})",
                                      reader_.name(), header[i], it->second + 1, i + 1));
    }
    std::vector<bool> used(header.size(), false);
    std::vector<std::string> missing_required;
    plans_.resize(stream_.fields.size());
    for (std::size_t j = 0; j < stream_.fields.size(); ++j) {
      const schema::Field& f = stream_.fields[j];
      FieldPlan& p = plans_[j];
      p.field = &f;
      p.format = parse_format(f);
      auto it = index.find(lower(f.name));
      if (it != index.end()) {
        p.column = it->second;
        p.in_input = true;
        used[it->second] = true;
      } else if (f.required) {
        missing_required.push_back(f.name);
      } else {
        report_.absent_columns.push_back(f.name);
      }
      FieldQuality q;
      q.name = f.name;
      q.type = f.type;
      q.format = f.format;
      q.in_input = p.in_input;
      q.key = f.unique;
      q.range_withheld = f.identifier_role == schema::IdentifierRole::direct ||
                         f.identifier_role == schema::IdentifierRole::quasi;
      report_.fields.push_back(std::move(q));
      if (f.unique) keys_.push_back(Key{j, KeyIndex(), {}, 0});
    }
    if (!missing_required.empty()) {
      const std::string hint = reader_.format_hint();
      throw SchemaError(fmt::format("{}: missing required column{} for stream {}: {}{}{}", reader_.name(),
                                    missing_required.size() > 1 ? "s" : "", stream_.name,
                                    join(missing_required), hint.empty() ? "" : "; ", hint));
    }
    for (std::size_t i = 0; i < header.size(); ++i)
      if (!used[i]) report_.unexpected_columns.push_back(header[i]);
    width_ = header.size();
    for (std::size_t j = 0; j < plans_.size(); ++j) {
      const schema::Field& f = *plans_[j].field;
      const bool dated = f.type == FieldType::date || f.type == FieldType::datetime;
      if (dated && f.link_key == "dob" && plans_[j].in_input) dob_ = j;
      const bool events = stream_.kind == "event" || stream_.kind == "episode";
      if (dated && events && f.name == stream_.event_date_field && plans_[j].in_input)
        event_ = j;
    }
    for (const auto& m : stream_.missing_values)
      if (!m.empty()) markers_.push_back(m);
  }

  Format parse_format(const schema::Field& f) const {
    if (f.format.empty()) return Format::none;
    if (f.format == "uk_postcode") return Format::uk_postcode;
    if (f.format == "nhs_number") return Format::nhs_number;
    if (f.format == "uprn") return Format::uprn;
    if (f.format == "upn") return Format::upn;
    throw SchemaError(fmt::format("validate_stream: stream {}, field {}: unknown format '{}' (known: "
                                  "uk_postcode, nhs_number, uprn, upn)",
                                  stream_.name, f.name, f.format));
  }

  void reject(const CsvRecord& rec, std::string field, RejectKind kind, std::string reason) {
    Reject r;
    r.row = rec.row;
    r.line = rec.line;
    r.field = std::move(field);
    r.kind = kind;
    r.reason = std::move(reason);
    ++report_.rows_rejected;
    ++kind_counts_[static_cast<std::size_t>(kind)];
    sink_.reject(r, rec.fields);
  }

  std::string column_name(std::size_t i) const {
    const auto& h = reader_.header();
    return i < h.size() ? h[i] : fmt::format("column {}", i + 1);
  }

  // Shape and encoding, checked before the fields (field checks need a well-formed row): rejects
  // the row and returns true when it is malformed.
  bool reject_malformed(const CsvRecord& rec) {
    switch (rec.issue) {
      case CsvIssue::none: break;
      case CsvIssue::field_too_long:
        ++report_.rows_malformed;
        reject(rec, column_name(rec.issue_field), RejectKind::field_too_long,
               fmt::format("field has {} bytes, over the limit of {} (value not kept)", rec.field_bytes,
                           reader_.options().max_field_bytes));
        return true;
      case CsvIssue::record_too_long:
        ++report_.rows_malformed;
        reject(rec, column_name(rec.issue_field), RejectKind::record_too_long,
               fmt::format("record over the limit of {} bytes (fields from this one on not kept)",
                           reader_.options().max_record_bytes));
        return true;
      case CsvIssue::too_many_columns:
        ++report_.rows_malformed;
        reject(rec, "", RejectKind::too_many_columns,
               fmt::format("more than {} fields (the rest not kept)", reader_.options().max_columns));
        return true;
      case CsvIssue::invalid_utf8:
        ++report_.rows_malformed;
        reject(rec, column_name(rec.issue_field), RejectKind::invalid_utf8,
               fmt::format("invalid UTF-8 at byte {} of the field", rec.issue_offset + 1));
        return true;
    }
    if (rec.size() != width_) {
      ++report_.rows_malformed;
      reject(rec, "", RejectKind::wrong_field_count, fmt::format("expected {} fields, found {}", width_, rec.size()));
      return true;
    }
    return false;
  }

  // The reason a row with field problems is rejected for: the first problem's, naming the
  // other fields that failed.
  std::string problem_reason() {
    std::string reason = std::move(problems_.front().reason);
    if (problems_.size() > 1) {
      reason += fmt::format(" (also: {}", plans_[problems_[1].field].field->name);
      for (std::size_t k = 2; k < problems_.size(); ++k)
        reason += fmt::format(", {}", plans_[problems_[k].field].field->name);
      reason += ")";
    }
    return reason;
  }

  void check_row(const CsvRecord& rec) {
    if (reject_malformed(rec)) return;
    problems_.clear();
    for (auto& key : keys_) {
      const FieldPlan& p = plans_[key.field];
      key.raw = p.in_input ? trim_blanks(rec.fields[p.column]) : std::string_view();
      key.hash = KeyIndex::hash(key.raw);
      key.index.prefetch(key.hash);
    }
    for (std::size_t j = 0; j < plans_.size(); ++j) check_field(j, rec);
    check_birth_before_event();
    if (problems_.empty()) {
      if (!check_keys(rec)) return;
      ++report_.rows_clean;
      sink_.clean(rec.row, values_);
      return;
    }
    const Problem& first = problems_.front();
    const std::size_t field = first.field;
    const RejectKind kind = first.kind;
    reject(rec, plans_[field].field->name, kind, problem_reason());
  }

  // ---- parallel path: chunks of whole records, tokenised and checked on every thread ------
  //
  // Each step cuts the next group of chunks (one task: a serial pass over the quotes), tokenises,
  // checks and formats the group cut before (one task per chunk, each on its own copy of this
  // Validator, whose field counts are summed at the end), checks the keys of the group before
  // that in input order (one task) and sends the group before that to the sink in input order
  // (one task: row numbers and sink calls). So the sink sees exactly the calls of one thread, in
  // the same order, from one thread at a time; the outputs, the keys and the report do not
  // depend on the thread count. Memory: four groups of 2 x threads chunks in flight.

  // Tokenises and checks every record of a chunk (on a checker copy).
  void check_chunk(Chunk& c, detail::CsvChunkParser& parser, const IngestSink* formatter) {
    const std::size_t nf = plans_.size();
    c.rows.clear();
    c.keys.clear();
    c.key_texts.clear();
    c.out.clear();
    c.values.clear();
    c.text_at.clear();
    c.texts.clear();
    parser.reset(c.bytes);
    CsvRecord rec;
    while (parser.next(rec)) {
      Chunk::Row& r = c.rows.emplace_back();
      r.line = rec.line;
      r.begin = parser.record_begin();
      r.end = parser.record_end();
      r.out_end = c.out.size();
      if (rec.issue != CsvIssue::none || rec.size() != width_) {
        r.state = Chunk::State::malformed;  // the serial task rejects it
        continue;
      }
      problems_.clear();
      for (std::size_t j = 0; j < nf; ++j) check_field(j, rec);
      check_birth_before_event();
      if (!problems_.empty()) {
        r.state = Chunk::State::failed;
        r.problem_field = problems_.front().field;
        r.kind = problems_.front().kind;
        r.reason = problem_reason();
        continue;
      }
      // Hashing here takes it off the serial task, which only looks the keys up.
      for (const Key& key : keys_) {
        const FieldValue& v = values_[key.field];
        Chunk::KeyRef& k = c.keys.emplace_back();
        k.missing = v.missing;
        if (v.missing) continue;
        k.offset = c.key_texts.size();
        k.size = v.text.size();
        k.hash = KeyIndex::hash(v.text);
        c.key_texts.append(v.text);
      }
      if (formatter != nullptr) {
        formatter->format_clean(values_, c.out);
        r.out_end = c.out.size();
        continue;
      }
      // The values' texts view the parser's record and the plans' scratch, both overwritten by
      // the next record: keep a copy.
      for (std::size_t j = 0; j < nf; ++j) {
        c.values.push_back(values_[j]);
        c.text_at.push_back(c.texts.size());
        c.texts.append(values_[j].text);
      }
    }
    c.lines = parser.lines();
    c.unterminated = parser.unterminated();
    for (std::size_t k = 0; k < c.values.size(); ++k)
      c.values[k].text = std::string_view(c.texts.data() + c.text_at[k], c.values[k].text.size());
  }

  // Row i of a chunk as the serial reader would give it (for a reject).
  const CsvRecord& reread(const Chunk& c, const Chunk::Row& r, std::size_t row, std::size_t line) {
    emit_parser_->reset(std::string_view(c.bytes).substr(r.begin, r.end - r.begin));
    emit_parser_->next(emit_rec_);
    emit_rec_.row = row;
    emit_rec_.line = line;
    return emit_rec_;
  }

  // The key checks of a checked chunk's candidate rows, in input order (serial): marks the
  // duplicates and records the others' keys.
  void keys_chunk(Chunk& c) {
    const std::size_t nk = keys_.size();
    if (nk == 0) return;
    if (key_rows_ == 0 && !c.rows.empty() && input_bytes_ > c.bytes.size()) {
      // Rows to expect, from the first chunk's bytes per row and the input's size (a file's or a
      // string's; unknown for a pipe), with a margin; capped so that a wrong guess costs little.
      const double rows = static_cast<double>(input_bytes_) * static_cast<double>(c.rows.size()) /
                          static_cast<double>(c.bytes.size());
      const auto expect = static_cast<std::size_t>(std::min(rows * 1.1, double{1u << 26}));
      for (Key& key : keys_) key.index.reserve(expect);
    }
    constexpr std::size_t kAhead = 8;  // candidate keys whose slots are loaded ahead (cache misses)
    const std::size_t n_keys = c.keys.size();
    for (std::size_t i = 0; i < std::min(kAhead * nk, n_keys); ++i)
      if (!c.keys[i].missing) keys_[i % nk].index.prefetch(c.keys[i].hash);
    std::size_t candidate = 0;
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      Chunk::Row& r = c.rows[i];
      if (r.state != Chunk::State::candidate) continue;
      const std::size_t k0 = candidate * nk;
      for (std::size_t k = (candidate + kAhead) * nk; k < std::min((candidate + kAhead + 1) * nk, n_keys); ++k)
        if (!c.keys[k].missing) keys_[k % nk].index.prefetch(c.keys[k].hash);
      ++candidate;
      r.duplicate_of = 0;
      for (std::size_t k = 0; k < nk && r.duplicate_of == 0; ++k) {
        const Chunk::KeyRef& ref = c.keys[k0 + k];
        if (ref.missing) continue;
        r.duplicate_of = keys_[k].index.find(std::string_view(c.key_texts.data() + ref.offset, ref.size), ref.hash);
        r.duplicate_key = k;
      }
      if (r.duplicate_of != 0) continue;
      for (std::size_t k = 0; k < nk; ++k) {
        const Chunk::KeyRef& ref = c.keys[k0 + k];
        if (!ref.missing)
          keys_[k].index.insert(std::string_view(c.key_texts.data() + ref.offset, ref.size), ref.hash, key_rows_ + i + 1);
      }
    }
    key_rows_ += c.rows.size();
  }

  // Rejects and clean rows of a chunk whose keys are checked, in input order (serial).
  void emit_chunk(const Chunk& c, bool formatted) {
    const std::size_t nf = plans_.size();
    std::size_t candidate = 0;
    std::size_t out_begin = 0;
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      const Chunk::Row& r = c.rows[i];
      const std::size_t row = rows_base_ + i + 1;
      const std::size_t line = line_base_ + r.line - 1;
      ++report_.rows_read;
      if (r.state == Chunk::State::malformed) {
        reject_malformed(reread(c, r, row, line));
        continue;
      }
      if (r.state == Chunk::State::failed) {
        reject(reread(c, r, row, line), plans_[r.problem_field].field->name, r.kind, r.reason);
        continue;
      }
      const std::size_t v0 = candidate * nf;
      ++candidate;
      const std::string_view bytes(c.out.data() + out_begin, r.out_end - out_begin);
      out_begin = r.out_end;
      if (r.duplicate_of != 0) {
        const std::size_t j = keys_[r.duplicate_key].field;
        ++report_.fields[j].n_duplicates;
        reject(reread(c, r, row, line), plans_[j].field->name, RejectKind::duplicate_key,
               fmt::format("duplicate key: same value as row {}", r.duplicate_of));
        continue;
      }
      ++report_.rows_clean;
      if (formatted) {
        sink_.clean_formatted(row, bytes);
      } else {
        std::copy(c.values.begin() + static_cast<std::ptrdiff_t>(v0),
                  c.values.begin() + static_cast<std::ptrdiff_t>(v0 + nf), values_.begin());
        sink_.clean(row, values_);
      }
    }
    const std::size_t rows_before = rows_base_;
    const std::size_t line_before = line_base_;
    rows_base_ += c.rows.size();
    line_base_ += c.lines;
    if (c.unterminated) {
      csv_detail::Unterminated at = *c.unterminated;
      at.row += rows_before;
      at.line += line_before - 1;
      at.quote_line += line_before - 1;
      chunker_->throw_unterminated(at);
    }
  }

  struct Group {
    std::vector<Chunk> chunks;
    std::size_t n = 0;  // chunks filled
  };

  void run_parallel(int threads) {
    const std::size_t per = 2 * static_cast<std::size_t>(threads);
    detail::CsvChunker chunker(reader_);
    chunker_ = &chunker;
    detail::CsvChunkParser emit_parser(reader_);
    emit_parser_ = &emit_parser;
    rows_base_ = key_rows_ = 0;
    line_base_ = chunker.first_line();
    const bool formatted = sink_.formats_clean();
    const IngestSink* formatter = formatted ? &sink_ : nullptr;
    std::array<Group, 4> groups;
    for (auto& g : groups) g.chunks.resize(per);
    std::vector<Validator> checkers(per, *this);
    std::vector<detail::CsvChunkParser> parsers;
    for (std::size_t i = 0; i < per; ++i) parsers.emplace_back(reader_);
    bool more = true;
    bool serial_rest = false;
    for (std::size_t step = 0;; ++step) {
      Group& fill = groups[step % 4];
      Group& check = groups[(step + 3) % 4];  // filled one step ago
      Group& key = groups[(step + 2) % 4];    // checked one step ago
      Group& emit = groups[(step + 1) % 4];   // keys checked one step ago
      if (!more && check.n == 0 && key.n == 0 && emit.n == 0) break;
      fill.n = 0;
      parallel_for_chunks(3 + per, threads, 1, [&](std::size_t task, std::size_t) {
        if (task == 0) {
          while (more && fill.n < per) {
            const detail::CsvChunker::Cut cut = chunker.next(fill.chunks[fill.n].bytes);
            if (cut == detail::CsvChunker::Cut::chunk) {
              ++fill.n;
            } else {
              more = false;
              serial_rest = cut == detail::CsvChunker::Cut::serial;
            }
          }
        } else if (task == 1) {
          for (std::size_t i = 0; i < emit.n; ++i) emit_chunk(emit.chunks[i], formatted);
        } else if (task == 2) {
          for (std::size_t i = 0; i < key.n; ++i) keys_chunk(key.chunks[i]);
        } else if (task - 3 < check.n) {
          checkers[task - 3].check_chunk(check.chunks[task - 3], parsers[task - 3], formatter);
        }
      });
      emit.n = 0;
      report_progress(false);
    }
    for (const Validator& c : checkers) {
      for (std::size_t j = 0; j < report_.fields.size(); ++j) {
        FieldQuality& q = report_.fields[j];
        const FieldQuality& o = c.report_.fields[j];
        q.n_missing += o.n_missing;
        q.n_present += o.n_present;
        q.n_valid += o.n_valid;
        q.n_invalid += o.n_invalid;
        q.n_invalid_format += o.n_invalid_format;
        if (o.min_date && (!q.min_date || *o.min_date < *q.min_date)) q.min_date = o.min_date;
        if (o.max_date && (!q.max_date || *o.max_date > *q.max_date)) q.max_date = o.max_date;
      }
    }
    if (serial_rest) {
      // A record too long to chunk: the reader goes on from it, numbering rows and lines on.
      chunker.resume(rows_base_, line_base_);
      CsvRecord rec;
      while (reader_.next(rec)) {
        ++report_.rows_read;
        check_row(rec);
        if (report_.rows_read % kProgressRows == 0) report_progress(false);
      }
    }
    chunker_ = nullptr;
    emit_parser_ = nullptr;
  }

  // A person cannot be born after the event recorded about them: in an event or episode
  // stream, a valid date of birth (link_key "dob") later than the valid event date is rejected.
  void check_birth_before_event() {
    if (dob_ == kNone || event_ == kNone) return;
    const FieldValue& d = values_[dob_];
    const FieldValue& e = values_[event_];
    if (d.missing || e.missing) return;
    for (const Problem& p : problems_)
      if (p.field == dob_ || p.field == event_) return;
    std::int64_t event_day = e.integer;
    if (plans_[event_].field->type == FieldType::datetime)
      event_day = e.integer >= 0 ? e.integer / 86400 : -((-e.integer + 86399) / 86400);
    if (d.integer <= event_day) return;
    FieldQuality& q = report_.fields[dob_];
    --q.n_valid;
    fail(dob_, RejectKind::out_of_range, fmt::format("date of birth after the {}", plans_[event_].field->name));
  }

  // Keys are checked only for rows that passed every field check, and recorded only for clean
  // rows, so the clean output is unique in each key and a duplicate names a clean row.
  bool check_keys(const CsvRecord& rec) {
    for (auto& key : keys_) {
      const FieldValue& v = values_[key.field];
      if (v.missing) continue;
      // The prefetch hashed the raw text; normalisation (case, spaces) may have changed it.
      if (v.text != key.raw) key.hash = KeyIndex::hash(v.text);
      if (const std::size_t first = key.index.find(v.text, key.hash); first != 0) {
        const std::size_t j = key.field;
        ++report_.fields[j].n_duplicates;
        reject(rec, plans_[j].field->name, RejectKind::duplicate_key,
               fmt::format("duplicate key: same value as row {}", first));
        return false;
      }
    }
    for (auto& key : keys_) {
      const FieldValue& v = values_[key.field];
      if (!v.missing) key.index.insert(v.text, key.hash, rec.row);
    }
    return true;
  }

  void fail(std::size_t j, RejectKind kind, std::string reason) {
    FieldQuality& q = report_.fields[j];
    ++q.n_invalid;
    if (kind == RejectKind::invalid_format) ++q.n_invalid_format;
    problems_.push_back(Problem{j, kind, std::move(reason)});
  }

  void check_number_range(std::size_t j, double x) {
    const schema::Field& f = *plans_[j].field;
    if (f.min && x < *f.min) return fail(j, RejectKind::out_of_range, fmt::format("below the minimum {}", *f.min));
    if (f.max && x > *f.max) return fail(j, RejectKind::out_of_range, fmt::format("above the maximum {}", *f.max));
    ++report_.fields[j].n_valid;
  }

  void check_date_range(std::size_t j, Date d) {
    const schema::Field& f = *plans_[j].field;
    if (f.min_date && d < *f.min_date)
      return fail(j, RejectKind::out_of_range, fmt::format("date before the earliest allowed {}", format_date(*f.min_date)));
    if (f.max_date && d > *f.max_date)
      return fail(j, RejectKind::out_of_range, fmt::format("date after the latest allowed {}", format_date(*f.max_date)));
    FieldQuality& q = report_.fields[j];
    ++q.n_valid;
    if (!q.min_date || d < *q.min_date) q.min_date = d;
    if (!q.max_date || d > *q.max_date) q.max_date = d;
  }

  void check_field(std::size_t j, const CsvRecord& rec) {
    FieldPlan& p = plans_[j];
    const schema::Field& f = *p.field;
    FieldValue& v = values_[j];
    FieldQuality& q = report_.fields[j];
    v = FieldValue{};
    const std::string_view s = p.in_input ? trim_blanks(rec.fields[p.column]) : std::string_view();
    if (s.empty() || (!markers_.empty() && is_marker(s))) {
      ++q.n_missing;
      if (!f.nullable) problems_.push_back(Problem{j, RejectKind::missing_value, "missing value (the field may not be empty)"});
      return;
    }
    ++q.n_present;
    v.missing = false;
    v.text = s;
    switch (f.type) {
      case FieldType::integer: {
        std::string_view t = s;
        if (t.front() == '+') t.remove_prefix(1);
        std::int64_t x = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        if (ec != std::errc() || ptr != t.data() + t.size() || t.empty() || t.front() == '+')
          return fail(j, RejectKind::invalid_value, "not an integer");
        v.integer = x;
        const fmt::format_int canonical(x);
        if (std::string_view(canonical.data(), canonical.size()) != s) {
          p.scratch.assign(canonical.data(), canonical.size());
          v.text = p.scratch;
        }
        return check_number_range(j, static_cast<double>(x));
      }
      case FieldType::floating: {
        std::string_view t = s;
        if (t.front() == '+') t.remove_prefix(1);
        double x = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        if (ec != std::errc() || ptr != t.data() + t.size() || t.empty() || t.front() == '+' || !std::isfinite(x))
          return fail(j, RejectKind::invalid_value, "not a finite number");
        v.number = x;
        v.text = t;
        return check_number_range(j, x);
      }
      case FieldType::boolean: {
        const auto b = parse_bool(s);
        if (!b) return fail(j, RejectKind::invalid_value, "not a boolean (true/false, yes/no, y/n, 1/0)");
        v.integer = *b ? 1 : 0;
        v.text = *b ? "true" : "false";
        ++q.n_valid;
        return;
      }
      case FieldType::category: {
        const auto& cats = f.categories;
        std::size_t k = 0;
        while (k < cats.size() && cats[k] != s) ++k;
        if (k == cats.size()) {
          k = 0;
          while (k < cats.size() && !iequals(cats[k], s)) ++k;
        }
        if (k == cats.size()) return fail(j, RejectKind::invalid_value, "not one of the allowed categories");
        v.integer = static_cast<std::int64_t>(k);
        v.text = cats[k];
        ++q.n_valid;
        return;
      }
      case FieldType::date: {
        const auto d = parse_date(s);
        // parse_date ignores a time part; a date field holds dates only.
        if (!d || s.size() > 10) return fail(j, RejectKind::invalid_value, "not a valid date (yyyy-mm-dd or dd/mm/yyyy)");
        v.integer = d->days;
        p.scratch = format_date(*d);
        v.text = p.scratch;
        return check_date_range(j, *d);
      }
      case FieldType::datetime: {
        std::size_t cut = s.size();
        for (std::size_t i = 8; i < s.size(); ++i)
          if (s[i] == 'T' || s[i] == ' ') {
            cut = i;
            break;
          }
        const auto d = parse_date(s.substr(0, cut));
        std::optional<int> secs = 0;
        if (cut < s.size()) secs = parse_time_of_day(trim_blanks(s.substr(cut + 1)));
        if (!d || !secs)
          return fail(j, RejectKind::invalid_value, "not a valid date-time (yyyy-mm-dd[Thh:mm[:ss]] or dd/mm/yyyy [hh:mm[:ss]])");
        v.integer = std::int64_t{d->days} * 86400 + *secs;
        p.scratch = fmt::format("{}T{:02}:{:02}:{:02}", format_date(*d), *secs / 3600, *secs / 60 % 60, *secs % 60);
        v.text = p.scratch;
        return check_date_range(j, *d);
      }
      case FieldType::identifier:
      case FieldType::text: {
        // A postcode or NHS number is measured in its normalised form ("SW1A  1AA" is "SW1A
        // 1AA"), after its format check; anything else as written.
        const bool normalised_length = p.format == Format::uk_postcode || p.format == Format::nhs_number;
        if (!normalised_length && f.max_length && s.size() > *f.max_length)
          return fail(j, RejectKind::out_of_range, fmt::format("longer than {} bytes", *f.max_length));
        switch (p.format) {
          case Format::none: break;
          case Format::uk_postcode: {
            auto pc = canonical_postcode(s);
            if (!pc) return fail(j, RejectKind::invalid_format, "not a valid UK postcode");
            p.scratch = std::move(*pc);
            v.text = p.scratch;
            break;
          }
          case Format::nhs_number: {
            if (!is_valid_nhs_number(s)) return fail(j, RejectKind::invalid_format, "not a valid NHS number (10 digits, modulus 11 check)");
            p.scratch.clear();
            for (char c : s)
              if (detail::is_digit(c)) p.scratch.push_back(c);
            v.text = p.scratch;
            break;
          }
          case Format::uprn:
            if (!is_valid_uprn(s)) return fail(j, RejectKind::invalid_format, "not a valid UPRN (1 to 12 digits)");
            break;
          case Format::upn: {
            p.scratch.assign(s);
            for (char& c : p.scratch) c = detail::to_upper(c);
            if (!is_valid_upn(p.scratch)) return fail(j, RejectKind::invalid_format, "not a valid UPN (13 characters with a DfE check letter)");
            v.text = p.scratch;
            break;
          }
        }
        if (normalised_length && f.max_length && v.text.size() > *f.max_length)
          return fail(j, RejectKind::out_of_range, fmt::format("longer than {} bytes", *f.max_length));
        ++q.n_valid;
        return;
      }
    }
  }

  bool is_marker(std::string_view s) const noexcept {
    for (const auto& m : markers_)
      if (m == s) return true;
    return false;
  }

  void finish_report() {
    for (const auto& key : keys_) report_.fields[key.field].n_distinct = key.index.size();
    for (std::size_t k = 0; k < kind_counts_.size(); ++k)
      if (kind_counts_[k] > 0) report_.rejects_by_kind.emplace_back(static_cast<RejectKind>(k), kind_counts_[k]);
    for (auto& q : report_.fields)
      if (q.range_withheld) q.min_date = q.max_date = std::nullopt;
  }

  const schema::Stream& stream_;
  CsvReader& reader_;
  IngestSink& sink_;
  std::size_t width_ = 0;
  std::vector<FieldPlan> plans_;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t dob_ = kNone;    // the date-of-birth field, if any
  std::size_t event_ = kNone;  // the stream's event date field, if any
  std::vector<std::string> markers_;  // the stream's non-empty "no value" markers, e.g. NULL
  std::vector<FieldValue> values_;
  std::vector<Problem> problems_;
  struct Key {
    std::size_t field;     // index of a unique field
    KeyIndex index;        // its values in clean rows
    std::string_view raw;  // this row's trimmed raw value
    std::size_t hash;      // hash of the value to look up
  };
  std::vector<Key> keys_;
  std::array<std::size_t, 10> kind_counts_{};
  DataQualityReport report_;
  // The parallel path's serial task: the row it is sending, how rows and lines are numbered,
  // the chunker (for an error's message) and a parser for rejected rows.
  CsvRecord emit_rec_;
  std::size_t rows_base_ = 0;
  std::size_t line_base_ = 1;
  std::size_t key_rows_ = 0;  // rows whose keys are checked (the key task's numbering)
  std::uint64_t input_bytes_ = 0;  // the input's size if known, else 0 (CsvReader::input_bytes)
  detail::CsvChunker* chunker_ = nullptr;
  detail::CsvChunkParser* emit_parser_ = nullptr;

  // Progress: stage "validate" in input bytes read (a regular file's or a string's size), or
  // 0 of 1 then 1 of 1 when the size is unknown (a pipe). Reported on the calling thread: every
  // kProgressRows rows on one thread, after every step of chunks on several.
  static constexpr std::size_t kProgressRows = 1u << 16;
  void report_progress(bool done) {
    if (progress_ == nullptr || !*progress_) return;
    if (input_bytes_ == 0) {
      if (done || !progress_started_) (*progress_)("validate", done ? 1 : 0, 1);
    } else {
      const std::uint64_t at = done ? input_bytes_ : std::min(reader_.bytes_read(), input_bytes_ - 1);
      if (progress_started_ && !done && at <= progress_last_) return;
      (*progress_)("validate", progress_started_ ? at : 0, input_bytes_);
      progress_last_ = progress_started_ ? at : 0;
    }
    progress_started_ = true;
  }
  const Progress* progress_ = nullptr;
  std::uint64_t progress_last_ = 0;
  bool progress_started_ = false;
};

}  // namespace

IngestResult validate_stream(const schema::Stream& stream, CsvReader& reader, IngestSink& sink, int threads,
                             const Progress& progress) {
  return Validator(stream, reader, sink).run(threads, progress);
}

IngestResult validate_file(const schema::Stream& stream, const std::string& input,
                           const std::string& clean_path, const std::string& rejects_path,
                           const CsvOptions& options, int threads, const Progress& progress) {
  check_distinct_files("validate", {{"input", input}}, {{"output", clean_path}, {"rejects", rejects_path}});
  CsvReader reader = CsvReader::open(input, options);
  // The sink's writers go through io::OutputFile: a run that fails half way (an unterminated
  // quote at the end of the file, a full disk) leaves the outputs as they were.
  CsvFileSink sink(clean_path, rejects_path);
  return validate_stream(stream, reader, sink, threads, progress);
}

}  // namespace earlyhelp::io
