// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Streaming CSV reader and writer (RFC 4180, "Common Format and MIME Type for Comma-Separated
/// Values (CSV) Files", 2005) with the tolerances real council extracts need.
///
/// Reader:
/// - quoted fields with `""` escapes, delimiters and line breaks inside quotes;
/// - LF, CRLF and lone CR line ends; a UTF-8 byte-order mark at the start is skipped;
/// - completely empty lines are skipped (they still count as physical lines);
/// - reads in blocks (`CsvOptions::block_bytes`) and never holds more than one record: memory is
///   bounded by the block size plus `max_record_bytes`, whatever the file holds. A field longer
///   than `max_field_bytes` is not kept: the record is flagged (CsvIssue::field_too_long), the
///   field is returned empty and the reader resynchronises at the end of the field;
/// - UTF-8 is validated per field (CsvIssue::invalid_utf8 with the field and byte offset);
/// - a quote inside an unquoted field, or text after a closing quote, is kept literally (as
///   Python's csv module and pandas do);
/// - an unterminated quoted field at end of file is a FormatError naming the file, row, line and
///   column, never a silently truncated record;
/// - a file that cannot be CSV text (a PDF, a zip archive such as an .xlsx workbook, an Office
///   97-2003 file, UTF-16 text) is a FormatError naming the file and what it looks like.
/// Ragged rows (a different number of fields than the header) are returned as they are: deciding
/// what to do with them belongs to the caller (io::validate_stream rejects them).
///
/// Writer: RFC 4180 quoting only where needed (a field containing the delimiter, a quote, CR or
/// LF, or leading/trailing spaces), LF line ends, bytes written as given (UTF-8 in, UTF-8 out).
/// A file writer writes through io::OutputFile: `-` is standard output, a device or FIFO is
/// written in place, a regular file appears complete on close() or not at all.
///
/// Example:
/// ```cpp
/// auto reader = earlyhelp::io::CsvReader::open("people.csv");
/// earlyhelp::io::CsvRecord rec;
/// while (reader.next(rec)) fmt::print("row {} has {} fields\n", rec.row, rec.size());
/// ```

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::governance {
class Sha256;
}  // namespace earlyhelp::governance

namespace earlyhelp::io {

namespace detail {
class CsvChunker;
class CsvChunkParser;
}  // namespace detail

/// Reader options. Defaults suit council extracts.
struct CsvOptions {
  char delimiter = ',';                          ///< field separator
  bool has_header = true;                        ///< the first record names the columns
  std::size_t max_field_bytes = 1u << 20;        ///< longest field kept (1 MiB)
  std::size_t max_record_bytes = 16u << 20;      ///< longest record kept (16 MiB)
  std::size_t max_columns = 4096;                ///< most fields kept per record
  std::size_t block_bytes = 1u << 20;            ///< read size (file sources; at least 4)
  bool skip_blank_lines = true;                  ///< ignore lines with no bytes at all
  bool validate_utf8 = true;                     ///< flag fields that are not valid UTF-8
  /// Input bytes per task when io::validate_stream runs on several threads: the input is cut into
  /// chunks of whole records of about this size, each tokenised and checked on its own thread.
  std::size_t chunk_bytes = 1u << 18;
  /// Keep the SHA-256 of every input byte as it is read (CsvReader::sha256), for an audit
  /// record: the file is not read a second time, and standard input gets a digest too.
  bool keep_digest = false;
};

/// A problem found in one record that does not stop reading.
enum class CsvIssue {
  none,
  field_too_long,    ///< a field exceeded max_field_bytes; it is returned empty
  record_too_long,   ///< the record exceeded max_record_bytes; later fields are returned empty
  too_many_columns,  ///< the record has more than max_columns fields; the rest are dropped
  invalid_utf8,      ///< a field is not valid UTF-8 (issue_offset = first bad byte in it)
};

/// Plain-language description of an issue, e.g. "field longer than the limit".
std::string_view to_string(CsvIssue issue) noexcept;

/// One record. Field views point into the reader's buffer and stay valid until the next call to
/// CsvReader::next.
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::size_t row = 0;          ///< 1-based data record number (the header is not counted)
  std::size_t line = 0;         ///< 1-based physical line where the record starts
  CsvIssue issue = CsvIssue::none;
  std::size_t issue_field = 0;   ///< 0-based field the issue concerns
  std::size_t issue_offset = 0;  ///< byte offset inside that field (invalid_utf8)
  std::size_t field_bytes = 0;   ///< bytes seen in that field (field_too_long)

  std::size_t size() const noexcept { return fields.size(); }
  std::string_view operator[](std::size_t i) const noexcept { return fields[i]; }
};

/// Streaming RFC 4180 reader over a file or an in-memory string. Movable, not copyable.
class CsvReader {
 public:
  /// Opens `path` ("-": standard input, named "<standard input>" in messages); reads the header
  /// when `options.has_header`.
  /// @throws IOError if the file cannot be opened or read; FormatError if the header is
  /// malformed (unterminated quote, invalid UTF-8, over-long field).
  static CsvReader open(const std::string& path, const CsvOptions& options = {});
  /// Reads from a copy of `data`; `name` stands for the file in error messages.
  static CsvReader from_string(std::string data, const CsvOptions& options = {},
                               std::string name = "<string>");

  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;
  ~CsvReader();

  /// The column names from the header (empty without a header or for an empty input).
  const std::vector<std::string>& header() const noexcept;
  /// True when the input held no bytes at all (after a byte-order mark).
  bool empty_input() const noexcept;
  /// The file name used in messages.
  const std::string& name() const noexcept;
  /// Input bytes taken from the file or string so far: read in blocks of
  /// CsvOptions::block_bytes, so up to a block ahead of the records returned. For progress. O(1).
  std::uint64_t bytes_read() const noexcept;
  /// The input's size in bytes: a regular file's or the string's; 0 when unknown (a pipe,
  /// standard input). O(1).
  std::uint64_t input_bytes() const noexcept;
  /// Why the file may not be the CSV the caller expects, for an error about its header: it holds
  /// NUL bytes (binary), or its header is one column holding another likely delimiter (`;`,
  /// tab, `|`, `,`). Empty when nothing looks wrong. Example: "the header of a.csv is one
  /// column holding 4 semicolon characters: the file looks semicolon-separated (give that
  /// delimiter)".
  std::string format_hint() const;
  /// The options in force.
  const CsvOptions& options() const noexcept;
  /// With CsvOptions::keep_digest, once the input was read to its end: the lower-case hex
  /// SHA-256 of all its bytes (a byte-order mark included). Otherwise "".
  const std::string& sha256() const noexcept;

  /// Reads the next record into `out`.
  /// @return false at end of input.
  /// @throws FormatError on an unterminated quoted field; IOError on a read failure.
  /// Complexity: O(bytes of the record).
  bool next(CsvRecord& out);

  /// "<file>: row R (line L), column C (name)" for messages; `field` is 0-based.
  std::string location(const CsvRecord& rec, std::size_t field) const;

 private:
  friend class detail::CsvChunker;  // cuts the input into chunks of whole records (lib/io)
  friend class detail::CsvChunkParser;
  struct Impl;
  explicit CsvReader(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

/// Offset of the first byte of `s` that is not part of a well-formed UTF-8 sequence (overlong
/// forms, surrogates and code points above U+10FFFF are ill-formed), or std::string_view::npos.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

/// RFC 4180 writer to a file or to memory. Movable, not copyable.
class CsvWriter {
 public:
  /// Writes to `path` through io::OutputFile ("-" = standard output; a regular file is
  /// replaced only by close()). @throws IOError if it cannot be opened.
  static CsvWriter open(const std::string& path, char delimiter = ',');
  /// Writes to memory; read the text with str().
  explicit CsvWriter(char delimiter = ',');

  CsvWriter(CsvWriter&&) noexcept;
  CsvWriter& operator=(CsvWriter&&) noexcept;
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;
  /// A file writer destroyed without close() leaves no file behind (see io::OutputFile).
  ~CsvWriter();

  /// Appends one field to the current row, quoting it when needed.
  void field(std::string_view value);
  /// Ends the current row with LF.
  void end_row();
  /// Appends whole rows already formatted (fields by append_csv_field, each row ending with LF).
  void rows(std::string_view bytes);
  /// Writes a whole row.
  void write_row(const std::vector<std::string_view>& fields);
  void write_row(std::initializer_list<std::string_view> fields);
  void write_row(const std::vector<std::string>& fields);
  /// Flushes and finishes the file (OutputFile::commit). @throws IOError if a write failed.
  void close();
  /// The text written so far (memory writers; file writers return the unflushed tail).
  const std::string& str() const noexcept { return buf_; }
  /// File writers: keep the SHA-256 and size of the bytes written, for an audit record (the file
  /// need not be read again, and standard output gets a digest too). Call before the first
  /// field. @throws StateError on a memory writer or once bytes were written.
  void keep_digest();
  /// After close() on a writer that keep_digest(): the lower-case hex SHA-256 of every byte
  /// written. Otherwise "".
  const std::string& sha256() const noexcept { return sha256_; }
  /// Bytes written to the file so far.
  std::uint64_t bytes_written() const noexcept { return written_; }

 private:
  void flush();
  std::unique_ptr<OutputFile> file_;
  std::unique_ptr<governance::Sha256> digest_;
  std::string sha256_;
  std::uint64_t written_ = 0;
  std::string buf_;
  char delimiter_ = ',';
  bool at_row_start_ = true;
};

/// True when `value` must be quoted in a CSV field with this delimiter.
bool csv_needs_quotes(std::string_view value, char delimiter = ',') noexcept;

/// Appends `value` to `out` as one CSV field, quoted when needed (as CsvWriter::field writes it,
/// without the delimiter before it).
void append_csv_field(std::string& out, std::string_view value, char delimiter = ',');

}  // namespace earlyhelp::io
