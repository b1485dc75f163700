// SPDX-License-Identifier: Apache-2.0
// validate_stream / validate_file on several threads: the same outputs, keys and report as one.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "schema_test_fields.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace earlyhelp;
using earlyhelp::schema::Field;
using earlyhelp::schema::FieldType;
using earlyhelp::schema::Stream;
using eh_test::make_field;

namespace {

Stream people() {
  Stream s;
  s.name = "people";
  s.kind = "event";
  s.event_date_field = "seen";
  s.record_id_field = "id";
  Field id = make_field("id", FieldType::identifier);
  id.unique = true;
  id.nullable = false;
  Field dob = make_field("dob", FieldType::date);
  dob.link_key = "dob";
  dob.min_date = from_civil(1900, 1, 1);
  Field seen = make_field("seen", FieldType::date);
  Field sex = make_field("sex", FieldType::category);
  sex.categories = {"F", "M"};
  Field pc = make_field("postcode", FieldType::text);
  pc.format = "uk_postcode";
  Field age = make_field("age", FieldType::integer);
  age.max = 120;
  Field note = make_field("note", FieldType::text);
  note.max_length = 12;
  s.fields = {id, dob, seen, sex, pc, age, note};
  return s;
}

// 5,000 rows, more than the batches of one step at 2 threads (4 x 1,024 rows), with quoted
// newlines on both sides of each batch boundary, keys repeated across batches, and rejects of
// every stage: field checks, birth after the event, row shape, encoding, duplicate keys.
std::string extract() {
  std::string csv = "id,dob,seen,sex,postcode,age,note\n";
  for (int i = 1; i <= 5000; ++i) {
    const bool boundary = i % 1024 >= 1022 || i % 1024 <= 2;
    const std::string note = boundary ? "\"line\nbreak\"" : (i % 7 == 0 ? "\"a, b\"" : "");
    std::string id = fmt::format("P{}", i);
    if (i % 997 == 0) id = fmt::format("P{}", i - 990);     // a duplicate of an earlier batch's key
    std::string dob = fmt::format("{:02}/0{}/2001", 1 + i % 28, 1 + i % 9);
    if (i % 301 == 0) dob = "31/02/2001";                    // impossible date
    if (i % 409 == 0) dob = "2030-01-01";                    // born after the event
    std::string pc = i % 211 == 0 ? "NOT A PC" : "sw1a 2aa";
    std::string sex = i % 2 == 0 ? "f" : "M";
    csv += fmt::format("{},{},2020-06-0{},{},{},{},{}", id, dob, 1 + i % 9, sex, pc, i % 130, note);
    if (i % 503 == 0) csv += ",surplus";                     // ragged row
    if (i % 1500 == 0) csv += "\xff";                        // invalid UTF-8
    csv += i % 3 == 0 ? "\r\n" : "\n";
  }
  return csv;
}

struct Calls : io::IngestSink {
  std::string log;
  void clean(std::size_t row, const std::vector<io::FieldValue>& values) override {
    log += fmt::format("clean {}", row);
    for (const auto& v : values) log += fmt::format("|{}:{}:{}", v.text, v.missing, v.integer);
    log += '\n';
  }
  void reject(const io::Reject& r, const std::vector<std::string_view>& raw) override {
    log += fmt::format("reject {} {} {} {} {}", r.row, r.line, r.field, io::to_string(r.kind), r.reason);
    for (auto v : raw) log += fmt::format("|{}", v);
    log += '\n';
  }
};

// Three free-text columns, the first a unique key over a small alphabet (duplicates), the second
// at most 6 bytes (rejects).
Stream notes() {
  Stream s;
  s.name = "notes";
  Field a = make_field("a", FieldType::identifier);
  a.unique = true;
  Field b = make_field("b", FieldType::text);
  b.max_length = 6;
  s.fields = {a, b, make_field("c", FieldType::text)};
  return s;
}

// Random CSV that a chunker can get wrong: quoted fields with delimiters, quotes, CR and LF inside;
// quotes kept literally (inside an unquoted field, text after a closing quote); LF, CRLF and lone
// CR line ends; blank lines; ragged rows; invalid UTF-8; a BOM; sometimes an unterminated quote at
// the end.
std::string random_csv(std::mt19937& rng) {
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const std::string alphabet = "ab ,\"\n\rxy";
  std::string text = pick(3) == 0 ? "\xEF\xBB\xBF" : "";
  text += pick(2) == 0 ? "a,b,c\r\n" : "a,b,c\n";
  const int n_rows = 1 + pick(30);
  for (int r = 0; r < n_rows; ++r) {
    const int n_fields = pick(8) == 0 ? 1 + pick(5) : 3;
    for (int c = 0; c < n_fields; ++c) {
      if (c > 0) text += ',';
      std::string field;
      for (int k = pick(5); k > 0; --k) field += alphabet[static_cast<std::size_t>(pick(static_cast<int>(alphabet.size())))];
      if (c == 0 && pick(2) == 0) field = std::string(1, "pqr"[pick(3)]);  // repeated keys
      switch (pick(5)) {
        case 0:  // literal: quotes kept as they are, line breaks and delimiters dropped
          for (char ch : field)
            if (ch != ',' && ch != '\n' && ch != '\r') text += ch;
          break;
        case 1:  // text after a closing quote
          text += "\"q\"" + std::string(pick(2) == 0 ? "\"" : "z");
          break;
        case 2:
          text += pick(6) == 0 ? "\xFF" : "";
          [[fallthrough]];
        default:
          text += '"';
          for (char ch : field) {
            if (ch == '"') text += '"';
            text += ch;
          }
          text += '"';
      }
    }
    const int eol = pick(5);
    if (r + 1 < n_rows || pick(2) == 0) text += eol == 0 ? "\r\n" : eol == 1 ? "\r" : "\n";
    if (pick(6) == 0) text += pick(2) == 0 ? "\n" : "\r\n";  // blank line
  }
  if (pick(8) == 0) text += "\"open";
  return text;
}

// The calls of a run and, if it threw, the error.
std::string run_logged(const Stream& s, const std::string& csv, const io::CsvOptions& o, int threads) {
  Calls calls;
  try {
    auto reader = io::CsvReader::from_string(csv, o, "notes.csv");
    const io::IngestResult r = io::validate_stream(s, reader, calls, threads);
    calls.log += r.report.to_json();
  } catch (const Error& e) {
    calls.log += fmt::format("error: {}", e.what());
  }
  return calls.log;
}

// A fresh temporary folder `prefix`<pid> holding extract() as in.csv.
std::filesystem::path extract_in_folder(const std::string& prefix) {
  const auto dir = std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream f(dir / "in.csv", std::ios::binary);
  f << extract();
  return dir;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_SUITE("ingest") {
  TEST_CASE("ingest.parallel: 1 and 2 threads send the same calls, in order, and the same report") {
    const Stream s = people();
    const std::string csv = extract();
    io::CsvOptions small_blocks;
    small_blocks.block_bytes = 97;  // reader blocks end inside quoted fields too
    auto run = [&](int threads, Calls& calls) {
      auto reader = io::CsvReader::from_string(csv, small_blocks, "people.csv");
      return io::validate_stream(s, reader, calls, threads);
    };
    Calls one, two;
    const io::IngestResult r1 = run(1, one);
    const io::IngestResult r2 = run(2, two);
    CHECK(r1.rows_read == 5000);
    CHECK(r1.reconciled());
    CHECK(r1.report.fields[0].n_duplicates >= 3);
    CHECK(r1.rows_rejected > 40);
    CHECK(two.log == one.log);
    CHECK(r2.rows_read == r1.rows_read);
    CHECK(r2.rows_clean == r1.rows_clean);
    CHECK(r2.rows_rejected == r1.rows_rejected);
    CHECK(r2.report.to_json() == r1.report.to_json());
    // More threads than the machine has are clamped; the result is still the same.
    Calls many;
    CHECK(run(64, many).report.to_json() == r1.report.to_json());
    CHECK(many.log == one.log);
  }

  TEST_CASE("ingest.parallel: validate_file writes byte-identical files at 1 and 2 threads") {
    namespace fs = std::filesystem;
    const fs::path dir = extract_in_folder("eh_test_ingest_parallel_");
    const Stream s = people();
    io::CsvOptions o;
    o.block_bytes = 4096;
    const auto r1 = io::validate_file(s, (dir / "in.csv").string(), (dir / "c1.csv").string(), (dir / "r1.csv").string(), o, 1);
    const auto r2 = io::validate_file(s, (dir / "in.csv").string(), (dir / "c2.csv").string(), (dir / "r2.csv").string(), o, 2);
    CHECK(r1.rows_clean + r1.rows_rejected == 5000);
    CHECK(slurp(dir / "c2.csv") == slurp(dir / "c1.csv"));
    CHECK(slurp(dir / "r2.csv") == slurp(dir / "r1.csv"));
    CHECK(slurp(dir / "c1.csv").find("\"line\nbreak\"") != std::string::npos);
    CHECK(r2.report.to_text() == r1.report.to_text());
    fs::remove_all(dir);
  }

  TEST_CASE("ingest.parallel: progress in input bytes from 0 to the file's size, on the calling thread") {
    namespace fs = std::filesystem;
    const fs::path dir = extract_in_folder("eh_test_ingest_progress_");
    const auto size = static_cast<std::uint64_t>(fs::file_size(dir / "in.csv"));
    io::CsvOptions o;
    o.block_bytes = 4096;
    o.chunk_bytes = 4096;  // many steps of chunks at 2 threads
    for (const int threads : {1, 2}) {
      CAPTURE(threads);
      struct Call {
        std::string stage;
        std::uint64_t done, total;
        std::thread::id thread;
      };
      std::vector<Call> calls;
      const Progress progress([&](std::string_view stage, std::uint64_t done, std::uint64_t total) {
        calls.push_back({std::string(stage), done, total, std::this_thread::get_id()});
      });
      const auto r = io::validate_file(people(), (dir / "in.csv").string(), (dir / "c.csv").string(),
                                       (dir / "r.csv").string(), o, threads, progress);
      CHECK(r.rows_read == 5000);
      REQUIRE(calls.size() >= 2);
      CHECK(calls.front().done == 0);
      CHECK(calls.back().done == size);
      for (std::size_t i = 0; i < calls.size(); ++i) {
        CHECK(calls[i].stage == "validate");
        CHECK(calls[i].total == size);
        CHECK(calls[i].thread == std::this_thread::get_id());
        if (i > 0) CHECK(calls[i].done > calls[i - 1].done);
      }
      if (threads == 2) CHECK(calls.size() >= 4);  // steps in between, not only the ends
    }
    fs::remove_all(dir);
  }

  TEST_CASE("ingest.parallel: chunks cut anywhere in random CSV give the calls, rows and lines of one thread") {
    const Stream s = notes();
    std::mt19937 rng(20261207);
    for (int trial = 0; trial < 15; ++trial) {
      const std::string csv = random_csv(rng);
      std::string shown;  // the input, escaped, for failure messages
      for (char ch : csv) shown += ch == '\n' ? std::string("\\n") : ch == '\r' ? std::string("\\r") : std::string(1, ch);
      CAPTURE(shown);
      io::CsvOptions o;
      const std::string one = run_logged(s, csv, o, 1);
      for (std::size_t chunk : {1, 4, 40}) {
        for (std::size_t block : {std::size_t{5}, std::size_t{1} << 20}) {
          CAPTURE(chunk);
          CAPTURE(block);
          o.chunk_bytes = chunk;
          o.block_bytes = block;
          CHECK(run_logged(s, csv, o, 2) == one);
        }
      }
    }
  }

  TEST_CASE("ingest.parallel: a record too long to chunk hands the rest to the serial reader, numbering on") {
    const Stream s = notes();
    std::string csv = "a,b,c\n";
    for (int i = 0; i < 40; ++i) csv += fmt::format("k{},\"x\ny\",z\r\n", i);
    csv += "big,\"" + std::string(300, 'w') + "\",z\n";  // no line break for 300 bytes: over the limit
    for (int i = 40; i < 60; ++i) csv += fmt::format("k{},b,\"c\nc\"\n", i);
    csv += "k3,dup,\n";
    io::CsvOptions o;
    o.max_record_bytes = 100;
    o.chunk_bytes = 16;
    o.block_bytes = 32;
    const std::string one = run_logged(s, csv, o, 1);
    CHECK(one.find("reject 41 ") != std::string::npos);  // the long record
    CHECK(one.find("reject 62 123 a duplicate_key duplicate key: same value as row 4") != std::string::npos);
    CHECK(run_logged(s, csv, o, 2) == one);
    CHECK(run_logged(s, csv, o, 64) == one);
  }

  TEST_CASE("ingest.parallel: an unterminated quote in the last chunk names the file, row and lines as one thread does") {
    const Stream s = notes();
    std::string csv = "\xEF\xBB\xBF" "a,b,c\r\n";
    for (int i = 0; i < 50; ++i) csv += fmt::format("k{},\"x\r\ny\",\n", i);
    csv += "k50,\"open\nstill open";
    io::CsvOptions o;
    o.chunk_bytes = 10;
    const std::string one = run_logged(s, csv, o, 1);
    CHECK(one.find("error: notes.csv: row 51 (line 102), column 2 (b): unterminated quoted field starting at line 102") != std::string::npos);
    CHECK(run_logged(s, csv, o, 2) == one);
  }

  TEST_CASE("ingest.parallel: a sink that throws stops every thread, and the caller gets its error") {
    // The sink runs in the pipeline's last stage while other threads cut and check later chunks:
    // its error must end the run (no thread left waiting), whatever the thread count.
    struct Failing : Calls {
      std::size_t calls = 0;
      void clean(std::size_t row, const std::vector<io::FieldValue>& values) override {
        if (++calls == 3000) throw IOError("disk full (test)");
        Calls::clean(row, values);
      }
    };
    const Stream s = people();
    const std::string csv = extract();
    io::CsvOptions o;
    o.chunk_bytes = 2048;  // many chunks in flight when the sink fails
    for (const int threads : {1, 2, 64}) {
      CAPTURE(threads);
      Failing sink;
      auto reader = io::CsvReader::from_string(csv, o, "people.csv");
      CHECK_THROWS_WITH_AS(io::validate_stream(s, reader, sink, threads), "disk full (test)", IOError);
      CHECK(sink.calls == 3000);
    }
  }

  TEST_CASE("ingest.parallel: a header alone, a short file and a broken quote on 2 threads") {
    const Stream s = people();
    Calls none;
    auto empty = io::CsvReader::from_string("id,dob,seen,sex,postcode,age,note\n");
    CHECK(io::validate_stream(s, empty, none, 2).rows_read == 0);
    CHECK(none.log.empty());
    Calls one, two;
    const std::string small = "id,dob,seen,sex,postcode,age,note\nP1,01/01/2000,2020-01-01,F,,3,\nP1,,,,,,\n";
    auto a = io::CsvReader::from_string(small);
    auto b = io::CsvReader::from_string(small);
    io::validate_stream(s, a, one, 1);
    io::validate_stream(s, b, two, 2);
    CHECK(two.log == one.log);
    Calls broken;
    auto c = io::CsvReader::from_string(extract() + "P9999,\"01/01/2000,2020-01-01,F,,3,\n", {}, "people.csv");
    CHECK_THROWS_WITH_AS(io::validate_stream(s, c, broken, 2), doctest::Contains("people.csv: row 5001"), FormatError);
  }
}
