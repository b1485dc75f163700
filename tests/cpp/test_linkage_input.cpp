// SPDX-License-Identifier: Apache-2.0
// What the linker does with input it cannot use as given (issue 19, linkage items): steps called
// out of order, columns it does not know, rows it cannot link, dates it cannot read, values too
// long to compare. Each case failed before its fix.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/input_checks.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;

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

}  // TEST_SUITE
