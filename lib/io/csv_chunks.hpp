// SPDX-License-Identifier: Apache-2.0
// Cutting a CsvReader's input into chunks of whole records, so that each chunk can be tokenised on
// its own thread (the parallel io::validate_stream). Private to the library.
//
// A line break may sit inside a quoted field, so a file cannot be cut at any line break. Parallel
// CSV parsers either guess each chunk's starting state and re-parse a chunk whose guess proves
// wrong (speculative parsing), or first count the quotes in each chunk (quote parity) and derive
// every chunk's state from the prefix of counts. Neither is needed here in full: the reader's
// quoted/unquoted state depends only on where the quotes are and on the byte before each quote
// (a quote opens a quoted field only at the start of a field; one inside an unquoted field is
// kept literally; inside a quoted field `""` is a quote and any other quote closes the field). So
// one serial pass that visits only the quotes (memchr) knows the exact state everywhere, and cuts
// after the first line break outside quotes past the chunk size: every chunk starts at a record
// boundary, with no guess to check and nothing parsed twice. On files without quotes the pass is
// a memchr over the bytes, a small fraction of tokenising them.
//
// Usage: after the reader has read its header, CsvChunker::next cuts chunks until the input ends.
// Each chunk is parsed with a CsvChunkParser, whose rows and lines count from 1 within the chunk;
// the caller numbers them by adding the rows and lines (CsvChunkParser::lines) of the chunks
// before. A record that runs past `max_record_bytes` plus the chunk size without a line break
// outside quotes (a huge field, an unterminated quote, a file with CR line ends only) ends the
// chunking (Cut::serial): the caller then reads the rest with CsvReader::next after
// CsvChunker::resume, so memory stays bounded as with the serial reader.

#pragma once

#include "earlyhelp/io/csv.hpp"

#include "io/csv_reader_impl.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp::io::detail {

/// Cuts a reader's input into chunks of whole records (see the file comment).
class CsvChunker {
 public:
  enum class Cut {
    chunk,   ///< `bytes` holds the next whole records
    end,     ///< end of input: no more records
    serial,  ///< no record boundary within the limit: read the rest with CsvReader::next
  };
  /// `reader` must have read its header (if any) and nothing else; it is borrowed for the
  /// chunker's life.
  explicit CsvChunker(CsvReader& reader);
  /// The next chunk: whole records of at least `options().chunk_bytes` bytes (fewer at the end).
  /// @throws IOError on a read failure; FormatError if the input is not CSV text.
  Cut next(std::string& bytes);
  /// The physical line where the first chunk starts.
  std::size_t first_line() const noexcept { return first_line_; }
  /// After Cut::serial: lets CsvReader::next go on from the first record not yet chunked, numbered
  /// as if every earlier record had been read by it.
  void resume(std::size_t rows_read, std::size_t next_line);
  /// The error CsvReader::next would throw for an unterminated quoted field reported by a chunk
  /// parser (`at` with absolute row and line numbers).
  [[noreturn]] void throw_unterminated(const csv_detail::Unterminated& at) const;

 private:
  CsvReader::Impl& r_;
  std::size_t first_line_ = 1;
};

/// Parses the records of one chunk on any thread (one parser per thread).
class CsvChunkParser {
 public:
  /// Parses as `reader` would (its options; no header).
  explicit CsvChunkParser(const CsvReader& reader);
  CsvChunkParser(CsvChunkParser&&) noexcept;
  CsvChunkParser& operator=(CsvChunkParser&&) noexcept;
  ~CsvChunkParser();

  /// Starts on `bytes` (whole records; they must outlive the parsing).
  void reset(std::string_view bytes);
  /// The next record: fields as CsvReader::next gives them; `row` and `line` count from 1 within
  /// the bytes. False at their end, or at an unterminated quoted field (see unterminated()).
  bool next(CsvRecord& rec);
  /// Offsets of the last record's first byte and of the byte after its line break in `bytes`:
  /// parsing that range alone gives the same record.
  std::size_t record_begin() const noexcept;
  std::size_t record_end() const noexcept;
  /// Physical lines read so far (all of them once next() returned false).
  std::size_t lines() const noexcept;
  /// Where an unterminated quoted field began, once next() has returned false on it.
  const std::optional<csv_detail::Unterminated>& unterminated() const noexcept;

 private:
  std::unique_ptr<CsvReader::Impl> impl_;
};

}  // namespace earlyhelp::io::detail
