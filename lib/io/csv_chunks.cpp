// SPDX-License-Identifier: Apache-2.0
// Chunks of whole records for parallel tokenising (see csv_chunks.hpp).

#include "io/csv_chunks.hpp"


#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

namespace earlyhelp::io::detail {

namespace {

// The reader's quote state between blocks of a chunk being cut.
struct QuoteScan {
  bool inside = false;         // in a quoted field
  bool quote_pending = false;  // inside, the last byte seen was a quote: the next byte decides
  char prev = '\n';            // the byte before the next one (a chunk starts at a field start)
};

bool field_boundary(char c, char delimiter) noexcept { return c == delimiter || c == '\n' || c == '\r'; }

// Offset just after the first line break outside quotes at or after `from` in d[0, n), or
// npos; `s` carries the quote state from the bytes before and on to the bytes after.
std::size_t find_record_cut(const char* d, std::size_t n, std::size_t from, QuoteScan& s, char delimiter) noexcept {
  std::size_t i = 0;
  if (s.quote_pending && n > 0) {
    s.quote_pending = false;
    if (d[0] == '"') {
      i = 1;  // `""`: a quote inside the field
    } else {
      s.inside = false;
    }
  }
  while (i < n) {
    const void* hit = std::memchr(d + i, '"', n - i);
    const std::size_t q = hit != nullptr ? static_cast<std::size_t>(static_cast<const char*>(hit) - d) : n;
    if (s.inside) {
      if (q == n) break;
      if (q + 1 == n) {
        s.quote_pending = true;
        break;
      }
      if (d[q + 1] == '"') {
        i = q + 2;
        continue;
      }
      s.inside = false;  // closes the field; what follows is outside quotes
      i = q + 1;
      continue;
    }
    // Outside quotes up to q: a line break there ends a record.
    const std::size_t a = std::max(i, from);
    if (a < q) {
      if (const void* nl = std::memchr(d + a, '\n', q - a))
        return static_cast<std::size_t>(static_cast<const char*>(nl) - d) + 1;
    }
    if (q == n) break;
    // A quote opens a quoted field only at the start of a field; elsewhere it is kept literally.
    s.inside = field_boundary(q > 0 ? d[q - 1] : s.prev, delimiter);
    i = q + 1;
  }
  if (n > 0) s.prev = d[n - 1];
  return std::string_view::npos;
}

}  // namespace

CsvChunker::CsvChunker(CsvReader& reader) : r_(*reader.impl_), first_line_(reader.impl_->line) {}

CsvChunker::Cut CsvChunker::next(std::string& bytes) {
  bytes.clear();
  if (r_.empty) return Cut::end;
  const std::size_t target = std::max<std::size_t>(r_.opt.chunk_bytes, 1);
  const std::size_t limit = r_.opt.max_record_bytes + target;
  QuoteScan scan;
  for (;;) {
    if (r_.p == r_.end && !r_.refill()) return bytes.empty() ? Cut::end : Cut::chunk;
    if (r_.pending_cr) {
      // The record before ended with CR: an LF right after it belongs to that line break.
      r_.pending_cr = false;
      if (*r_.p == '\n') {
        ++r_.p;
        continue;
      }
    }
    // Scan no further than the limit allows (a string source is one block of any size).
    const std::size_t room = bytes.size() <= limit ? limit + 1 - bytes.size() : 1;
    const std::size_t n = std::min(static_cast<std::size_t>(r_.end - r_.p), room);
    const std::size_t from = bytes.size() >= target ? 0 : target - bytes.size();
    const std::size_t cut = find_record_cut(r_.p, n, from, scan, r_.opt.delimiter);
    if (cut != std::string_view::npos) {
      bytes.append(r_.p, cut);
      r_.p += cut;
      return Cut::chunk;
    }
    bytes.append(r_.p, n);
    r_.p += n;
    if (bytes.size() > limit) {
      // No record boundary in sight: the serial reader reads these bytes again, then the rest
      // of the block, then the source.
      bytes.append(r_.p, r_.end);
      r_.p = r_.end;
      r_.pushback = std::move(bytes);
      bytes.clear();
      return Cut::serial;
    }
  }
}

void CsvChunker::resume(std::size_t rows_read, std::size_t next_line) {
  r_.rows = rows_read;
  r_.line = next_line;
}

void CsvChunker::throw_unterminated(const csv_detail::Unterminated& at) const {
  r_.throw_unterminated(fmt::format("row {} (line {})", at.row, at.line), at.column, at.quote_line);
}

CsvChunkParser::CsvChunkParser(const CsvReader& reader) : impl_(std::make_unique<CsvReader::Impl>()) {
  const CsvReader::Impl& r = *reader.impl_;
  impl_->name = r.name;
  impl_->opt = r.opt;
  impl_->opt.has_header = false;
  impl_->init_table();
  impl_->at_input_start = false;  // the reader has checked the start of the input
  impl_->defer_unterminated = true;
}

CsvChunkParser::CsvChunkParser(CsvChunkParser&&) noexcept = default;
CsvChunkParser& CsvChunkParser::operator=(CsvChunkParser&&) noexcept = default;
CsvChunkParser::~CsvChunkParser() = default;

void CsvChunkParser::reset(std::string_view bytes) {
  CsvReader::Impl& m = *impl_;
  m.source = bytes;
  m.memory_served = false;
  m.source_done = false;
  m.p = m.end = nullptr;
  m.pending_cr = false;
  m.line = 1;
  m.rows = 0;
  m.record_begin = nullptr;
  m.unterminated_at.reset();
}

bool CsvChunkParser::next(CsvRecord& rec) {
  CsvReader::Impl& m = *impl_;
  if (!m.parse_record()) {
    rec.fields.clear();
    return false;
  }
  m.fill(rec);
  rec.row = ++m.rows;
  return true;
}

std::size_t CsvChunkParser::record_begin() const noexcept {
  return static_cast<std::size_t>(impl_->record_begin - impl_->source.data());
}

std::size_t CsvChunkParser::record_end() const noexcept {
  return static_cast<std::size_t>(impl_->p - impl_->source.data());
}

std::size_t CsvChunkParser::lines() const noexcept { return impl_->line - 1; }

const std::optional<csv_detail::Unterminated>& CsvChunkParser::unterminated() const noexcept {
  return impl_->unterminated_at;
}

}  // namespace earlyhelp::io::detail
