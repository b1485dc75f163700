// SPDX-License-Identifier: Apache-2.0
// validate_stream on several threads: chunks of whole records through an OrderedPipeline.
//
// Stages of each chunk:
// - cut (the source, serial): the next chunk of whole records (CsvChunker: one pass over the
//   quotes);
// - check (any thread, several chunks at once): tokenise, check every field and, for a sink that
//   formats_clean, format the clean rows; each thread on its own copy of the Validator, whose
//   field counts are summed at the end; the keys of the candidate rows are hashed here too;
// - keys (serial, in input order): the unique-key check only probes and inserts the hashed keys;
// - emit (serial, in input order): row numbers, rejects and clean rows to the sink.
// No barrier between chunks: the key check and the sink of chunk i run while later chunks are
// cut and checked. The sink sees exactly the calls of one thread, in the same order, from one
// thread at a time; the outputs, the keys and the report do not depend on the thread count.
// Memory: 4 x threads chunks in flight.

#include "earlyhelp/core/error.hpp"

#include "io/ordered_pipeline.hpp"
#include "io/validator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace earlyhelp::io::detail {

// A chunk of whole records and what the field checks made of them. A row that is rejected keeps
// only where its bytes are: the emit stage parses it again for the sink (rejects are few).
struct CheckedChunk {
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
    std::size_t offset = 0;  // the normalised value in `key_texts`
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

// Tokenises and checks every record of a chunk (on a checker copy).
void Validator::check_chunk(CheckedChunk& c, CsvChunkParser& parser, const IngestSink* formatter) {
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
    CheckedChunk::Row& r = c.rows.emplace_back();
    r.line = rec.line;
    r.begin = parser.record_begin();
    r.end = parser.record_end();
    r.out_end = c.out.size();
    if (rec.issue != CsvIssue::none || rec.size() != width_) {
      r.state = CheckedChunk::State::malformed;  // the emit stage rejects it
      continue;
    }
    problems_.clear();
    for (std::size_t j = 0; j < nf; ++j) check_field(j, rec);
    check_birth_before_event();
    if (!problems_.empty()) {
      r.state = CheckedChunk::State::failed;
      r.problem_field = problems_.front().field;
      r.kind = problems_.front().kind;
      r.reason = problem_reason();
      continue;
    }
    // Hashing here takes it off the key stage, which only looks the keys up.
    for (const Key& key : keys_) {
      const FieldValue& v = values_[key.field];
      CheckedChunk::KeyRef& k = c.keys.emplace_back();
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
const CsvRecord& Validator::reread(const CheckedChunk& c, std::size_t i, std::size_t row, std::size_t line) {
  const CheckedChunk::Row& r = c.rows[i];
  emit_parser_->reset(std::string_view(c.bytes).substr(r.begin, r.end - r.begin));
  emit_parser_->next(emit_rec_);
  emit_rec_.row = row;
  emit_rec_.line = line;
  return emit_rec_;
}

// The key checks of a checked chunk's candidate rows, in input order (serial): marks the
// duplicates and records the others' keys.
void Validator::keys_chunk(CheckedChunk& c) {
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
    CheckedChunk::Row& r = c.rows[i];
    if (r.state != CheckedChunk::State::candidate) continue;
    const std::size_t k0 = candidate * nk;
    for (std::size_t k = (candidate + kAhead) * nk; k < std::min((candidate + kAhead + 1) * nk, n_keys); ++k)
      if (!c.keys[k].missing) keys_[k % nk].index.prefetch(c.keys[k].hash);
    ++candidate;
    r.duplicate_of = 0;
    for (std::size_t k = 0; k < nk && r.duplicate_of == 0; ++k) {
      const CheckedChunk::KeyRef& ref = c.keys[k0 + k];
      if (ref.missing) continue;
      r.duplicate_of = keys_[k].index.find(std::string_view(c.key_texts.data() + ref.offset, ref.size), ref.hash);
      r.duplicate_key = k;
    }
    if (r.duplicate_of != 0) continue;
    for (std::size_t k = 0; k < nk; ++k) {
      const CheckedChunk::KeyRef& ref = c.keys[k0 + k];
      if (!ref.missing)
        keys_[k].index.insert(std::string_view(c.key_texts.data() + ref.offset, ref.size), ref.hash, key_rows_ + i + 1);
    }
  }
  key_rows_ += c.rows.size();
}

// Rejects and clean rows of a chunk whose keys are checked, in input order (serial).
void Validator::emit_chunk(const CheckedChunk& c, bool formatted) {
  const std::size_t nf = plans_.size();
  std::size_t candidate = 0;
  std::size_t out_begin = 0;
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const CheckedChunk::Row& r = c.rows[i];
    const std::size_t row = rows_base_ + i + 1;
    const std::size_t line = line_base_ + r.line - 1;
    ++report_.rows_read;
    if (r.state == CheckedChunk::State::malformed) {
      reject_malformed(reread(c, i, row, line));
      continue;
    }
    if (r.state == CheckedChunk::State::failed) {
      reject(reread(c, i, row, line), plans_[r.problem_field].field->name, r.kind, r.reason);
      continue;
    }
    const std::size_t v0 = candidate * nf;
    ++candidate;
    const std::string_view bytes(c.out.data() + out_begin, r.out_end - out_begin);
    out_begin = r.out_end;
    if (r.duplicate_of != 0) {
      const std::size_t j = keys_[r.duplicate_key].field;
      ++report_.fields[j].n_duplicates;
      reject(reread(c, i, row, line), plans_[j].field->name, RejectKind::duplicate_key,
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

// The field counts of a checker copy, added to this validator's report.
void Validator::add_field_counts(const Validator& checker) {
  for (std::size_t j = 0; j < report_.fields.size(); ++j) {
    FieldQuality& q = report_.fields[j];
    const FieldQuality& o = checker.report_.fields[j];
    q.n_missing += o.n_missing;
    q.n_present += o.n_present;
    q.n_valid += o.n_valid;
    q.n_invalid += o.n_invalid;
    q.n_invalid_format += o.n_invalid_format;
    if (o.min_date && (!q.min_date || *o.min_date < *q.min_date)) q.min_date = o.min_date;
    if (o.max_date && (!q.max_date || *o.max_date > *q.max_date)) q.max_date = o.max_date;
  }
}

void Validator::run_parallel(int threads) {
  const auto n = static_cast<std::size_t>(threads);
  const std::size_t slots = 4 * n;
  CsvChunker chunker(reader_);
  chunker_ = &chunker;
  CsvChunkParser emit_parser(reader_);
  emit_parser_ = &emit_parser;
  rows_base_ = key_rows_ = 0;
  line_base_ = chunker.first_line();
  const bool formatted = sink_.formats_clean();
  const IngestSink* formatter = formatted ? &sink_ : nullptr;
  std::vector<CheckedChunk> chunks(slots);
  std::vector<Validator> checkers(n, *this);
  std::vector<CsvChunkParser> parsers;
  for (std::size_t i = 0; i < n; ++i) parsers.emplace_back(reader_);
  bool serial_rest = false;
  // Input bytes read so far, for the progress the calling thread reports (the reader itself is
  // the cut stage's, on whichever thread runs it).
  std::atomic<std::uint64_t> read{0};

  OrderedPipeline pipeline;
  pipeline.source = [&](std::size_t slot) {
    const CsvChunker::Cut cut = chunker.next(chunks[slot].bytes);
    read.store(reader_.bytes_read(), std::memory_order_relaxed);
    if (cut == CsvChunker::Cut::chunk) return true;
    serial_rest = cut == CsvChunker::Cut::serial;
    return false;
  };
  pipeline.work = [&](std::size_t worker, std::size_t slot) {
    checkers[worker].check_chunk(chunks[slot], parsers[worker], formatter);
  };
  if (!keys_.empty()) pipeline.tail.emplace_back([&](std::size_t slot) { keys_chunk(chunks[slot]); });
  pipeline.tail.emplace_back([&](std::size_t slot) { emit_chunk(chunks[slot], formatted); });
  pipeline.after_caller_task = [&] { report_progress(false, read.load(std::memory_order_relaxed)); };
  pipeline.run(n, slots);

  for (const Validator& c : checkers) add_field_counts(c);
  if (serial_rest) {
    // A record too long to chunk: the reader goes on from it, numbering rows and lines on.
    chunker.resume(rows_base_, line_base_);
    CsvRecord rec;
    while (reader_.next(rec)) {
      ++report_.rows_read;
      check_row(rec);
      if (report_.rows_read % kProgressRows == 0) report_progress(false, reader_.bytes_read());
    }
  }
  chunker_ = nullptr;
  emit_parser_ = nullptr;
}

}  // namespace earlyhelp::io::detail
