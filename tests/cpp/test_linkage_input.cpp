// SPDX-License-Identifier: Apache-2.0
// What the linker does with input it cannot use as given (issue 19, linkage items): steps called
// out of order, columns it does not know, rows it cannot link, dates it cannot read, values too
// long to compare. Each case failed before its fix.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/columns.hpp"
#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/input_checks.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "linkage_test_data.hpp"
#include "test_paths.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
namespace fs = std::filesystem;

namespace {

Settings small_settings() {
  Settings s;
  s.u_sample_pairs = 20000;
  s.n_threads = 1;
  return s;
}

std::vector<Record> family() {
  using eh_test::person;
  return {person("1", "John", "Smith", "1980-01-02", "1 High Street", "OX4 1AA", "m"),
          person("2", "Jon", "Smith", "1980-01-02", "1 High Street", "OX4 1AA", "m"),
          person("3", "Mary", "Smith", "1982-05-06", "1 High Street", "OX4 1AA", "f"),
          person("4", "Ann", "Jones", "1975-03-04", "9 Low Road", "OX4 2BB", "f"),
          person("5", "Anne", "Jones", "1975-03-04", "9 Low Road", "OX4 2BB", "f")};
}

// A scratch folder removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           fmt::format("eh_linkage_input_{}", std::chrono::steady_clock::now().time_since_epoch().count());
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

bool mentions_any(const std::vector<std::string>& texts, const std::vector<std::string>& values) {
  for (const auto& t : texts)
    for (const auto& v : values)
      if (t.find(v) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("linkage_input") {

TEST_CASE("linkage_input.cluster: before predict is a StateError that says to call predict") {
  Linker linker(small_settings());
  linker.add_records(family());
  linker.fit();
  CHECK_THROWS_WITH_AS(linker.cluster(), doctest::Contains("call predict first"), StateError);
  linker.predict();
  linker.cluster();
  CHECK(linker.person_ids().size() == 5);
}

TEST_CASE("linkage_input.stats: a loaded model counts the records it linked") {
  Linker trained(small_settings());
  trained.add_records(family());
  trained.fit();
  const std::string model = trained.model_json();
  Linker linker(small_settings());
  linker.add_records(family());
  linker.load_model_json(model);
  linker.predict();
  linker.cluster();
  CHECK(linker.stats().records == 5);
  CHECK(linker.stats().identities == 5);
  CHECK(linker.stats().persons >= 1);
}

TEST_CASE("linkage_input.households: as_of must be a calendar day, named in the error") {
  Linker linker(small_settings());
  linker.add_records(family());
  linker.fit();
  linker.predict();
  linker.cluster();
  CHECK_THROWS_WITH_AS(linker.households(20241345), doctest::Contains("households: as_of"), InvalidArgument);
  CHECK_THROWS_AS(linker.household_ids(20240230), InvalidArgument);
  CHECK_FALSE(linker.households(20240331).empty());
  CHECK(parse_iso_date_argument("2024-03-31", "households: as_of") == 20240331);
  for (const char* bad : {"31/03/2024", "2024-13-45", "2024-02-30", "20240331", "", "2024-3-31"}) {
    CAPTURE(bad);
    try {
      parse_iso_date_argument(bad, "households: as_of");
      FAIL("accepted");
    } catch (const InvalidArgument& e) {
      const std::string msg = e.what();
      CHECK(msg.find("households: as_of") != std::string::npos);
      CHECK(msg.find("YYYY-MM-DD") != std::string::npos);
      if (*bad != 0) CHECK(msg.find(bad) == std::string::npos);
    }
  }
}

TEST_CASE("linkage_input.dates: an unreadable date of birth is missing, and counted without its value") {
  using eh_test::person;
  std::vector<Record> records = family();
  records.push_back(person("6", "John", "Smith", "0000-00-00", "1 High Street", "OX4 1AA", "m"));
  records.push_back(person("7", "John", "Smith", "9999-12-31", "1 High Street", "OX4 1AA", "m"));
  records.push_back(person("8", "John", "Smith", "31/02/2020", "1 High Street", "OX4 1AA", "m"));
  Linker linker(small_settings());
  linker.add_records(records);
  const PreparedRecords& t = linker.records();
  for (std::size_t rec = 5; rec < 8; ++rec) CHECK(t.dob[t.identity_of[rec]] == 0);
  CHECK(t.issues.unreadable_dob == 3);
  const auto& w = linker.warnings();
  REQUIRE(std::count_if(w.begin(), w.end(), [](const std::string& s) { return s.find("date") != std::string::npos; }) == 1);
  const auto it = std::find_if(w.begin(), w.end(), [](const std::string& s) { return s.find("3 dates of birth") != std::string::npos; });
  REQUIRE(it != w.end());
  CHECK(it->find("treated as missing") != std::string::npos);
  CHECK_FALSE(mentions_any(w, {"0000-00-00", "9999", "31/02"}));
  // A second batch updates the count instead of adding a second warning.
  linker.add_records({person("9", "Ann", "Jones", "not a date", "9 Low Road", "OX4 2BB", "f")});
  CHECK(std::count_if(linker.warnings().begin(), linker.warnings().end(),
                      [](const std::string& s) { return s.find("4 dates of birth") != std::string::npos; }) == 1);
}

TEST_CASE("linkage_input.long_values: comparisons read a bounded prefix; long values that differ stay apart") {
  CHECK(kMaxComparedBytes == 256);
  CHECK(bound_compared("Sarah") == "Sarah");
  const std::string a = std::string(2u << 20, 'a') + "x";
  const std::string b = std::string(2u << 20, 'a') + "y";
  const std::string ba = bound_compared(a), bb = bound_compared(b);
  CHECK(ba.size() <= kMaxComparedBytes + 17);
  CHECK(ba != bb);
  // A cut never splits a UTF-8 character: 255 ASCII bytes, then two-byte characters.
  std::string accents(255, 'a');
  for (int i = 0; i < 50; ++i) accents += "\xC3\xA9";
  CHECK(bound_compared(accents).find('#') == 255);
  // A raw value longer than kMaxReadBytes is read on its first kMaxReadBytes (normalising costs
  // time in the length), keeping a hash of all of it.
  CHECK(read_part(a).size() == kMaxReadBytes);
  CHECK(bound_compared("aaaa", a) != bound_compared("aaaa", b));
  CHECK(bound_compared("aaaa", a).rfind("aaaa#", 0) == 0);

  using eh_test::person;
  // Ten records whose first names are 100 KB long (one pair took 12.6 s before the cap), and two
  // different 2 MiB names of one surname and date of birth.
  std::vector<Record> records;
  for (int i = 0; i < 10; ++i)
    records.push_back(person(std::to_string(i), std::string(100000, static_cast<char>('a' + i)), "Smith",
                             "1980-01-02", "1 High Street", "OX4 1AA"));
  records.push_back(person("big1", a, "Jones", "1975-03-04"));
  records.push_back(person("big2", b, "Jones", "1975-03-04"));
  Linker linker(small_settings());
  linker.add_records(records);
  const PreparedRecords& t = linker.records();
  for (const auto& v : t.first.values) CHECK(v.size() <= kMaxComparedBytes + 17);
  CHECK(t.identity_of[10] != t.identity_of[11]);  // never one identity
  const ComparisonVector v = compare_identities(t, t.identity_of[10], t.identity_of[11]);
  CHECK(v[static_cast<std::size_t>(Field::first_name)] != 0);  // level 0 is exact agreement
  CHECK(t.issues.long_values[canonical_column_index("first_name")] == 12);
  const auto& w = linker.warnings();
  CHECK(std::count_if(w.begin(), w.end(), [](const std::string& s) {
          return s.find("12 values are longer than 256 bytes (first_name 12)") != std::string::npos;
        }) == 1);
  CHECK_FALSE(mentions_any(w, {std::string(40, 'a'), std::string(40, 'b')}));
  linker.fit();
  linker.predict();
  linker.cluster();
  CHECK(linker.person_ids().size() == records.size());
}

TEST_CASE("linkage_input.threads: records normalised on several threads give the table one thread gives") {
  // Values are normalised in parallel and interned in record order: the ids, dictionaries and
  // counts of input issues must not depend on the thread count.
  using eh_test::person;
  std::vector<Record> records;
  const char* firsts[] = {"John", "Jon", "Mary Anne", "  ANN ", "Zo\xC3\xAB", "", "Mohammed"};
  const char* surnames[] = {"Smith", "SMITH", "O'Neil", "Jones-Brown", "Ng", "", "Smith"};
  for (int i = 0; i < 700; ++i) {
    std::string first = firsts[i % 7];
    if (i % 97 == 0) first = std::string(300 + static_cast<std::size_t>(i), 'x');  // bounded, and counted
    records.push_back(person(std::to_string(i), first, surnames[(i / 7) % 7], i % 5 == 0 ? "1980-13-40" : "1980-01-02",
                             fmt::format("{} High Street", i % 13), i % 3 == 0 ? "ox4 1aa" : "OX4 2BB",
                             i % 2 == 0 ? "m" : "f"));
  }
  const std::vector<Record> head(records.begin(), records.begin() + 300), tail(records.begin() + 300, records.end());
  PreparedRecords one, four;
  const auto t1 = one.add(head, 1), t2 = one.add(tail, 1);
  const auto u1 = four.add(head, 4), u2 = four.add(tail, 4);
  CHECK(t1 == u1);
  CHECK(t2 == u2);
  CHECK(one.identity_of == four.identity_of);
  CHECK(one.first_id == four.first_id);
  CHECK(one.middle_id == four.middle_id);
  CHECK(one.surname_id == four.surname_id);
  CHECK(one.address_id == four.address_id);
  CHECK(one.postcode_id == four.postcode_id);
  CHECK(one.dob == four.dob);
  CHECK(one.first.values == four.first.values);
  CHECK(one.middle.values == four.middle.values);
  CHECK(one.codes.values == four.codes.values);
  CHECK(one.issues.long_values == four.issues.long_values);
  CHECK(one.issues.long_values[canonical_column_index("first_name")] == 8);
  CHECK(one.issues.unreadable_dob == four.issues.unreadable_dob);
  CHECK(one.issues.unreadable_dob == 140);
}

TEST_CASE("linkage_input.columns: unknown columns are named with the map that would use them") {
  const ColumnPlan plan = plan_columns({"record_id", "forename", "surname", "date_of_birth", "notes"}, {}, "people.csv");
  CHECK(plan.unused == std::vector<std::string>{"forename", "date_of_birth", "notes"});
  REQUIRE(plan.warnings.size() == 1);
  const std::string& w = plan.warnings[0];
  CHECK(w.find("people.csv") != std::string::npos);
  CHECK(w.find("forename, date_of_birth, notes") != std::string::npos);
  CHECK(w.find("--map forename=first_name,date_of_birth=dob") != std::string::npos);
  const ColumnPlan py = plan_columns({"record_id", "forename", "surname"}, {}, "link: df", MapSyntax::python);
  CHECK(py.warnings.at(0).find("column_map={\"forename\": \"first_name\"}") != std::string::npos);
  // Mapped: used, no warning.
  const ColumnPlan mapped = plan_columns({"record_id", "forename", "surname"}, {{"forename", "first_name"}}, "people.csv");
  CHECK(mapped.warnings.empty());
  CHECK(mapped.target[1] == canonical_column_index("first_name"));
  // No name or date of birth column: refused, with the map that would help.
  CHECK_THROWS_WITH_AS(plan_columns({"record_id", "forename", "date_of_birth", "address"}, {}, "people.csv"),
                       doctest::Contains("no name or date of birth column"), InvalidArgument);
  CHECK_THROWS_WITH_AS(plan_columns({"record_id", "forename", "address"}, {}, "people.csv"),
                       doctest::Contains("--map forename=first_name"), InvalidArgument);
  CHECK_THROWS_WITH_AS(plan_columns({"id", "surname"}, {}, "people.csv"), doctest::Contains("no record_id column"),
                       InvalidArgument);
  CHECK_THROWS_WITH_AS(plan_columns({"record_id", "surname", "surname"}, {}, "people.csv"),
                       doctest::Contains("column 'surname' appears more than once"), InvalidArgument);
  CHECK_THROWS_WITH_AS(plan_columns({"record_id", "surname"}, {{"nope", "dob"}}, "people.csv"),
                       doctest::Contains("names column 'nope'"), InvalidArgument);
  CHECK(suggested_column("Date of Birth") == "dob");
  CHECK(suggested_column("First Name") == "first_name");
  CHECK(suggested_column("ethnicity").empty());
}

TEST_CASE("linkage_input.read: rows that cannot be linked are rejected with file, row and line") {
  TempDir dir;
  const std::string big(2u << 20, 'q');
  const std::string path = dir.write(
      "people.csv",
      "record_id,first_name,surname,dob\n"
      "1,John,Smith,1980-01-02\n"
      "2,Jon,Smith,1980-01-02\n"
      "2,Mary,Smith,1982-05-06\n"           // repeats row 2's id
      ",Ann,Jones,1975-03-04\n"             // no id
      "5,Ann,Jones\n"                       // ragged
      "6," + big + "a,Brown,1990-01-01\n"   // over 1 MiB
      "7," + big + "b,Brown,1990-01-01\n"   // another, different, over 1 MiB
      "8,Anne,Jones,1975-03-04\n");
  std::vector<RecordReject> rejects;
  std::vector<Record> records;
  ReadOptions options;
  options.reject = [&](const RecordReject& r) { rejects.push_back(r); };
  const std::size_t n = for_each_records_batch(
      path, {}, [&](std::vector<Record>& b) { records.insert(records.end(), b.begin(), b.end()); }, options);
  CHECK(n == 3);
  CHECK(records.size() == 3);
  REQUIRE(rejects.size() == 5);
  CHECK(rejects[0].row == 3);
  CHECK(rejects[0].line == 4);
  CHECK(rejects[0].kind == io::RejectKind::duplicate_key);
  CHECK(rejects[0].reason.find("row 2") != std::string::npos);
  CHECK(rejects[1].kind == io::RejectKind::missing_value);
  CHECK(rejects[2].kind == io::RejectKind::wrong_field_count);
  CHECK(rejects[3].kind == io::RejectKind::field_too_long);
  CHECK(rejects[3].field == "first_name");
  CHECK(rejects[4].kind == io::RejectKind::field_too_long);
  for (const auto& r : rejects) {
    CHECK(r.file == path);
    CHECK(r.reason.find("Mary") == std::string::npos);
    CHECK(r.reason.find("qqqq") == std::string::npos);
  }
  // Without a sink the first such row stops the read: a FormatError naming file, row and line.
  const std::string where = path + ": row 3 (line 4), column record_id: repeats";
  CHECK_THROWS_WITH_AS(read_records_csv(path), doctest::Contains(where.c_str()), FormatError);
}

TEST_CASE("linkage_input.read: a subject_min_age that is not whole years is a rejected row, not a stop") {
  TempDir dir;
  const std::string path = dir.write("people.csv",
                                     "record_id,first_name,surname,dob,record_date,subject_min_age\n"
                                     "1,John,Smith,1980-01-02,2020-01-01,10\n"
                                     "2,Jon,Smith,1980-01-02,2020-01-01,ten\n"
                                     "3,Mary,Smith,1982-05-06,2020-01-01,1000\n"
                                     "4,Ann,Jones,1975-03-04,2020-01-01,\n");
  std::vector<RecordReject> rejects;
  std::vector<Record> records;
  ReadOptions options;
  options.reject = [&](const RecordReject& r) { rejects.push_back(r); };
  for_each_records_batch(path, {}, [&](std::vector<Record>& b) { records.insert(records.end(), b.begin(), b.end()); },
                         options);
  CHECK(records.size() == 2);
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0].row == 2);
  CHECK(rejects[0].field == "subject_min_age");
  CHECK(rejects[0].kind == io::RejectKind::invalid_value);
  CHECK(rejects[1].row == 3);
  // Without a sink it stops the read naming file, row and column (it used to reach linking and
  // fail there as a bad argument naming only "record N").
  const std::string where = path + ": row 2 (line 3), column subject_min_age";
  CHECK_THROWS_WITH_AS(read_records_csv(path), doctest::Contains(where.c_str()), FormatError);
}

TEST_CASE("linkage_input.read: the bundled sample council links; its faulty rows are rejected, none lost") {
  const fs::path dir = eh_test::source_dir() / "examples" / "data" / "sample_council";
  REQUIRE(fs::is_directory(dir));
  const schema::Schema& schema = schema::Schema::builtin();
  const Extracts ex = read_extracts(dir.string(), schema);
  CHECK_FALSE(ex.rejects.empty());
  CHECK(std::any_of(ex.rejects.begin(), ex.rejects.end(),
                    [](const RecordReject& r) { return r.kind == io::RejectKind::duplicate_key; }));
  // Every data row of every stream's file is a record or a reject.
  std::size_t rows = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".csv" || schema.find(e.path().stem().string()) == nullptr) continue;
    io::CsvReader reader = io::CsvReader::open(e.path().string());
    io::CsvRecord rec;
    while (reader.next(rec)) ++rows;
  }
  CHECK(ex.records.size() + ex.rejects.size() == rows);
  Linker linker(small_settings());
  linker.add_records(ex.records);
  linker.fit();
  linker.predict();
  linker.cluster();
  CHECK(linker.person_ids().size() == ex.records.size());
}

}  // TEST_SUITE
