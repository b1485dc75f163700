// SPDX-License-Identifier: Apache-2.0
// Streaming RFC 4180 reader and writer (see include/earlyhelp/io/csv.hpp).
//
// The reader is a four-state machine fed block by block. Field bytes are copied into one record
// buffer (so a record may span blocks and the block can be reused at once); unquoted runs are
// found with a byte-class table and quoted runs with memchr, so the common case touches each
// byte once.

#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

namespace earlyhelp::io {

std::string_view to_string(CsvIssue issue) noexcept {
  switch (issue) {
    case CsvIssue::none: return "no issue";
    case CsvIssue::field_too_long: return "field longer than the limit";
    case CsvIssue::record_too_long: return "record longer than the limit";
    case CsvIssue::too_many_columns: return "more columns than the limit";
    case CsvIssue::invalid_utf8: return "invalid UTF-8";
  }
  return "unknown issue";
}

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, b + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Table 3-7 of the Unicode Standard: well-formed UTF-8 byte sequences.
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;
    } else {
      return i;  // continuation byte without a lead, C0/C1 overlong lead, or F5..FF
    }
    if (i + len > n || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((b[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

// ---- reader ---------------------------------------------------------------------------------

namespace {
bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

// What a file that cannot be CSV text looks like, from its first bytes (file signatures; four
// bytes suffice, the smallest block the reader reads), or nullptr.
const char* binary_kind(std::string_view head) noexcept {
  if (starts_with(head, "%PDF")) return "a PDF document";
  if (starts_with(head, std::string_view("PK\x03\x04", 4)))
    return "a zip archive (an Excel .xlsx or OpenDocument workbook?): save it as CSV UTF-8";
  if (starts_with(head, "\xD0\xCF\x11\xE0"))
    return "an Office 97-2003 file (an Excel .xls workbook?): save it as CSV UTF-8";
  if (starts_with(head, "\xFF\xFE") || starts_with(head, "\xFE\xFF"))
    return "UTF-16 text: save it as CSV UTF-8";
  return nullptr;
}

std::string_view delimiter_name(char c) noexcept {
  switch (c) {
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    case ',': return "comma";
  }
  return "other";
}
}  // namespace

struct CsvReader::Impl {
  enum class State { field_start, unquoted, quoted, quote_in_quoted };

  std::string name;
  CsvOptions opt;
  std::FILE* file = nullptr;
  std::string memory;  // the whole input of a from_string reader
  bool memory_served = false;
  std::vector<char> block;
  const char* p = nullptr;
  const char* end = nullptr;
  bool at_input_start = true;
  bool source_done = false;
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

  ~Impl() {
    if (file != nullptr && !borrowed_file) std::fclose(file);
  }

  void init_table() {
    special[static_cast<unsigned char>(opt.delimiter)] = true;
    special['\n'] = true;
    special['\r'] = true;
  }

  // Makes [p, end) non-empty; false at end of input.
  bool refill() {
    if (source_done) return false;
    if (file == nullptr) {
      if (memory_served) {
        source_done = true;
        return false;
      }
      memory_served = true;
      p = memory.data();
      end = p + memory.size();
    } else {
      std::size_t got = std::fread(block.data(), 1, block.size(), file);
      // The byte-order mark check below needs the first three bytes together.
      while (at_input_start && got > 0 && got < 3 && !std::feof(file) && !std::ferror(file))
        got += std::fread(block.data() + got, 1, block.size() - got, file);
      if (got == 0) {
        if (std::ferror(file)) throw IOError(fmt::format("{}: read failed: {}", name, std::strerror(errno)));
        source_done = true;
        return false;
      }
      p = block.data();
      end = p + got;
    }
    if (at_input_start) {
      at_input_start = false;
      head.assign(p, std::min<std::size_t>(static_cast<std::size_t>(end - p), 4096));
      if (const char* what = binary_kind(head)) {
        throw FormatError(fmt::format("{}: not a CSV text file: it looks like {}", name, what));
      }
      if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    }
    return p != end || refill();
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
    std::string where = opt.has_header && header.empty() && rows == 0
                            ? fmt::format("header (line {})", record_line)
                            : fmt::format("row {} (line {})", rows + 1, record_line);
    std::string colname = col < header.size() ? fmt::format(" ({})", header[col]) : std::string();
    throw FormatError(fmt::format("{}: {}, column {}{}: unterminated quoted field starting at line {}",
                                  name, where, col + 1, colname, quote_line));
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
          if (state == State::quoted) unterminated();
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
                       "(give that delimiter)", name, best_n, delimiter_name(best), best_n > 1 ? "s" : "",
                       delimiter_name(best));
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

CsvReader::CsvReader(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

namespace {
void check_options(const CsvOptions& o) {
  EH_CHECK(o.delimiter != '"' && o.delimiter != '\n' && o.delimiter != '\r',
           "CsvReader: the delimiter cannot be a quote or a line break");
  EH_CHECK(o.max_field_bytes > 0 && o.max_record_bytes > 0 && o.max_columns > 0 && o.block_bytes > 0,
           "CsvReader: limits must be positive (max_field_bytes {}, max_record_bytes {}, "
           "max_columns {}, block_bytes {})",
           o.max_field_bytes, o.max_record_bytes, o.max_columns, o.block_bytes);
}
}  // namespace

CsvReader CsvReader::open(const std::string& path, const CsvOptions& options) {
  check_options(options);
  auto impl = std::make_unique<Impl>();
  impl->name = path;
  impl->opt = options;
  impl->init_table();
  if (path == "-") {
    impl->name = "<standard input>";
    impl->file = stdin;
    impl->borrowed_file = true;
  } else {
    impl->file = std::fopen(path.c_str(), "rb");
  }
  if (impl->file == nullptr)
    throw IOError(fmt::format("{}: cannot open for reading: {}", path, std::strerror(errno)));
  impl->block.resize(std::max<std::size_t>(options.block_bytes, 4));
  if (options.has_header) impl->read_header();
  return CsvReader(std::move(impl));
}

CsvReader CsvReader::from_string(std::string data, const CsvOptions& options, std::string name) {
  check_options(options);
  auto impl = std::make_unique<Impl>();
  impl->name = std::move(name);
  impl->opt = options;
  impl->init_table();
  impl->memory = std::move(data);
  if (options.has_header) impl->read_header();
  return CsvReader(std::move(impl));
}

const std::vector<std::string>& CsvReader::header() const noexcept { return impl_->header; }
bool CsvReader::empty_input() const noexcept { return impl_->empty; }
const std::string& CsvReader::name() const noexcept { return impl_->name; }
std::string CsvReader::format_hint() const { return impl_->format_hint(); }
const CsvOptions& CsvReader::options() const noexcept { return impl_->opt; }

bool CsvReader::next(CsvRecord& out) {
  if (impl_->empty || !impl_->parse_record()) {
    out.fields.clear();
    return false;
  }
  impl_->fill(out);
  out.row = ++impl_->rows;
  return true;
}

std::string CsvReader::location(const CsvRecord& rec, std::size_t field) const {
  const auto& h = impl_->header;
  if (field < h.size())
    return fmt::format("{}: row {} (line {}), column {} ({})", impl_->name, rec.row, rec.line, field + 1, h[field]);
  return fmt::format("{}: row {} (line {}), column {}", impl_->name, rec.row, rec.line, field + 1);
}

// ---- writer ---------------------------------------------------------------------------------

bool csv_needs_quotes(std::string_view value, char delimiter) noexcept {
  if (value.empty()) return false;
  if (value.front() == ' ' || value.back() == ' ') return true;
  for (char c : value)
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  return false;
}

CsvWriter::CsvWriter(char delimiter) : delimiter_(delimiter) {}

CsvWriter CsvWriter::open(const std::string& path, char delimiter) {
  CsvWriter w(delimiter);
  w.file_ = std::make_unique<OutputFile>(OutputFile::open(path));
  return w;
}

CsvWriter::CsvWriter(CsvWriter&&) noexcept = default;
CsvWriter& CsvWriter::operator=(CsvWriter&&) noexcept = default;
// An unfinished file is discarded by ~OutputFile: a run that fails leaves no partial output.
CsvWriter::~CsvWriter() = default;

void CsvWriter::flush() {
  if (file_ == nullptr || buf_.empty()) return;
  file_->write(buf_);
  buf_.clear();
}

void CsvWriter::field(std::string_view value) {
  if (!at_row_start_) buf_.push_back(delimiter_);
  at_row_start_ = false;
  if (!csv_needs_quotes(value, delimiter_)) {
    buf_.append(value);
    return;
  }
  buf_.push_back('"');
  for (char c : value) {
    if (c == '"') buf_.push_back('"');
    buf_.push_back(c);
  }
  buf_.push_back('"');
}

void CsvWriter::end_row() {
  buf_.push_back('\n');
  at_row_start_ = true;
  if (file_ != nullptr && buf_.size() >= (1u << 20)) flush();
}

void CsvWriter::write_row(const std::vector<std::string_view>& fields) {
  for (std::string_view f : fields) field(f);
  end_row();
}

void CsvWriter::write_row(std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) field(f);
  end_row();
}

void CsvWriter::write_row(const std::vector<std::string>& fields) {
  for (const std::string& f : fields) field(f);
  end_row();
}

void CsvWriter::close() {
  if (file_ == nullptr) return;
  flush();
  file_->commit();
  file_.reset();
}

}  // namespace earlyhelp::io
