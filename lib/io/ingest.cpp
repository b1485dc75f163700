// SPDX-License-Identifier: Apache-2.0
// Row and field validation of a stream extract (see include/earlyhelp/io/ingest.hpp).

#include "earlyhelp/io/ingest.hpp"

#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/io/field_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
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

// ---- CSV file sink ---------------------------------------------------------------------------

CsvFileSink::CsvFileSink(const std::string& clean_path, const std::string& rejects_path)
    : clean_(CsvWriter::open(clean_path)), rejects_(CsvWriter::open(rejects_path)) {}

void CsvFileSink::begin(const schema::Stream& stream, const std::vector<std::string>& input_header) {
  for (const auto& f : stream.fields) clean_.field(f.name);
  clean_.end_row();
  for (std::string_view c : {"row", "line", "field", "reason"}) rejects_.field(c);
  for (const auto& c : input_header) rejects_.field(c);
  rejects_.field("extra_fields");
  rejects_.end_row();
  width_ = input_header.size();
}

void CsvFileSink::clean(std::size_t, const std::vector<FieldValue>& values) {
  for (const auto& v : values) clean_.field(v.text);
  clean_.end_row();
}

void CsvFileSink::reject(const Reject& r, const std::vector<std::string_view>& raw) {
  number_.clear();
  fmt::format_to(std::back_inserter(number_), "{}", r.row);
  rejects_.field(number_);
  number_.clear();
  fmt::format_to(std::back_inserter(number_), "{}", r.line);
  rejects_.field(number_);
  rejects_.field(r.field);
  rejects_.field(r.reason);
  for (std::size_t i = 0; i < width_; ++i) rejects_.field(i < raw.size() ? raw[i] : std::string_view());
  // Fields beyond the header's width travel as one CSV-encoded line, so the file stays
  // rectangular and nothing is lost.
  extra_.clear();
  if (raw.size() > width_) {
    CsvWriter enc;
    for (std::size_t i = width_; i < raw.size(); ++i) enc.field(raw[i]);
    extra_ = enc.str();
  }
  rejects_.field(extra_);
  rejects_.end_row();
}

void CsvFileSink::end() {
  clean_.close();
  rejects_.close();
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

// The values of one unique field seen in clean rows, with the first row of each. Keys live in
// one byte arena and an append-only entry list; the probe table holds 8-byte slots (32 bits of
// hash as a tag, entry index + 1), so a lookup touches one slot and, only on a tag match, one
// entry. std::unordered_map<std::string, ...> costs a node allocation per key and a cache miss
// per probe, which made it most of the time of a million-row ingest.
class KeyIndex {
 public:
  static std::size_t hash(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }
  /// Starts loading the slot of a key with hash `h`: a lookup in a table bigger than the cache
  /// is a cache miss, and asking for it before the row's other checks hides most of it.
  void prefetch(std::size_t h) const noexcept {
#if defined(__GNUC__)
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
#else
    (void)h;
#endif
  }
  /// The row that holds `key` (whose hash is `h`), or 0.
  std::size_t find(std::string_view key, std::size_t h) const noexcept {
    if (slots_.empty()) return 0;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.entry == 0) return 0;
      if (s.tag != tag) continue;
      const Entry& e = entries_[s.entry - 1];
      if (e.len == key.size() && arena_.compare(e.offset, e.len, key) == 0) return e.row;
    }
  }
  /// Records `key` (hash `h`) at `row` (> 0); the caller has checked that it is new.
  void insert(std::string_view key, std::size_t h, std::size_t row) {
    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    entries_.push_back(Entry{h, arena_.size(), key.size(), row});
    arena_.append(key);
    place(h, static_cast<std::uint32_t>(entries_.size()));
  }
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t entry = 0;  // index + 1; 0 = empty
  };
  struct Entry {
    std::size_t hash;
    std::size_t offset;
    std::size_t len;
    std::size_t row;
  };
  void place(std::size_t h, std::uint32_t entry) noexcept {
    std::size_t i = h & mask_;
    while (slots_[i].entry != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), entry};
  }
  void grow() {
    EH_CHECK(entries_.size() < 0xFFFFFFFEu, "validate_stream: more than 4 billion distinct keys");
    slots_.assign(slots_.empty() ? 4096 : slots_.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (std::size_t k = 0; k < entries_.size(); ++k) place(entries_[k].hash, static_cast<std::uint32_t>(k + 1));
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<Entry> entries_;
  std::string arena_;
};

// Records copied out of the reader (the reader's views last only until its next record), and
// what the field checks made of each: the unit of work of a parallel validate_stream.
struct Batch {
  struct Row {
    std::size_t row = 0;
    std::size_t line = 0;
    CsvIssue issue = CsvIssue::none;
    std::size_t issue_field = 0;
    std::size_t issue_offset = 0;
    std::size_t field_bytes = 0;
    std::size_t first = 0;  // its fields: spans[first, first + count)
    std::size_t count = 0;
    bool failed = false;    // a field check failed: rejected with problem_field, kind, reason
    std::size_t problem_field = 0;
    RejectKind kind = RejectKind::invalid_value;
    std::string reason;
  };
  static constexpr std::size_t kRows = 1024;          // rows per batch
  static constexpr std::size_t kBytes = 1u << 20;     // or bytes per batch, whichever comes first
  static constexpr std::size_t kInArena = static_cast<std::size_t>(-1);

  std::string bytes;                                      // the rows' field bytes
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset and length of each field
  std::vector<Row> rows;
  std::vector<FieldValue> values;  // fields per row, for rows whose checks passed
  std::vector<std::size_t> hashes; // unique fields per row: the hash of the value
  std::vector<std::size_t> norm_at;
  std::string norm;                // normalised texts the checks built (dates, postcodes, ...)

  void clear() {
    bytes.clear();
    spans.clear();
    rows.clear();
    norm.clear();
  }
  void add(const CsvRecord& rec) {
    Row r;
    r.row = rec.row;
    r.line = rec.line;
    r.issue = rec.issue;
    r.issue_field = rec.issue_field;
    r.issue_offset = rec.issue_offset;
    r.field_bytes = rec.field_bytes;
    r.first = spans.size();
    r.count = rec.size();
    for (std::string_view f : rec.fields) {
      spans.emplace_back(bytes.size(), f.size());
      bytes.append(f);
    }
    rows.push_back(std::move(r));
  }
  bool full() const noexcept { return rows.size() >= kRows || bytes.size() >= kBytes; }
  /// Row i as a CsvRecord whose fields view `bytes`.
  void view(std::size_t i, CsvRecord& rec) const {
    const Row& r = rows[i];
    rec.fields.clear();
    for (std::size_t k = r.first; k < r.first + r.count; ++k) rec.fields.emplace_back(bytes.data() + spans[k].first, spans[k].second);
    rec.row = r.row;
    rec.line = r.line;
    rec.issue = r.issue;
    rec.issue_field = r.issue_field;
    rec.issue_offset = r.issue_offset;
    rec.field_bytes = r.field_bytes;
  }
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

  IngestResult run(int threads) {
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
      }
    }
    sink_.end();
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

  // ---- parallel path: the reader, the field checks and the sink overlap --------------------
  //
  // Records are copied in batches; each step reads the next group of batches (one task), checks
  // the fields of the group read before (one task per batch, each on its own copy of this
  // Validator, whose field counts are summed at the end) and sends the group before that to the
  // sink in input order (one task: malformed rows, key checks and sink calls stay serial).
  // So the sink sees exactly the calls of one thread, in the same order, from one thread at a
  // time; the outputs, the keys and the report do not depend on the thread count. Memory: three
  // groups of 2 x threads batches in flight.

  // Field checks of every well-formed row of a batch (on a checker copy).
  void check_batch(Batch& b) {
    const std::size_t nf = plans_.size();
    const std::size_t nk = keys_.size();
    b.values.resize(b.rows.size() * nf);
    b.hashes.resize(b.rows.size() * nk);
    b.norm_at.assign(b.rows.size() * nf, Batch::kInArena);
    CsvRecord rec;
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      Batch::Row& r = b.rows[i];
      r.failed = false;
      if (r.issue != CsvIssue::none || r.count != width_) continue;  // the serial task rejects it
      b.view(i, rec);
      problems_.clear();
      for (std::size_t j = 0; j < nf; ++j) check_field(j, rec);
      check_birth_before_event();
      if (!problems_.empty()) {
        r.failed = true;
        r.problem_field = problems_.front().field;
        r.kind = problems_.front().kind;
        r.reason = problem_reason();
        continue;
      }
      for (std::size_t j = 0; j < nf; ++j) {
        const FieldValue& v = values_[j];
        const std::string& scratch = plans_[j].scratch;
        // A text the check built lives in the plan's scratch, overwritten by the next row.
        if (!v.text.empty() && v.text.data() >= scratch.data() && v.text.data() < scratch.data() + scratch.size()) {
          b.norm_at[i * nf + j] = b.norm.size();
          b.norm.append(v.text);
        }
        b.values[i * nf + j] = v;
      }
      // Hashing here takes it off the serial task, which only looks the keys up.
      for (std::size_t k = 0; k < nk; ++k) b.hashes[i * nk + k] = KeyIndex::hash(values_[keys_[k].field].text);
    }
    for (std::size_t k = 0; k < b.values.size(); ++k)
      if (b.norm_at[k] != Batch::kInArena) b.values[k].text = std::string_view(b.norm.data() + b.norm_at[k], b.values[k].text.size());
  }

  // Rejects and clean rows of a checked batch, in input order (serial).
  void emit_batch(const Batch& b) {
    const std::size_t nf = plans_.size();
    const std::size_t nk = keys_.size();
    constexpr std::size_t kAhead = 8;  // rows whose key slots are loaded ahead (cache misses)
    for (std::size_t i = 0; i < std::min(kAhead, b.rows.size()) * nk; ++i) keys_[i % nk].index.prefetch(b.hashes[i]);
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      if (i + kAhead < b.rows.size())
        for (std::size_t k = 0; k < nk; ++k) keys_[k].index.prefetch(b.hashes[(i + kAhead) * nk + k]);
      const Batch::Row& r = b.rows[i];
      b.view(i, emit_rec_);
      ++report_.rows_read;
      if (reject_malformed(emit_rec_)) continue;
      if (r.failed) {
        reject(emit_rec_, plans_[r.problem_field].field->name, r.kind, r.reason);
        continue;
      }
      std::copy(b.values.begin() + static_cast<std::ptrdiff_t>(i * nf),
                b.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * nf), values_.begin());
      for (std::size_t k = 0; k < nk; ++k) {
        keys_[k].raw = values_[keys_[k].field].text;
        keys_[k].hash = b.hashes[i * nk + k];
      }
      if (!check_keys(emit_rec_)) continue;
      ++report_.rows_clean;
      sink_.clean(emit_rec_.row, values_);
    }
  }

  struct Group {
    std::vector<Batch> batches;
    std::size_t n = 0;  // batches filled
  };

  void run_parallel(int threads) {
    const std::size_t per = 2 * static_cast<std::size_t>(threads);
    std::array<Group, 3> groups;
    for (auto& g : groups) g.batches.resize(per);
    std::vector<Validator> checkers(per, *this);
    CsvRecord rec;
    bool more = true;
    for (std::size_t step = 0;; ++step) {
      Group& fill = groups[step % 3];
      Group& check = groups[(step + 2) % 3];  // filled one step ago
      Group& emit = groups[(step + 1) % 3];   // filled two steps ago, checked one step ago
      if (!more && check.n == 0 && emit.n == 0) break;
      fill.n = 0;
      parallel_for_chunks(2 + per, threads, 1, [&](std::size_t task, std::size_t) {
        if (task == 0) {
          while (more && fill.n < per) {
            Batch& b = fill.batches[fill.n];
            b.clear();
            while (!b.full() && (more = reader_.next(rec))) b.add(rec);
            if (!b.rows.empty()) ++fill.n;
          }
        } else if (task == 1) {
          for (std::size_t i = 0; i < emit.n; ++i) emit_batch(emit.batches[i]);
        } else if (task - 2 < check.n) {
          checkers[task - 2].check_batch(check.batches[task - 2]);
        }
      });
      emit.n = 0;
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
  CsvRecord emit_rec_;  // the row the parallel path's serial task is sending
};

}  // namespace

IngestResult validate_stream(const schema::Stream& stream, CsvReader& reader, IngestSink& sink, int threads) {
  return Validator(stream, reader, sink).run(threads);
}

IngestResult validate_file(const schema::Stream& stream, const std::string& input,
                           const std::string& clean_path, const std::string& rejects_path,
                           const CsvOptions& options, int threads) {
  check_distinct_files("validate", {{"input", input}}, {{"output", clean_path}, {"rejects", rejects_path}});
  CsvReader reader = CsvReader::open(input, options);
  // The sink's writers go through io::OutputFile: a run that fails half way (an unterminated
  // quote at the end of the file, a full disk) leaves the outputs as they were.
  CsvFileSink sink(clean_path, rejects_path);
  return validate_stream(stream, reader, sink, threads);
}

}  // namespace earlyhelp::io
