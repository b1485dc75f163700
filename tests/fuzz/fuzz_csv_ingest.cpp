// SPDX-License-Identifier: Apache-2.0
// CSV ingest (`earlyhelp validate`): the CSV reader and validate_stream against a stream of the
// built-in schema. Byte 0 picks the stream, byte 1 the reader options (delimiter, tiny read
// blocks so records straddle them, small field/record/column limits, blank lines, UTF-8 checks);
// the rest is the file. Every row read must end clean or rejected: rows read = clean + rejected,
// and the sink sees each row exactly once. On two threads, with the input cut into chunks of a few
// bytes (their size from the input's length), the sink must see the same calls and the same error.

#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"

#include "fuzz_support.hpp"

namespace {

using namespace earlyhelp;

class CountingSink : public io::IngestSink {
 public:
  std::size_t clean_rows = 0, rejected_rows = 0, last_row = 0;
  bool in_order = true;
  void clean(std::size_t row, const std::vector<io::FieldValue>&) override { seen(row, clean_rows); }
  void reject(const io::Reject& r, const std::vector<std::string_view>&) override {
    seen(r.row, rejected_rows);
  }

 private:
  void seen(std::size_t row, std::size_t& count) {
    in_order = in_order && row == last_row + 1;
    last_row = row;
    ++count;
  }
};

// Every call with what it carries, and the run's end (counts or error).
class LoggingSink : public io::IngestSink {
 public:
  std::string log;
  void clean(std::size_t row, const std::vector<io::FieldValue>& values) override {
    log += "clean " + std::to_string(row);
    for (const auto& v : values) log.append("|").append(v.text);
    log += '\n';
  }
  void reject(const io::Reject& r, const std::vector<std::string_view>& raw) override {
    log += "reject " + std::to_string(r.row) + " " + std::to_string(r.line) + " " + r.field + " " + r.reason;
    for (const auto v : raw) log.append("|").append(v);
    log += '\n';
  }
};

std::string run_logged(const schema::Stream& stream, const std::string& text, const io::CsvOptions& opt, int threads) {
  LoggingSink sink;
  try {
    io::CsvReader reader = io::CsvReader::from_string(text, opt, "fuzz.csv");
    sink.log += io::validate_stream(stream, reader, sink, threads).report.to_json();
  } catch (const Error& e) {
    sink.log += std::string("error: ") + e.what();
  }
  return sink.log;
}

io::CsvOptions options(std::uint8_t bits) {
  io::CsvOptions o;
  static const char delimiters[] = {',', ',', ';', '\t'};
  o.delimiter = delimiters[bits & 3u];
  if (bits & 4u) o.block_bytes = 4 + (bits >> 6);
  if (bits & 8u) o.max_field_bytes = 16;
  if (bits & 16u) o.max_record_bytes = 64;
  if (bits & 32u) o.max_columns = 4;
  o.skip_blank_lines = (bits & 64u) == 0;
  o.validate_utf8 = (bits & 128u) == 0;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const schema::Schema builtin = schema::Schema::builtin();
  if (size < 2) return 0;
  const schema::Stream& stream = builtin.streams[data[0] % builtin.streams.size()];
  const io::CsvOptions opt = options(data[1]);
  const std::string text(fuzz::as_text(data + 2, size - 2));

  fuzz::expect_only_errors([&] {
    io::CsvReader reader = io::CsvReader::from_string(text, opt, "fuzz.csv");
    CountingSink sink;
    const io::IngestResult r = io::validate_stream(stream, reader, sink);
    fuzz::check(r.reconciled(), "rows read = rows clean + rows rejected");
    fuzz::check(sink.clean_rows == r.rows_clean && sink.rejected_rows == r.rows_rejected,
                "the sink sees every clean and rejected row once");
    fuzz::check(sink.in_order, "rows reach the sink once each, in input order");
    (void)r.report.to_text();
    (void)r.report.to_json();
  });
  // Two threads, chunks of 1 to 64 bytes: the same calls, report and error as one thread.
  {
    io::CsvOptions chunked = opt;
    chunked.chunk_bytes = 1 + size % 64;
    fuzz::check(run_logged(stream, text, chunked, 2) == run_logged(stream, text, opt, 1),
                "two threads send the calls of one thread");
  }
  // The reader alone, without a header, over the same bytes.
  fuzz::expect_only_errors([&] {
    io::CsvOptions raw = opt;
    raw.has_header = false;
    io::CsvReader reader = io::CsvReader::from_string(text, raw, "fuzz.csv");
    io::CsvRecord rec;
    std::size_t rows = 0;
    while (reader.next(rec)) {
      fuzz::check(rec.row == ++rows, "records are numbered 1, 2, ...");
      fuzz::check(rec.size() <= raw.max_columns, "no record keeps more than max_columns fields");
      for (const std::string_view f : rec.fields) {
        fuzz::check(f.size() <= raw.max_field_bytes, "no field is longer than max_field_bytes");
      }
    }
  });
  return 0;
}
