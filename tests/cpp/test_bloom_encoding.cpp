// SPDX-License-Identifier: Apache-2.0
// Bloom-filter encodings for privacy-preserving record linkage: the keyed encoder
// (governance/bloom_encoding.hpp), the file pass, and how the linker compares encodings
// (linkage/bloom.hpp, comparison levels).
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/bloom_encoding.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/linkage/bloom.hpp"
#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "scratch_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::governance;
using earlyhelp::linkage::bloom_dice;
using earlyhelp::linkage::Field;

namespace {

const std::string kKeyA(64, 'a');
const std::string kKeyB(64, 'b');

BloomEncoder encoder(const std::string& hex) { return BloomEncoder(PseudonymKey::from_hex(hex)); }

using eh_test::Scratch;
using eh_test::slurp;

std::vector<std::vector<std::string>> rows(const std::string& path) { return eh_test::csv_rows(path); }

}  // namespace

TEST_CASE("governance.bloom_encoding: one key gives one encoding, another key an unrelated one") {
  const BloomEncoder a = encoder(kKeyA), a2 = encoder(kKeyA), b = encoder(kKeyB);
  const std::string x = a.encode(BloomField::surname, "Richardson");
  CHECK(linkage::is_bloom_cell(x));
  CHECK(x == a2.encode(BloomField::surname, "Richardson"));
  const std::string y = b.encode(BloomField::surname, "Richardson");
  CHECK(linkage::is_bloom_cell(y));
  CHECK(x != y);
  CHECK(bloom_dice(x, y) < 0.4);  // about as far apart as two unrelated names
  // One key, two fields: unrelated filters (a surname cannot be matched against a first name).
  CHECK(bloom_dice(x, a.encode(BloomField::first_name, "Richardson")) < 0.4);
  CHECK(x.find("richardson") == std::string::npos);
}

TEST_CASE("governance.bloom_encoding: spellings the linker reads alike encode alike, and missing stays missing") {
  const BloomEncoder e = encoder(kKeyA);
  CHECK(e.encode(BloomField::first_name, "  Catherine ") == e.encode(BloomField::first_name, "CATHERINE"));
  CHECK(e.encode(BloomField::first_name, "Mary Anne") == e.encode(BloomField::first_name, "mary"));
  CHECK(e.encode(BloomField::dob, "12/05/1980") == e.encode(BloomField::dob, "1980-05-12"));
  CHECK(e.encode(BloomField::postcode, "sw1a1aa") == e.encode(BloomField::postcode, "SW1A 1AA"));
  CHECK(e.encode(BloomField::surname, "").empty());
  CHECK(e.encode(BloomField::surname, " -- ").empty());
  CHECK(e.encode(BloomField::dob, "not a date").empty());
  CHECK(bloom_field_from_name("postcode") == BloomField::postcode);
  CHECK_THROWS_AS(bloom_field_from_name("nhs_number"), InvalidArgument);
}

TEST_CASE("linkage.bloom: Dice of encodings tracks the q-gram similarity of the hidden values") {
  const BloomEncoder e = encoder(kKeyA);
  const auto dice = [&](BloomField f, const char* x, const char* y) { return bloom_dice(e.encode(f, x), e.encode(f, y)); };
  CHECK(dice(BloomField::first_name, "catherine", "catherine") == doctest::Approx(1.0));
  CHECK(dice(BloomField::first_name, "catherine", "katherine") >= 0.7);  // one letter of nine
  CHECK(dice(BloomField::first_name, "catherine", "mohammed") < 0.5);
  CHECK(dice(BloomField::dob, "1980-05-12", "1980-05-13") >= 0.7);  // one digit off
  CHECK(dice(BloomField::dob, "1980-05-12", "1954-11-27") < 0.4);
  CHECK(linkage::encoded_level(Field::first_name, e.encode(BloomField::first_name, "catherine"),
                               e.encode(BloomField::first_name, "katherine")) == linkage::levels::FirstName::close_typo);
  CHECK(linkage::encoded_level(Field::surname, "smith", "smyth") == std::nullopt);  // clear: compared in clear
  CHECK(linkage::encoded_level(Field::surname, "smith", e.encode(BloomField::surname, "smith")) == linkage::null_level);
  CHECK_FALSE(linkage::is_bloom_cell("bf1:00"));
  CHECK_FALSE(linkage::is_bloom_cell(std::string("bf1:") + std::string(128, 'g')));
}

TEST_CASE("linkage.bloom: encoded records are compared by Dice levels, never by their text") {
  const BloomEncoder e = encoder(kKeyA);
  const auto rec = [&](const char* id, const char* first, const char* surname, const char* dob, const char* postcode) {
    linkage::Record r;
    r.record_id = id;
    r.first_name = e.encode(BloomField::first_name, first);
    r.surname = e.encode(BloomField::surname, surname);
    r.dob = e.encode(BloomField::dob, dob);
    r.postcode = e.encode(BloomField::postcode, postcode);
    r.sex = "f";
    return r;
  };
  linkage::PreparedRecords p;
  const auto ids = p.add({rec("1", "Catherine", "Richardson", "1980-05-12", "LS6 2AB"),
                          rec("2", "Katherine", "Richardson", "1980-05-13", "LS6 2AB"),
                          rec("3", "Mohammed", "Khan", "1954-11-27", "BD7 1DP"),
                          rec("4", "Catherine", "Richardson", "1980-05-12", "LS6 2AB")});
  CHECK(p.n_identities() == 3);  // 1 and 4 are one identity (encodings are deterministic)
  CHECK(p.issues.unreadable_dob == 0);  // an encoded date is not an unreadable one
  const auto close = linkage::compare_identities(p, ids[0], ids[1]);
  CHECK(linkage::level_of(close, Field::first_name) == linkage::levels::FirstName::close_typo);
  CHECK(linkage::level_of(close, Field::surname) == linkage::levels::Surname::exact);
  CHECK(linkage::level_of(close, Field::dob) == linkage::levels::Dob::one_digit_off);
  CHECK(linkage::level_of(close, Field::postcode) == linkage::levels::Postcode::unit);
  const auto far = linkage::compare_identities(p, ids[0], ids[2]);
  CHECK(linkage::level_of(far, Field::first_name) == linkage::levels::FirstName::different);
  CHECK(linkage::level_of(far, Field::surname) == linkage::levels::Surname::different);
  CHECK(linkage::level_of(far, Field::dob) == linkage::levels::Dob::different);
  // A clear record against an encoded one: names and dates cannot be compared (missing).
  linkage::Record clear;
  clear.record_id = "5";
  clear.first_name = "Catherine";
  clear.dob = "1980-05-12";
  const auto cid = p.add({clear});
  const auto mixed = linkage::compare_identities(p, ids[0], cid[0]);
  CHECK(linkage::level_of(mixed, Field::first_name) == linkage::null_level);
  CHECK(linkage::level_of(mixed, Field::dob) == linkage::null_level);
}

TEST_CASE("governance.bloom_encoding: a canonical file gets names, dates and addresses encoded, identifiers hashed, the rest copied") {
  const Scratch s("eh_test_bloom_");
  const std::string in = s.file("in.csv",
                                "record_id,first_name,surname,dob,sex,postcode,nhs_number\n"
                                "r1,Catherine,Richardson,12/05/1980,F,LS6 2AB,943 476 5919\n"
                                "r2,,Khan,,M,,\n"
                                "r3,too,few\n");
  const PseudonymKey key = PseudonymKey::from_hex(kKeyA);
  const auto c = encode_csv(key, nullptr, in, s.path("out.csv"), s.path("rejects.csv"));
  CHECK(c.rows_read == 3);
  CHECK(c.rows_written == 2);
  CHECK(c.rows_rejected == 1);
  CHECK(c.encoded_columns == std::vector<std::string>{"first_name", "surname", "dob", "postcode"});
  CHECK(c.pseudonymised_columns == std::vector<std::string>{"nhs_number"});
  CHECK(c.cells_encoded == 5);
  CHECK(c.cells_pseudonymised == 1);
  const auto out = rows(s.path("out.csv"));
  REQUIRE(out.size() == 2);
  CHECK(out[0][0] == "r1");
  CHECK(out[0][4] == "F");
  for (int i : {1, 2, 3, 5}) CHECK(linkage::is_bloom_cell(out[0][static_cast<std::size_t>(i)]));
  CHECK(out[0][6].size() == 32);
  CHECK(out[1][1].empty());  // missing stays missing
  CHECK(out[1][6].empty());
  const std::string all = slurp(s.path("out.csv")) + slurp(s.path("rejects.csv"));
  for (const char* v : {"Catherine", "Richardson", "12/05/1980", "LS6", "943 476", "Khan", kKeyA.c_str()})
    CHECK_MESSAGE(all.find(v) == std::string::npos, v);
  // Without a rejects file the ragged row is an error naming file and row, and nothing is written.
  CHECK_THROWS_AS(encode_csv(key, nullptr, in, s.path("none.csv")), FormatError);
  CHECK_FALSE(std::filesystem::exists(s.path("none.csv")));
  // A file with no column to encode.
  CHECK_THROWS_AS(encode_csv(key, nullptr, s.file("x.csv", "a,b\n1,2\n"), s.path("x_out.csv")), InvalidArgument);
}
