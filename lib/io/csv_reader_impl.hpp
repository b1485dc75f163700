// SPDX-License-Identifier: Apache-2.0
// The CSV reader's state machine (CsvReader::Impl), private to the library: csv.cpp reads with
// it record by record; csv_chunks.cpp cuts the input into chunks of whole records and parses
// each chunk with its own Impl on a worker thread (the parallel validate_stream).
#pragma once

#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::io {

namespace csv_detail {
inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

// What a file that cannot be CSV text looks like, from its first bytes (file signatures; four
// bytes suffice, the smallest block the reader reads), or nullptr.
inline const char* binary_kind(std::string_view head) noexcept {
  if (starts_with(head, "%PDF")) return "a PDF document";
  if (starts_with(head, std::string_view("PK\x03\x04", 4)))
    return "a zip archive (an Excel .xlsx or OpenDocument workbook?): save it as CSV UTF-8";
  if (starts_with(head, "\xD0\xCF\x11\xE0"))
    return "an Office 97-2003 file (an Excel .xls workbook?): save it as CSV UTF-8";
  if (starts_with(head, "\xFF\xFE") || starts_with(head, "\xFE\xFF"))
    return "UTF-16 text: save it as CSV UTF-8";
  return nullptr;
}

inline std::string_view delimiter_name(char c) noexcept {
  switch (c) {
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    case ',': return "comma";
  }
  return "other";
}
// Where an unterminated quoted field began, for a reader that reports it instead of throwing
// (a chunk parser: its row and line numbers count from the start of the chunk).
struct Unterminated {
  std::size_t row = 0;         // 1-based record number
  std::size_t line = 0;        // line where that record starts
  std::size_t column = 0;      // 0-based field
  std::size_t quote_line = 0;  // line of the opening quote
};
}  // namespace csv_detail

struct CsvReader::Impl {
  enum class State { field_start, unquoted, quoted, quote_in_quoted };

  std::string name;
  CsvOptions opt;
  std::FILE* file = nullptr;
  std::string memory;       // the whole input of a from_string reader
  std::string_view source;  // what a reader without a file reads: `memory`, or a chunk's bytes
  bool memory_served = false;
  std::string pushback;     // bytes to read again before the source's next block (csv_chunks.cpp)
  std::string held;         // the pushed-back bytes being read
  std::vector<char> block;
  const char* p = nullptr;
  const char* end = nullptr;
  bool at_input_start = true;
  bool source_done = false;
  std::uint64_t loaded = 0;  // bytes taken from the file or string so far (CsvReader::bytes_read)
  // CsvOptions::keep_digest: every byte taken from the file or string, then its hex once at the end.
  std::unique_ptr<governance::Sha256> digest;
  std::string sha256;
  std::array<bool, 256> special{};  // ends an unquoted run

  std::vector<std::string> header;
  bool empty = false;
  std::string head;  // the first bytes of the input (format_hint)

  // Current record.
  std::string rec;
  std::vector<std::size_t> ends;
  State state = State::field_start;
  bool record_started = false;
  bool pending_cr = false;
  bool skip_field = false;
  bool skip_record = false;
  std::size_t field_start = 0;
  std::size_t field_bytes = 0;
  std::size_t line = 1;
  std::size_t record_line = 1;
  std::size_t quote_line = 1;
  std::size_t rows = 0;
  CsvIssue issue = CsvIssue::none;
  std::size_t issue_field = 0;
  std::size_t issue_bytes = 0;

  bool borrowed_file = false;  // standard input: not ours to close
  const char* record_begin = nullptr;  // first byte of the current record
  // A chunk parser reports an unterminated quoted field here (and ends) instead of throwing.
  bool defer_unterminated = false;
  std::optional<csv_detail::Unterminated> unterminated_at;

  ~Impl() {
    if (file != nullptr && !borrowed_file) std::fclose(file);
  }

  // The input's size in bytes: a regular file's or the string's; 0 when unknown (a pipe).
  std::uint64_t input_size() const noexcept;

  void init_table() {
    special[static_cast<unsigned char>(opt.delimiter)] = true;
    special['\n'] = true;
    special['\r'] = true;
  }

  // Makes [p, end) non-empty; false at end of input.
  bool refill() {
    if (!pushback.empty()) {
      held.swap(pushback);
      pushback.clear();
      p = held.data();
      end = p + held.size();
      return true;
    }
    if (source_done) return false;
    if (file == nullptr) {
      if (memory_served) {
        end_of_source();
        return false;
      }
      memory_served = true;
      p = source.data();
      end = p + source.size();
      loaded += source.size();
      if (digest) digest->update(source);
    } else {
      std::size_t got = std::fread(block.data(), 1, block.size(), file);
      // The byte-order mark check below needs the first three bytes together.
      while (at_input_start && got > 0 && got < 3 && !std::feof(file) && !std::ferror(file))
        got += std::fread(block.data() + got, 1, block.size() - got, file);
      if (got == 0) {
        if (std::ferror(file)) throw IOError(fmt::format("{}: read failed: {}", name, std::strerror(errno)));
        end_of_source();
        return false;
      }
      p = block.data();
      end = p + got;
      loaded += got;
      if (digest) digest->update(std::string_view(block.data(), got));
    }
    if (at_input_start) {
      at_input_start = false;
      head.assign(p, std::min<std::size_t>(static_cast<std::size_t>(end - p), 4096));
      if (const char* what = csv_detail::binary_kind(head)) {
        throw FormatError(fmt::format("{}: not a CSV text file: it looks like {}", name, what));
      }
      if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    }
    return p != end || refill();
  }

  void end_of_source() {
    source_done = true;
    if (digest) {
      sha256 = governance::to_hex(digest->finish());
      digest.reset();
    }
  }

  void flag(CsvIssue what) {
    if (issue == CsvIssue::none) {
      issue = what;
      issue_field = ends.size();
    }
  }

  void append(const char* data, std::size_t n) {
    if (n == 0) return;
    field_bytes += n;
    if (skip_field || skip_record) return;
    if (field_bytes > opt.max_field_bytes) {
      flag(CsvIssue::field_too_long);
      rec.resize(field_start);
      skip_field = true;
      return;
    }
    if (rec.size() + n > opt.max_record_bytes) {
      flag(CsvIssue::record_too_long);
      rec.resize(field_start);
      skip_record = true;
      return;
    }
    rec.append(data, n);
  }

  void end_field() {
    if (issue == CsvIssue::field_too_long && issue_field == ends.size()) issue_bytes = field_bytes;
    if (ends.size() >= opt.max_columns) {
      flag(CsvIssue::too_many_columns);
      rec.resize(field_start);
    } else {
      ends.push_back(rec.size());
    }
    field_start = rec.size();
    field_bytes = 0;
    skip_field = false;
  }

  [[noreturn]] void unterminated() const {
    const std::size_t col = ends.size();
    if (opt.has_header && header.empty() && rows == 0)
      throw_unterminated(fmt::format("header (line {})", record_line), col, quote_line);
    throw_unterminated(fmt::format("row {} (line {})", rows + 1, record_line), col, quote_line);
  }

  // The error for a quoted field still open at the end of the input; `col` is 0-based.
  [[noreturn]] void throw_unterminated(const std::string& where, std::size_t col, std::size_t open_line) const {
    std::string colname = col < header.size() ? fmt::format(" ({})", header[col]) : std::string();
    throw FormatError(fmt::format("{}: {}, column {}{}: unterminated quoted field starting at line {}",
                                  name, where, col + 1, colname, open_line));
  }

  // Parses one record into rec/ends. False at end of input.
  bool parse_record() {
    rec.clear();
    ends.clear();
    state = State::field_start;
    record_started = false;
    skip_field = skip_record = false;
    field_start = field_bytes = 0;
    issue = CsvIssue::none;
    issue_field = issue_bytes = 0;
    const char delim = opt.delimiter;
    for (;;) {
      if (p == end) {
        if (!refill()) {
          if (state == State::quoted) {
            if (!defer_unterminated) unterminated();
            unterminated_at = csv_detail::Unterminated{rows + 1, record_line, ends.size(), quote_line};
            return false;
          }
          if (!record_started) return false;
          end_field();
          return true;
        }
      }
      if (pending_cr) {
        pending_cr = false;
        if (*p == '\n') {
          ++p;
          continue;
        }
      }
      switch (state) {
        case State::field_start:
          if (!record_started) {
            const char c = *p;
            if ((c == '\n' || c == '\r') && opt.skip_blank_lines) {
              ++line;
              pending_cr = c == '\r';
              ++p;
              continue;
            }
            record_started = true;
            record_line = line;
            record_begin = p;
          }
          if (*p == '"') {
            state = State::quoted;
            quote_line = line;
            ++p;
            continue;
          }
          state = State::unquoted;
          [[fallthrough]];
        case State::unquoted: {
          const char* q = p;
          while (q != end && !special[static_cast<unsigned char>(*q)]) ++q;
          append(p, static_cast<std::size_t>(q - p));
          p = q;
          if (q == end) continue;
          const char c = *p++;
          end_field();
          if (c == delim) {
            state = State::field_start;
            continue;
          }
          ++line;
          pending_cr = c == '\r';
          return true;
        }
        case State::quoted: {
          const void* hit = std::memchr(p, '"', static_cast<std::size_t>(end - p));
          const char* q = hit != nullptr ? static_cast<const char*>(hit) : end;
          line += static_cast<std::size_t>(std::count(p, q, '\n'));
          append(p, static_cast<std::size_t>(q - p));
          p = q;
          if (q == end) continue;
          ++p;
          state = State::quote_in_quoted;
          continue;
        }
        case State::quote_in_quoted: {
          const char c = *p;
          if (c == '"') {
            append(p, 1);
            ++p;
            state = State::quoted;
            continue;
          }
          if (c == delim) {
            ++p;
            end_field();
            state = State::field_start;
            continue;
          }
          if (c == '\n' || c == '\r') {
            ++p;
            end_field();
            ++line;
            pending_cr = c == '\r';
            return true;
          }
          // Text after a closing quote is kept literally (Python csv, pandas).
          state = State::unquoted;
          continue;
        }
      }
    }
  }

  void fill(CsvRecord& out) {
    out.fields.clear();
    std::size_t begin = 0;
    for (std::size_t e : ends) {
      out.fields.emplace_back(rec.data() + begin, e - begin);
      begin = e;
    }
    out.line = record_line;
    out.issue = issue;
    out.issue_field = issue_field;
    out.issue_offset = 0;
    out.field_bytes = issue == CsvIssue::field_too_long ? issue_bytes : 0;
    if (opt.validate_utf8 && issue == CsvIssue::none) {
      // Whole-record ASCII check first: almost every record passes it.
      if (find_invalid_utf8(rec) != std::string_view::npos) {
        for (std::size_t i = 0; i < out.fields.size(); ++i) {
          const std::size_t bad = find_invalid_utf8(out.fields[i]);
          if (bad != std::string_view::npos) {
            out.issue = CsvIssue::invalid_utf8;
            out.issue_field = i;
            out.issue_offset = bad;
            break;
          }
        }
      }
    }
  }

  std::string format_hint() const {
    if (head.find('\0') != std::string::npos)
      return fmt::format("{} holds NUL bytes: it looks like a binary file, not CSV text", name);
    if (header.size() != 1) return {};
    // One column: the file may use another delimiter. The likeliest is the one the header holds
    // most of.
    char best = 0;
    std::size_t best_n = 0;
    for (const char c : {';', '\t', '|', ','}) {
      if (c == opt.delimiter) continue;
      const auto n = static_cast<std::size_t>(std::count(header[0].begin(), header[0].end(), c));
      if (n > best_n) best = c, best_n = n;
    }
    if (best_n == 0) return {};
    return fmt::format("the header of {} is one column holding {} {} character{}: the file looks {}-separated "
                       "(give that delimiter)", name, best_n, csv_detail::delimiter_name(best), best_n > 1 ? "s" : "",
                       csv_detail::delimiter_name(best));
  }

  void read_header() {
    if (!parse_record()) {
      empty = true;
      return;
    }
    CsvRecord h;
    fill(h);
    if (h.issue != CsvIssue::none) {
      const std::string hint = format_hint();
      throw FormatError(fmt::format("{}: header (line {}), column {}: {}{}{}", name, h.line, h.issue_field + 1,
                                    to_string(h.issue), hint.empty() ? "" : "; ", hint));
    }
    header.reserve(h.size());
    for (std::string_view f : h.fields) {
      while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
      while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
      header.emplace_back(f);
    }
  }
};

}  // namespace earlyhelp::io
