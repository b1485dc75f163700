// SPDX-License-Identifier: Apache-2.0
#include "alloc_probe.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/io/csv.hpp"
#include "reference/csv_reference.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace earlyhelp;
using earlyhelp::io::CsvIssue;
using earlyhelp::io::CsvOptions;
using earlyhelp::io::CsvReader;
using earlyhelp::io::CsvRecord;
using earlyhelp::io::CsvWriter;

namespace {

std::vector<std::vector<std::string>> read_all(CsvReader& r, std::vector<std::size_t>* lines = nullptr) {
  std::vector<std::vector<std::string>> out;
  CsvRecord rec;
  while (r.next(rec)) {
    REQUIRE(rec.issue == CsvIssue::none);
    out.emplace_back(rec.fields.begin(), rec.fields.end());
    if (lines) lines->push_back(rec.line);
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

CsvOptions no_header() {
  CsvOptions o;
  o.has_header = false;
  return o;
}

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& stem) {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("eh_test_csv_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + stem);
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  void write(const std::string& data) const {
    std::ofstream f(path, std::ios::binary);
    f << data;
  }
};

}  // namespace

TEST_SUITE("csv") {
  TEST_CASE("csv.reader: header, quotes, doubled quotes, delimiters and newlines inside quotes") {
    auto r = CsvReader::from_string(
        "id,name,note\n1,\"Smith, J\",\"said \"\"hi\"\"\"\n2,Ann,\"two\nlines\"\n3,,\n", {}, "t.csv");
    CHECK(r.header() == std::vector<std::string>{"id", "name", "note"});
    std::vector<std::size_t> lines;
    const Rows rows = read_all(r, &lines);
    CHECK(rows == Rows{{"1", "Smith, J", "said \"hi\""}, {"2", "Ann", "two\nlines"}, {"3", "", ""}});
    CHECK(lines == std::vector<std::size_t>{2, 3, 5});
  }

  TEST_CASE("csv.reader: CRLF, lone CR, BOM, blank lines, no final newline") {
    auto r = CsvReader::from_string("\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"\r4,5", {});
    CHECK(r.header() == std::vector<std::string>{"a", "b"});
    std::vector<std::size_t> lines;
    CHECK(read_all(r, &lines) == Rows{{"1", "2"}, {"3", "x\r\ny"}, {"4", "5"}});
    CHECK(lines == std::vector<std::size_t>{2, 4, 6});
  }

  TEST_CASE("csv.reader: row numbers count data records, not the header or blank lines") {
    auto r = CsvReader::from_string("h\n\na\n\nb\n", {});
    CsvRecord rec;
    REQUIRE(r.next(rec));
    CHECK(rec.row == 1);
    CHECK(rec.line == 3);
    REQUIRE(r.next(rec));
    CHECK(rec.row == 2);
    CHECK(rec.line == 5);
    CHECK_FALSE(r.next(rec));
    CHECK_FALSE(r.next(rec));  // stays at end
  }

  TEST_CASE("csv.reader: trailing delimiter gives an empty last field, and a quote inside unquoted is literal") {
    auto r = CsvReader::from_string("a,b,\n5\"x,\"q\"z\n", no_header());
    CHECK(read_all(r) == Rows{{"a", "b", ""}, {"5\"x", "qz"}});
  }

  TEST_CASE("csv.reader: an unterminated quote is a FormatError naming file, row, column and line") {
    auto r = CsvReader::from_string("id,address,x\n1,\"ok\",2\n2,\"12 High St\n3,b,c\n", {}, "people.csv");
    CsvRecord rec;
    REQUIRE(r.next(rec));
    CHECK_THROWS_WITH_AS(r.next(rec),
                         "people.csv: row 2 (line 3), column 2 (address): unterminated quoted field "
                         "starting at line 3",
                         FormatError);
    // In the header too.
    CHECK_THROWS_WITH_AS(CsvReader::from_string("a,\"b\n", {}, "h.csv"),
                         "h.csv: header (line 1), column 2: unterminated quoted field starting at line 1",
                         FormatError);
  }

  TEST_CASE("csv.reader: empty file and header-only file") {
    auto empty = CsvReader::from_string("", {});
    CHECK(empty.empty_input());
    CHECK(empty.header().empty());
    CsvRecord rec;
    CHECK_FALSE(empty.next(rec));
    auto bom_only = CsvReader::from_string("\xEF\xBB\xBF", {});
    CHECK(bom_only.empty_input());
    auto header_only = CsvReader::from_string("a,b\n", {});
    CHECK_FALSE(header_only.empty_input());
    CHECK(header_only.header().size() == 2);
    CHECK_FALSE(header_only.next(rec));
    // A zero-byte file on disk.
    TempFile f("empty.csv");
    f.write("");
    auto from_disk = CsvReader::open(f.path.string());
    CHECK(from_disk.empty_input());
    CHECK_FALSE(from_disk.next(rec));
  }

  TEST_CASE("csv.reader: a missing file is an IOError naming it") {
    CHECK_THROWS_AS(CsvReader::open("/nonexistent/dir/x.csv"), IOError);
  }

  TEST_CASE("csv.utf8: well-formed and ill-formed sequences") {
    using io::find_invalid_utf8;
    constexpr auto npos = std::string_view::npos;
    CHECK(find_invalid_utf8("plain ascii text, longer than eight bytes") == npos);
    CHECK(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == npos);  // é € 😀
    CHECK(find_invalid_utf8("ab\xC0\xAF") == 2);              // overlong '/'
    CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0);            // overlong 3-byte
    CHECK(find_invalid_utf8("abc\xE2\x82") == 3);             // truncated at the end
    CHECK(find_invalid_utf8("abc\xE2\x82x") == 3);            // truncated in the middle
    CHECK(find_invalid_utf8("abcdefghij\x80") == 10);         // lone continuation byte
    CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);            // UTF-16 surrogate
    CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);        // above U+10FFFF
    CHECK(find_invalid_utf8("\xFF") == 0);
  }

  TEST_CASE("csv.reader: invalid UTF-8 flags the record with field and offset and reading goes on") {
    auto r = CsvReader::from_string("a,b\nok,fine\nx,ab\xC0\xAF\n\xE2\x82,y\nlast,one\n", {});
    CsvRecord rec;
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::none);
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::invalid_utf8);
    CHECK(rec.issue_field == 1);
    CHECK(rec.issue_offset == 2);
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::invalid_utf8);
    CHECK(rec.issue_field == 0);
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::none);
    CHECK(rec[0] == "last");
    // Invalid UTF-8 in the header is fatal: column names must be text.
    CHECK_THROWS_AS(CsvReader::from_string("a,\xFF\n1,2\n", {}), FormatError);
  }

  TEST_CASE("csv.reader: a 10 MB field over the limit is dropped without allocating beyond the limit") {
    TempFile f("big.csv");
    {
      std::ofstream out(f.path, std::ios::binary);
      out << "id,blob,tail\n1,small,x\n2,\"";
      const std::string chunk(1 << 16, 'z');
      for (int i = 0; i < 160; ++i) out << chunk;  // 10 MiB inside quotes
      out << "\",after\n3,small,y\n";
    }
    CsvOptions o;
    o.max_field_bytes = 64 * 1024;
    o.block_bytes = 64 * 1024;
    auto r = CsvReader::open(f.path.string(), o);
    CsvRecord rec;
    REQUIRE(r.next(rec));
    eh_test::alloc_probe_reset();
    eh_test::alloc_probe_arm(true);
    const bool got = r.next(rec);
    eh_test::alloc_probe_arm(false);
    REQUIRE(got);
    CHECK(rec.issue == CsvIssue::field_too_long);
    CHECK(rec.issue_field == 1);
    CHECK(rec.field_bytes == 160u * (1u << 16));
    CHECK(rec.size() == 3);
    CHECK(rec[1].empty());
    CHECK(rec[2] == "after");
    CHECK(eh_test::alloc_probe_largest() <= 2 * o.max_field_bytes);
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::none);
    CHECK(rec[0] == "3");
    CHECK(rec.line == 4);
  }

  TEST_CASE("csv.reader: record and column limits") {
    CsvOptions o = no_header();
    o.max_columns = 3;
    auto r = CsvReader::from_string("1,2,3,4,5\n6,7\n", o);
    CsvRecord rec;
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::too_many_columns);
    CHECK(rec.size() == 3);
    REQUIRE(r.next(rec));
    CHECK(rec.issue == CsvIssue::none);

    CsvOptions o2 = no_header();
    o2.max_record_bytes = 10;
    auto r2 = CsvReader::from_string("abcdef,ghijkl,m\nab,c\n", o2);
    REQUIRE(r2.next(rec));
    CHECK(rec.issue == CsvIssue::record_too_long);
    CHECK(rec.issue_field == 1);
    REQUIRE(r2.next(rec));
    CHECK(rec.issue == CsvIssue::none);
    CHECK(rec[1] == "c");

    CsvOptions bad;
    bad.delimiter = '"';
    CHECK_THROWS_AS(CsvReader::from_string("a", bad), InvalidArgument);
  }

  TEST_CASE("csv.reader: semicolon delimiter") {
    CsvOptions o = no_header();
    o.delimiter = ';';
    auto r = CsvReader::from_string("a;\"b;c\";d,e\n", o);
    CHECK(read_all(r) == Rows{{"a", "b;c", "d,e"}});
  }

  TEST_CASE("csv.writer: quotes only when needed and round-trips through the reader") {
    CHECK_FALSE(io::csv_needs_quotes("plain"));
    CHECK(io::csv_needs_quotes("a,b"));
    CHECK(io::csv_needs_quotes("say \"x\""));
    CHECK(io::csv_needs_quotes("two\nlines"));
    CHECK(io::csv_needs_quotes(" padded"));
    CsvWriter w;
    w.write_row({"id", "text"});
    w.write_row({"1", "Smith, \"J\"\r\nnext"});
    w.write_row(std::vector<std::string>{"2", ""});
    CHECK(w.str() == "id,text\n1,\"Smith, \"\"J\"\"\r\nnext\"\n2,\n");
    auto r = CsvReader::from_string(w.str(), {});
    CHECK(read_all(r) == Rows{{"1", "Smith, \"J\"\r\nnext"}, {"2", ""}});

    TempFile f("out.csv");
    {
      auto fw = CsvWriter::open(f.path.string());
      fw.write_row({"x", "y,z"});
      fw.close();
    }
    auto back = CsvReader::open(f.path.string(), no_header());
    CHECK(read_all(back) == Rows{{"x", "y,z"}});
    CHECK_THROWS_AS(CsvWriter::open("/nonexistent/dir/out.csv"), IOError);
  }

  TEST_CASE("csv.reader: differential test against the naive reference on seeded random CSV") {
    std::mt19937 rng(20240611);
    const std::string alphabet = "ab ,\"\n\r;x\xC3\xA9";
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    for (int trial = 0; trial < 300; ++trial) {
      // Random fields, each written with RFC quoting when needed (or at random).
      std::string text;
      if (pick(4) == 0) text += "\xEF\xBB\xBF";
      const int n_rows = 1 + pick(8);
      for (int r = 0; r < n_rows; ++r) {
        const int n_fields = 1 + pick(5);
        for (int c = 0; c < n_fields; ++c) {
          std::string field;
          const int len = pick(7);
          for (int k = 0; k < len; ++k) {
            const int a = pick(static_cast<int>(alphabet.size()) - 1);
            if (alphabet[static_cast<std::size_t>(a)] == '\xC3') {
              field += "\xC3\xA9";
            } else {
              field += alphabet[static_cast<std::size_t>(a)];
            }
          }
          if (c > 0) text += ',';
          if (io::csv_needs_quotes(field) || pick(3) == 0 || (n_fields == 1 && field.empty())) {
            text += '"';
            for (char ch : field) {
              if (ch == '"') text += '"';
              text += ch;
            }
            text += '"';
          } else {
            text += field;
          }
        }
        const int eol = pick(4);
        if (r + 1 < n_rows || pick(2) == 0) text += eol == 0 ? "\r\n" : eol == 1 ? "\r" : "\n";
        if (pick(6) == 0) text += "\n";  // blank line
      }
      const auto expected = earlyhelp_reference::read_csv_naive(text);
      std::string shown;  // the input, escaped, for failure messages
      for (char ch : text) shown += ch == '\n' ? std::string("\\n") : ch == '\r' ? std::string("\\r") : std::string(1, ch);
      CAPTURE(shown);
      for (std::size_t block : {std::size_t{4}, std::size_t{7}, std::size_t{1} << 20}) {
        TempFile f("rand.csv");
        f.write(text);
        CsvOptions o = no_header();
        o.block_bytes = block;
        auto reader = CsvReader::open(f.path.string(), o);
        std::vector<std::size_t> lines;
        const Rows got = read_all(reader, &lines);
        REQUIRE(got.size() == expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
          CHECK(got[i] == expected[i].fields);
          CHECK(lines[i] == expected[i].line);
        }
      }
      auto mem = CsvReader::from_string(text, no_header());
      CHECK(read_all(mem).size() == expected.size());
    }
  }
}

TEST_SUITE("csv") {
  TEST_CASE("csv.reader: a PDF, a workbook or UTF-16 is named as such, not read as CSV") {
    CHECK_THROWS_WITH_AS(CsvReader::from_string("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", {}, "report.pdf"),
                         "report.pdf: not a CSV text file: it looks like a PDF document", FormatError);
    CHECK_THROWS_WITH_AS(CsvReader::from_string(std::string("PK\x03\x04\x14\x00\x06\x00", 8), {}, "a.xlsx"),
                         doctest::Contains("a.xlsx: not a CSV text file: it looks like a zip archive (an Excel .xlsx"),
                         FormatError);
    CHECK_THROWS_WITH_AS(CsvReader::from_string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", {}, "b.xls"),
                         doctest::Contains("an Office 97-2003 file"), FormatError);
    CHECK_THROWS_WITH_AS(CsvReader::from_string(std::string("\xFF\xFEi\0d\0", 6), {}, "u.csv"),
                         doctest::Contains("UTF-16 text"), FormatError);
    TempFile f("pdf.csv");
    f.write("%PDF-1.4\nbinary");
    CHECK_THROWS_WITH_AS(CsvReader::open(f.path.string()), doctest::Contains("pdf.csv: not a CSV text file"),
                         FormatError);
    // With a block of 4 bytes the signature still arrives whole.
    CsvOptions small;
    small.block_bytes = 4;
    CHECK_THROWS_AS(CsvReader::open(f.path.string(), small), FormatError);
  }

  TEST_CASE("csv.reader: format_hint names another delimiter or NUL bytes") {
    CHECK(CsvReader::from_string("id;name;dob\n1;a;b\n", {}, "s.csv").format_hint() ==
          "the header of s.csv is one column holding 2 semicolon characters: the file looks "
          "semicolon-separated (give that delimiter)");
    CHECK(CsvReader::from_string("id\tname\n", {}, "t.csv").format_hint().find("tab-separated") != std::string::npos);
    CHECK(CsvReader::from_string("id|name|x\n", {}, "p.csv").format_hint().find("pipe-separated") != std::string::npos);
    CsvOptions semi;
    semi.delimiter = ';';
    CHECK(CsvReader::from_string("id,name\n", semi, "c.csv").format_hint().find("comma-separated") != std::string::npos);
    CHECK(CsvReader::from_string("id,name\n1,x\n", {}, "ok.csv").format_hint().empty());
    CHECK(CsvReader::from_string("id\n1\n", {}, "one.csv").format_hint().empty());
    CHECK(CsvReader::from_string(std::string("id,na\0me\n", 9), {}, "n.csv").format_hint() ==
          "n.csv holds NUL bytes: it looks like a binary file, not CSV text");
  }
  TEST_CASE("csv: digests kept as the bytes pass equal the files' own SHA-256") {
    using governance::sha256;
    using governance::sha256_file;
    using governance::to_hex;
    const std::string text = "\xEF\xBB\xBFid,name\n1,\"a,\nb\"\n2,c\n";
    CsvOptions keep;
    keep.keep_digest = true;
    keep.block_bytes = 4;  // many blocks, a byte-order mark split from the rest
    TempFile in("digest_in.csv");
    std::ofstream(in.path, std::ios::binary) << text;
    auto r = CsvReader::open(in.path.string(), keep);
    CHECK(r.sha256().empty());  // not until the input was read to its end
    CHECK(read_all(r).size() == 2);
    CHECK(r.sha256() == to_hex(sha256(text)));
    CHECK(r.sha256() == to_hex(sha256_file(in.path.string())));
    auto m = CsvReader::from_string(text, keep);
    read_all(m);
    CHECK(m.sha256() == to_hex(sha256(text)));
    auto off = CsvReader::from_string(text, {});
    read_all(off);
    CHECK(off.sha256().empty());

    TempFile out("digest_out.csv");
    auto w = CsvWriter::open(out.path.string());
    w.keep_digest();
    w.write_row({"x", "y,z"});
    w.rows("1,2\n");
    CHECK(w.sha256().empty());
    w.close();
    CHECK(w.sha256() == to_hex(sha256_file(out.path.string())));
    CHECK(w.bytes_written() == std::filesystem::file_size(out.path));
    CsvWriter memory;
    CHECK_THROWS_AS(memory.keep_digest(), StateError);
    auto late = CsvWriter::open(out.path.string());
    late.write_row({"a"});
    CHECK_THROWS_AS(late.keep_digest(), StateError);  // it would miss the bytes before it
  }
}
