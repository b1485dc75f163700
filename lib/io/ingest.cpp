// SPDX-License-Identifier: Apache-2.0
// Row and field validation of a stream extract (see include/earlyhelp/io/ingest.hpp).

#include "earlyhelp/io/ingest.hpp"

#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/io/field_checks.hpp"

#include "io/validator.hpp"

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

namespace detail {

using schema::FieldType;

namespace {

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

}  // namespace

IngestResult Validator::run(int threads, const Progress& progress) {
  progress_ = &progress;
  input_bytes_ = reader_.input_bytes();
  report_progress(false, reader_.bytes_read());
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
      if (report_.rows_read % kProgressRows == 0) report_progress(false, reader_.bytes_read());
    }
  }
  sink_.end();
  report_progress(true, input_bytes_);
  finish_report();
  IngestResult result;
  result.rows_read = report_.rows_read;
  result.rows_clean = report_.rows_clean;
  result.rows_rejected = report_.rows_rejected;
  result.report = std::move(report_);
  return result;
}

void Validator::plan_header() {
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

Format Validator::parse_format(const schema::Field& f) const {
  if (f.format.empty()) return Format::none;
  if (f.format == "uk_postcode") return Format::uk_postcode;
  if (f.format == "nhs_number") return Format::nhs_number;
  if (f.format == "uprn") return Format::uprn;
  if (f.format == "upn") return Format::upn;
  throw SchemaError(fmt::format("validate_stream: stream {}, field {}: unknown format '{}' (known: "
                                "uk_postcode, nhs_number, uprn, upn)",
                                stream_.name, f.name, f.format));
}

void Validator::reject(const CsvRecord& rec, std::string field, RejectKind kind, std::string reason) {
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

std::string Validator::column_name(std::size_t i) const {
  const auto& h = reader_.header();
  return i < h.size() ? h[i] : fmt::format("column {}", i + 1);
}

// Shape and encoding, checked before the fields (field checks need a well-formed row): rejects
// the row and returns true when it is malformed.
bool Validator::reject_malformed(const CsvRecord& rec) {
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
std::string Validator::problem_reason() {
  std::string reason = std::move(problems_.front().reason);
  if (problems_.size() > 1) {
    reason += fmt::format(" (also: {}", plans_[problems_[1].field].field->name);
    for (std::size_t k = 2; k < problems_.size(); ++k)
      reason += fmt::format(", {}", plans_[problems_[k].field].field->name);
    reason += ")";
  }
  return reason;
}

void Validator::check_row(const CsvRecord& rec) {
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

// A person cannot be born after the event recorded about them: in an event or episode
// stream, a valid date of birth (link_key "dob") later than the valid event date is rejected.
void Validator::check_birth_before_event() {
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
bool Validator::check_keys(const CsvRecord& rec) {
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

void Validator::fail(std::size_t j, RejectKind kind, std::string reason) {
  FieldQuality& q = report_.fields[j];
  ++q.n_invalid;
  if (kind == RejectKind::invalid_format) ++q.n_invalid_format;
  problems_.push_back(Problem{j, kind, std::move(reason)});
}

void Validator::check_number_range(std::size_t j, double x) {
  const schema::Field& f = *plans_[j].field;
  if (f.min && x < *f.min) return fail(j, RejectKind::out_of_range, fmt::format("below the minimum {}", *f.min));
  if (f.max && x > *f.max) return fail(j, RejectKind::out_of_range, fmt::format("above the maximum {}", *f.max));
  ++report_.fields[j].n_valid;
}

void Validator::check_date_range(std::size_t j, Date d) {
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

void Validator::check_field(std::size_t j, const CsvRecord& rec) {
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

bool Validator::is_marker(std::string_view s) const noexcept {
  for (const auto& m : markers_)
    if (m == s) return true;
  return false;
}

void Validator::finish_report() {
  for (const auto& key : keys_) report_.fields[key.field].n_distinct = key.index.size();
  for (std::size_t k = 0; k < kind_counts_.size(); ++k)
    if (kind_counts_[k] > 0) report_.rejects_by_kind.emplace_back(static_cast<RejectKind>(k), kind_counts_[k]);
  for (auto& q : report_.fields)
    if (q.range_withheld) q.min_date = q.max_date = std::nullopt;
}

void Validator::report_progress(bool done, std::uint64_t read) {
  if (progress_ == nullptr || !*progress_) return;
  if (input_bytes_ == 0) {
    if (done || !progress_started_) (*progress_)("validate", done ? 1 : 0, 1);
  } else {
    const std::uint64_t at = done ? input_bytes_ : std::min(read, input_bytes_ - 1);
    // Steps of at least 1% of the input: a few dozen calls a run, however small the chunks.
    if (progress_started_ && !done && at < progress_last_ + std::max<std::uint64_t>(1, input_bytes_ / 100)) return;
    (*progress_)("validate", progress_started_ ? at : 0, input_bytes_);
    progress_last_ = progress_started_ ? at : 0;
  }
  progress_started_ = true;
}

}  // namespace detail

IngestResult validate_stream(const schema::Stream& stream, CsvReader& reader, IngestSink& sink, int threads,
                             const Progress& progress) {
  return detail::Validator(stream, reader, sink).run(threads, progress);
}

IngestResult validate_file(const schema::Stream& stream, const std::string& input,
                           const std::string& clean_path, const std::string& rejects_path,
                           const CsvOptions& options, int threads, const Progress& progress) {
  check_distinct_files("validate", {{"input", input}}, {{"output", clean_path}, {"rejects", rejects_path}});
  CsvReader reader = CsvReader::open(input, options);
  // The sink's writers go through io::OutputFile: a run that fails half way (an unterminated
  // quote at the end of the file, a full disk) leaves the outputs as they were.
  CsvFileSink sink(clean_path, rejects_path);
  if (options.keep_digest) sink.keep_digests();
  IngestResult result = validate_stream(stream, reader, sink, threads, progress);
  if (options.keep_digest) {
    result.files = {{"input", input, reader.sha256(), reader.bytes_read()},
                    {"output", clean_path, sink.clean_writer().sha256(), sink.clean_writer().bytes_written()},
                    {"rejects", rejects_path, sink.rejects_writer().sha256(), sink.rejects_writer().bytes_written()}};
  }
  return result;
}

}  // namespace earlyhelp::io
