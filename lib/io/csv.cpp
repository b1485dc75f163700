// SPDX-License-Identifier: Apache-2.0
// Streaming RFC 4180 reader and writer (see include/earlyhelp/io/csv.hpp).
//
// The reader is a four-state machine fed block by block. Field bytes are copied into one record
// buffer (so a record may span blocks and the block can be reused at once); unquoted runs are
// found with a byte-class table and quoted runs with memchr, so the common case touches each
// byte once.

#include "earlyhelp/io/csv.hpp"

#include "io/csv_reader_impl.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

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
  if (options.keep_digest) impl->digest = std::make_unique<governance::Sha256>();
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
  impl->source = impl->memory;
  if (options.keep_digest) impl->digest = std::make_unique<governance::Sha256>();
  if (options.has_header) impl->read_header();
  return CsvReader(std::move(impl));
}

const std::vector<std::string>& CsvReader::header() const noexcept { return impl_->header; }
bool CsvReader::empty_input() const noexcept { return impl_->empty; }
const std::string& CsvReader::name() const noexcept { return impl_->name; }
std::uint64_t CsvReader::bytes_read() const noexcept { return impl_->loaded; }
std::uint64_t CsvReader::input_bytes() const noexcept { return impl_->input_size(); }
const std::string& CsvReader::sha256() const noexcept { return impl_->sha256; }

std::uint64_t CsvReader::Impl::input_size() const noexcept {
  if (file == nullptr) return source.size();
  struct stat st {};
  if (::fstat(::fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}
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
  written_ += buf_.size();
  if (digest_) digest_->update(buf_);
  buf_.clear();
}

void CsvWriter::keep_digest() {
  if (file_ == nullptr) throw StateError("CsvWriter::keep_digest: a memory writer has no file to describe");
  if (written_ > 0 || !buf_.empty()) throw StateError(fmt::format("{}: keep_digest after bytes were written", file_->path()));
  digest_ = std::make_unique<governance::Sha256>();
}

void append_csv_field(std::string& out, std::string_view value, char delimiter) {
  if (!csv_needs_quotes(value, delimiter)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void CsvWriter::field(std::string_view value) {
  if (!at_row_start_) buf_.push_back(delimiter_);
  at_row_start_ = false;
  append_csv_field(buf_, value, delimiter_);
}

void CsvWriter::rows(std::string_view bytes) {
  buf_.append(bytes);
  if (file_ != nullptr && buf_.size() >= (1u << 20)) flush();
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
  if (digest_) {
    sha256_ = governance::to_hex(digest_->finish());
    digest_.reset();
  }
}

}  // namespace earlyhelp::io
