// SPDX-License-Identifier: Apache-2.0
#include "test_paths.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/field_checks.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "schema_test_fields.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace earlyhelp;
using earlyhelp::io::RejectKind;
using earlyhelp::schema::Field;
using earlyhelp::schema::FieldType;
using earlyhelp::schema::Stream;
using eh_test::make_field;

namespace {

// A small stream exercising every field type and format.
Stream test_stream() {
  Stream s;
  s.name = "test_people";
  s.record_id_field = "person_id";
  Field id = make_field("person_id", FieldType::identifier);
  id.unique = true;
  id.nullable = false;
  id.identifier_role = schema::IdentifierRole::pseudonymised_key;
  Field dob = make_field("dob", FieldType::date);
  dob.min_date = from_civil(1900, 1, 1);
  dob.max_date = from_civil(2030, 12, 31);
  dob.identifier_role = schema::IdentifierRole::quasi;
  Field seen = make_field("seen_at", FieldType::datetime);
  seen.required = false;
  Field age = make_field("age", FieldType::integer);
  age.min = 0;
  age.max = 120;
  Field score = make_field("score", FieldType::floating);
  Field flag = make_field("flag", FieldType::boolean);
  Field sex = make_field("sex", FieldType::category);
  sex.categories = {"F", "M", "X"};
  Field pc = make_field("postcode", FieldType::text);
  pc.format = "uk_postcode";
  pc.identifier_role = schema::IdentifierRole::quasi;
  Field nhs = make_field("nhs_number", FieldType::identifier);
  nhs.format = "nhs_number";
  nhs.identifier_role = schema::IdentifierRole::direct;
  Field note = make_field("note", FieldType::text);
  note.max_length = 10;
  note.required = false;
  s.fields = {id, dob, seen, age, score, flag, sex, pc, nhs, note};
  return s;
}

struct Collected {
  std::vector<std::vector<std::string>> clean;
  std::vector<io::Reject> rejects;
  std::vector<std::vector<std::string>> raw;
};

class CollectingSink : public io::IngestSink {
 public:
  explicit CollectingSink(Collected& c) : c_(c) {}
  void clean(std::size_t, const std::vector<io::FieldValue>& values) override {
    std::vector<std::string> row;
    for (const auto& v : values) row.emplace_back(v.text);
    c_.clean.push_back(std::move(row));
  }
  void reject(const io::Reject& r, const std::vector<std::string_view>& raw) override {
    c_.rejects.push_back(r);
    c_.raw.emplace_back(raw.begin(), raw.end());
  }

 private:
  Collected& c_;
};

const char* kHeader = "person_id,dob,age,score,flag,sex,postcode,nhs_number,note\n";

io::IngestResult run(const Stream& s, const std::string& csv, Collected& out, io::CsvOptions o = {}) {
  auto reader = io::CsvReader::from_string(csv, o, "people.csv");
  CollectingSink sink(out);
  return io::validate_stream(s, reader, sink);
}

const io::FieldQuality& quality(const io::IngestResult& r, std::string_view name) {
  for (const auto& f : r.report.fields)
    if (f.name == name) return f;
  FAIL("no field " << name);
  return r.report.fields.front();
}

}  // namespace

TEST_SUITE("ingest") {
  TEST_CASE("ingest.field_checks: postcodes") {
    CHECK(io::canonical_postcode("sw1a2aa") == "SW1A 2AA");
    CHECK(io::canonical_postcode(" M1 1AE ") == "M1 1AE");
    CHECK(io::canonical_postcode("B33 8TH") == "B33 8TH");
    CHECK(io::canonical_postcode("CR2 6XH") == "CR2 6XH");
    CHECK(io::canonical_postcode("DN55 1PT") == "DN55 1PT");
    CHECK(io::canonical_postcode("W1A 0AX") == "W1A 0AX");
    CHECK(io::canonical_postcode("EC1A 1BB") == "EC1A 1BB");
    CHECK(io::canonical_postcode("gir 0aa") == "GIR 0AA");
    CHECK_FALSE(io::is_valid_postcode(""));
    CHECK_FALSE(io::is_valid_postcode("SW1A"));
    CHECK_FALSE(io::is_valid_postcode("QA1 1AA"));    // Q never first
    CHECK_FALSE(io::is_valid_postcode("AI1 1AA"));    // I never second
    CHECK_FALSE(io::is_valid_postcode("M1 1AC"));     // C never in the inward code
    CHECK_FALSE(io::is_valid_postcode("M1 AAA"));     // inward code starts with a digit
    CHECK_FALSE(io::is_valid_postcode("SW1A 2AAA"));
    CHECK_FALSE(io::is_valid_postcode("123 456"));
    // Spaces: optional and repeatable between outward and inward code, invalid elsewhere.
    CHECK(io::canonical_postcode("OX4   1HP") == "OX4 1HP");
    CHECK(io::canonical_postcode("ox41hp") == "OX4 1HP");
    CHECK_FALSE(io::is_valid_postcode("OX4 11HP"));   // would be OX41 1HP without the space rule
    CHECK_FALSE(io::is_valid_postcode("OX4 44PU"));
    CHECK_FALSE(io::is_valid_postcode("O X4 1HP"));
    CHECK_FALSE(io::is_valid_postcode("OX 4 1HP"));
  }

  TEST_CASE("ingest.field_checks: NHS number, UPRN, UPN, booleans, times") {
    CHECK(io::is_valid_nhs_number("9434765919"));
    CHECK(io::is_valid_nhs_number("943 476 5919"));
    CHECK_FALSE(io::is_valid_nhs_number("9434765918"));  // wrong check digit
    CHECK_FALSE(io::is_valid_nhs_number("943476591"));
    CHECK_FALSE(io::is_valid_nhs_number("94347659190"));
    CHECK_FALSE(io::is_valid_nhs_number("943476591X"));
    CHECK(io::is_valid_uprn("100023336956"));
    CHECK(io::is_valid_uprn("1"));
    CHECK_FALSE(io::is_valid_uprn("0000"));
    CHECK_FALSE(io::is_valid_uprn("1000233369561"));
    CHECK_FALSE(io::is_valid_uprn("12a"));
    // DfE worked example value; check letter Z from weights 2..13 mod 23.
    CHECK(io::is_valid_upn("Z213282605052"));
    CHECK_FALSE(io::is_valid_upn("A213282605052"));
    CHECK_FALSE(io::is_valid_upn("Z21328260505"));
    CHECK(io::upn_check_letter("213282605052") == 'Z');
    // A temporary UPN ends in a letter, which weighs by its index in the check alphabet.
    const char t = io::upn_check_letter("21328260505A");
    CHECK(t != '\0');
    CHECK(io::is_valid_upn(std::string(1, t) + "21328260505A"));
    CHECK(io::upn_check_letter("21328260505I") == '\0');  // I is not in the alphabet
    CHECK(io::parse_bool("Yes") == true);
    CHECK(io::parse_bool("N") == false);
    CHECK(io::parse_bool("0") == false);
    CHECK_FALSE(io::parse_bool("2").has_value());
    CHECK(io::parse_time_of_day("13:45") == 13 * 3600 + 45 * 60);
    CHECK(io::parse_time_of_day("23:59:59.123Z") == 86399);
    CHECK_FALSE(io::parse_time_of_day("24:00").has_value());
  }

  TEST_CASE("ingest.validate: UK dates are day-first, values normalised, counts reconcile") {
    const Stream s = test_stream();
    Collected c;
    const std::string csv = std::string(kHeader) +
                            "p1,03/04/2020,7,1.5,Yes,f,sw1a2aa,943 476 5919,hello\n"
                            "p2,29/02/2021,7,1.5,no,M,M1 1AE,9434765919,\n"   // not a date
                            "p3,2019-12-31,+08,2e1,1,X,,,\n";
    const auto r = run(s, csv, c);
    CHECK(r.rows_read == 3);
    CHECK(r.rows_clean == 2);
    CHECK(r.rows_rejected == 1);
    CHECK(r.reconciled());
    REQUIRE(c.clean.size() == 2);
    // Schema order: person_id, dob, seen_at (absent, optional), age, score, flag, sex, postcode, nhs, note.
    CHECK(c.clean[0] == std::vector<std::string>{"p1", "2020-04-03", "", "7", "1.5", "true", "F", "SW1A 2AA",
                                                 "9434765919", "hello"});
    CHECK(c.clean[1] == std::vector<std::string>{"p3", "2019-12-31", "", "8", "2e1", "true", "X", "", "", ""});
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.rejects[0].row == 2);
    CHECK(c.rejects[0].line == 3);
    CHECK(c.rejects[0].field == "dob");
    CHECK(c.rejects[0].kind == RejectKind::invalid_value);
    CHECK(c.raw[0][1] == "29/02/2021");
    CHECK(r.report.absent_columns == std::vector<std::string>{"seen_at"});
    CHECK(quality(r, "dob").range_withheld);
    CHECK_FALSE(quality(r, "dob").min_date.has_value());
  }

  TEST_CASE("ingest.validate: each rule rejects with its field and reason, never the value") {
    const Stream s = test_stream();
    Collected c;
    const std::string csv = std::string(kHeader) +
                            "a1,01/01/2000,121,0,y,F,M1 1AE,9434765919,\n"        // age > max
                            "a2,01/01/2000,x,0,y,F,M1 1AE,9434765919,\n"          // not an integer
                            "a3,01/01/2000,1,nan,y,F,M1 1AE,9434765919,\n"        // not finite
                            "a4,01/01/2000,1,0,maybe,F,M1 1AE,9434765919,\n"      // boolean
                            "a5,01/01/2000,1,0,y,Q,M1 1AE,9434765919,\n"          // category
                            "a6,01/01/1850,1,0,y,F,M1 1AE,9434765919,\n"          // before min_date
                            "a7,01/01/2000,1,0,y,F,ZZ99 9ZZ,9434765919,\n"        // postcode
                            "a8,01/01/2000,1,0,y,F,M1 1AE,9434765918,\n"          // NHS check digit
                            "a9,01/01/2000,1,0,y,F,M1 1AE,9434765919,much too long\n"  // max_length
                            ",01/01/2000,1,0,y,F,M1 1AE,9434765919,\n"            // non-nullable key
                            "b1,01/01/2000,1,0,y,F,M1 1AE\n"                      // ragged
                            "b2,01/01/2000,1,0,y,F,XX1,123,\n";                  // two problems
    const auto r = run(s, csv, c);
    CHECK(r.rows_read == 12);
    CHECK(r.rows_clean == 0);
    CHECK(r.rows_rejected == 12);
    REQUIRE(c.rejects.size() == 12);
    const std::vector<std::pair<std::string, RejectKind>> expected = {
        {"age", RejectKind::out_of_range},         {"age", RejectKind::invalid_value},
        {"score", RejectKind::invalid_value},      {"flag", RejectKind::invalid_value},
        {"sex", RejectKind::invalid_value},        {"dob", RejectKind::out_of_range},
        {"postcode", RejectKind::invalid_format},  {"nhs_number", RejectKind::invalid_format},
        {"note", RejectKind::out_of_range},        {"person_id", RejectKind::missing_value},
        {"", RejectKind::wrong_field_count},       {"postcode", RejectKind::invalid_format}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(c.rejects[i].row == i + 1);
      CHECK(c.rejects[i].field == expected[i].first);
      CHECK(c.rejects[i].kind == expected[i].second);
      // Reasons name rules, not values.
      for (const auto& raw : c.raw[i])
        if (raw.size() > 2) CHECK(c.rejects[i].reason.find(raw) == std::string::npos);
    }
    CHECK(c.rejects[0].reason == "above the maximum 120");
    CHECK(c.rejects[5].reason == "date before the earliest allowed 1900-01-01");
    CHECK(c.rejects[10].reason == "expected 9 fields, found 7");
    CHECK(c.rejects[11].reason == "not a valid UK postcode (also: nhs_number)");
    CHECK(quality(r, "postcode").n_invalid_format == 2);
    CHECK(quality(r, "nhs_number").n_invalid_format == 2);
    CHECK(r.report.rows_malformed == 1);
  }

  TEST_CASE("ingest.validate: duplicate keys are rejected naming the first clean row") {
    const Stream s = test_stream();
    Collected c;
    const std::string csv = std::string(kHeader) +
                            "k1,01/01/2000,1,0,y,F,,,\n"
                            "k2,bad,1,0,y,F,,,\n"          // rejected: its key is not registered
                            "k2,01/01/2000,1,0,y,F,,,\n"   // so this one is clean
                            "k1,01/01/2000,2,0,y,F,,,\n";  // duplicate of row 1
    const auto r = run(s, csv, c);
    CHECK(r.rows_clean == 2);
    REQUIRE(c.rejects.size() == 2);
    CHECK(c.rejects[1].row == 4);
    CHECK(c.rejects[1].kind == RejectKind::duplicate_key);
    CHECK(c.rejects[1].reason == "duplicate key: same value as row 1");
    CHECK(quality(r, "person_id").n_distinct == 2);
    CHECK(quality(r, "person_id").n_duplicates == 1);
  }

  TEST_CASE("ingest.validate: header problems") {
    const Stream s = test_stream();
    Collected c;
    CHECK_THROWS_WITH_AS(run(s, "person_id,age,score,flag,sex,note\n", c),
                         "people.csv: missing required columns for stream test_people: dob, postcode, nhs_number",
                         SchemaError);
    CHECK_THROWS_WITH_AS(run(s, "", c), doctest::Contains("people.csv: empty file: no header row"), FormatError);
    CHECK_THROWS_AS(run(s, "person_id,PERSON_ID\n", c), SchemaError);
    // Header only: zero rows, a valid report.
    const auto r = run(s, kHeader, c);
    CHECK(r.rows_read == 0);
    CHECK(r.reconciled());
    // Extra columns are reported and dropped; header names match case-insensitively.
    Collected d;
    const auto r2 = run(s,
                        "Person_ID,extra,dob,age,score,flag,sex,postcode,nhs_number,seen_at\n"
                        "p,zzz,01/02/2003,1,2,n,F,m11ae,,2020-01-02 03:04\n",
                        d);
    CHECK(r2.report.unexpected_columns == std::vector<std::string>{"extra"});
    CHECK(r2.report.absent_columns == std::vector<std::string>{"note"});
    REQUIRE(d.clean.size() == 1);
    CHECK(d.clean[0] ==
          std::vector<std::string>{"p", "2003-02-01", "2020-01-02T03:04:00", "1", "2", "false", "F", "M1 1AE", "", ""});
  }

  TEST_CASE("ingest.validate: malformed rows (oversized field, invalid UTF-8) are rejects, not crashes") {
    const Stream s = test_stream();
    Collected c;
    io::CsvOptions o;
    o.max_field_bytes = 16;
    const std::string csv = std::string(kHeader) + "p1,01/01/2000,1,0,y,F,,,\"" + std::string(100, 'x') +
                            "\"\np2,01/01/2000,1,0,y,F,,,caf\xC3\n" + "p3,01/01/2000,1,0,y,F,,,ok\n";
    const auto r = run(s, csv, c, o);
    CHECK(r.rows_read == 3);
    CHECK(r.rows_clean == 1);
    REQUIRE(c.rejects.size() == 2);
    CHECK(c.rejects[0].kind == RejectKind::field_too_long);
    CHECK(c.rejects[0].field == "note");
    CHECK(c.rejects[0].reason == "field has 100 bytes, over the limit of 16 (value not kept)");
    CHECK(c.rejects[1].kind == RejectKind::invalid_utf8);
    CHECK(c.rejects[1].reason == "invalid UTF-8 at byte 4 of the field");
    CHECK(r.report.rows_malformed == 2);
    // An unterminated quote is fatal and names where it starts.
    CHECK_THROWS_WITH_AS(run(s, std::string(kHeader) + "p1,\"01/01/2000,1\n", c),
                         doctest::Contains("row 1 (line 2), column 2 (dob): unterminated quoted field"),
                         FormatError);
  }

  TEST_CASE("ingest.validate_file: clean and rejects files, report text and JSON") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("eh_test_ingest_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string in = (dir / "in.csv").string();
    {
      std::ofstream f(in, std::ios::binary);
      f << "\xEF\xBB\xBF" << "person_id,dob,age,score,flag,sex,postcode,nhs_number,note\r\n"
        << "p1,03/04/2020,7,1.5,Yes,F,sw1a2aa,,\"a, b\"\r\n"
        << "p2,03/04/2020,7,1.5,Yes,F,sw1a2aa,,x,EXTRA\r\n"
        << "p1,03/04/2020,7,1.5,Yes,F,sw1a2aa,,\r\n";
    }
    const Stream s = test_stream();
    const auto r = io::validate_file(s, in, (dir / "clean.csv").string(), (dir / "rejects.csv").string());
    CHECK(r.rows_read == 3);
    CHECK(r.rows_clean == 1);
    CHECK(r.rows_rejected == 2);
    auto slurp = [](const fs::path& p) {
      std::ifstream f(p, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      return ss.str();
    };
    CHECK(slurp(dir / "clean.csv") ==
          "person_id,dob,seen_at,age,score,flag,sex,postcode,nhs_number,note\n"
          "p1,2020-04-03,,7,1.5,true,F,SW1A 2AA,,\"a, b\"\n");
    CHECK(slurp(dir / "rejects.csv") ==
          "row,line,field,reason,person_id,dob,age,score,flag,sex,postcode,nhs_number,note,extra_fields\n"
          "2,3,,\"expected 9 fields, found 10\",p2,03/04/2020,7,1.5,Yes,F,sw1a2aa,,x,EXTRA\n"
          "3,4,person_id,duplicate key: same value as row 1,p1,03/04/2020,7,1.5,Yes,F,sw1a2aa,,,\n");
    const std::string text = r.report.to_text();
    CHECK(text.find("rows read 3, clean 1, rejected 2 (1 malformed), reconciled") != std::string::npos);
    CHECK(text.find("wrong_field_count") != std::string::npos);
    const std::string json = r.report.to_json();
    CHECK(json.find("\"rows_read\": 3") != std::string::npos);
    CHECK(json.find("\"reconciled\": true") != std::string::npos);
    CHECK(json.find("\"duplicate_key\": 1") != std::string::npos);
    CHECK(r.files.empty());  // digests only when asked for

    // With keep_digest, the audit trail's description of each file comes from the bytes as they
    // passed, on one thread and on several, and equals hashing the files afterwards.
    for (int threads : {1, 2}) {
      io::CsvOptions keep;
      keep.keep_digest = true;
      keep.chunk_bytes = 16;
      const auto d = io::validate_file(s, in, (dir / "clean.csv").string(), (dir / "rejects.csv").string(), keep, threads);
      REQUIRE(d.files.size() == 3);
      const std::vector<std::pair<std::string, fs::path>> expected = {
          {"input", in}, {"output", dir / "clean.csv"}, {"rejects", dir / "rejects.csv"}};
      for (std::size_t i = 0; i < 3; ++i) {
        const auto described = governance::describe_file(expected[i].first, expected[i].second.string());
        CHECK(d.files[i].role == described.role);
        CHECK(d.files[i].path == described.path);
        CHECK(d.files[i].sha256 == described.sha256);
        CHECK(d.files[i].bytes == described.bytes);
      }
    }
    fs::remove_all(dir);
  }

  TEST_CASE("ingest.validate: an unknown format in the stream is a SchemaError") {
    Stream s;
    s.name = "odd";
    Field f = make_field("x", FieldType::text);
    f.format = "iban";
    s.fields = {f};
    Collected c;
    CHECK_THROWS_WITH_AS(run(s, "x\n1\n", c), doctest::Contains("unknown format 'iban'"), SchemaError);
  }
}

TEST_SUITE("ingest") {
  TEST_CASE("ingest.validate: the stream's missing-value markers count as missing") {
    Stream s = test_stream();
    s.missing_values = {"", "NULL", "N/A"};
    Collected c;
    const auto r = run(s, std::string(kHeader) + "p1,01/01/2000,NULL, N/A ,y,F,,,NULL\nNULL,01/01/2000,1,0,y,F,,,\n", c);
    REQUIRE(c.clean.size() == 1);
    CHECK(c.clean[0][3].empty());  // age
    CHECK(c.clean[0][4].empty());  // score
    CHECK(c.clean[0][9].empty());  // note
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.rejects[0].kind == RejectKind::missing_value);
    CHECK(c.rejects[0].field == "person_id");
    CHECK(quality(r, "age").n_missing == 1);
  }

  TEST_CASE("ingest.builtin: every built-in stream accepts its own header and names missing columns") {
    const schema::Schema sch = schema::Schema::builtin();
    REQUIRE(sch.streams.size() >= 18);
    for (const char* name : {"person_register", "school_attendance", "school_exclusions", "social_care_contacts",
                             "social_care_episodes", "police_domestic_abuse", "asb_incidents", "youth_offending",
                             "housing_tenancy", "rent_arrears", "homelessness_applications", "council_tax",
                             "housing_benefit", "dwp_benefits", "adult_social_care", "health_ae",
                             "health_substance_misuse", "health_mental_health"}) {
      CAPTURE(name);
      const Stream& s = sch.stream(name);
      std::string header;
      for (const auto& f : s.fields) header += (header.empty() ? "" : ",") + f.name;
      Collected c;
      const auto r = run(s, header + "\n", c);  // also checks every declared format is known
      CHECK(r.rows_read == 0);
      CHECK(r.reconciled());
      CHECK(r.report.fields.size() == s.fields.size());
      // Without its record id column the extract cannot be read.
      const Field* id = s.find(s.record_id_field);
      REQUIRE(id != nullptr);
      std::string without;
      for (const auto& f : s.fields)
        if (f.name != id->name) without += (without.empty() ? "" : ",") + f.name;
      CHECK_THROWS_WITH_AS(run(s, without + "\n", c), doctest::Contains(id->name.c_str()), SchemaError);
    }
  }

  TEST_CASE("ingest.builtin: school_attendance rows, UK dates and a duplicate record id") {
    const schema::Schema sch = schema::Schema::builtin();
    const Stream& s = sch.stream("school_attendance");
    Collected c;
    const std::string header =
        "record_id,upn,first_name,middle_name,surname,dob,sex,postcode,school_urn,academic_year,term,"
        "term_end_date,sessions_possible,sessions_attended,authorised_absence_sessions,"
        "unauthorised_absence_sessions,free_school_meals,sen_status\n";
    const auto r = run(s,
                       header +
                           "a1,Z213282605052,Ann,,Smith,03/04/2012,F,sw1a2aa,100000,2020/21,autumn,18/12/2020,140,130,5,5,Y,none\n"
                           "a2,Z213282605052,Ann,,Smith,03/04/2012,F,M1 1AE,100000,2020/21,spring,31/03/2021,401,130,5,5,N,none\n"
                           "a1,Z213282605052,Ann,,Smith,03/04/2012,F,M1 1AE,100000,2020/21,summer,16/07/2021,140,130,5,5,N,none\n",
                       c);
    CHECK(r.rows_read == 3);
    CHECK(r.reconciled());
    REQUIRE(c.clean.size() == 1);
    CHECK(c.clean[0][5] == "2012-04-03");
    CHECK(c.clean[0][7] == "SW1A 2AA");
    REQUIRE(c.rejects.size() == 2);
    CHECK(c.rejects[0].field == "sessions_possible");
    CHECK(c.rejects[0].kind == RejectKind::out_of_range);
    CHECK(c.rejects[1].kind == RejectKind::duplicate_key);
  }

  TEST_CASE("ingest.builtin: the sample council extracts reconcile") {
    const std::filesystem::path dir = eh_test::source_dir() / "examples" / "data" / "sample_council";
    if (!std::filesystem::is_directory(dir)) {
      MESSAGE("skipped: no sample extracts in " << dir.string());
      return;
    }
    const schema::Schema sch = schema::Schema::builtin();
    int n_files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".csv") continue;
      const Stream* s = sch.find(entry.path().stem().string());
      if (s == nullptr) continue;
      CAPTURE(entry.path().string());
      auto reader = io::CsvReader::open(entry.path().string());
      Collected c;
      CollectingSink sink(c);
      const auto r = io::validate_stream(*s, reader, sink);
      CHECK(r.reconciled());
      CHECK(r.rows_read == c.clean.size() + c.rejects.size());
      CHECK(r.rows_read > 0);
      ++n_files;
    }
    MESSAGE(n_files << " sample extracts validated");
  }
}

TEST_SUITE("ingest") {
  TEST_CASE("ingest.validate: in an event stream a date of birth after the event date is rejected") {
    Stream s;
    s.name = "visits";
    s.kind = "event";
    s.event_date_field = "seen_at";
    Field dob = make_field("dob", FieldType::date);
    dob.link_key = "dob";
    s.fields = {make_field("id", FieldType::identifier), dob, make_field("seen_at", FieldType::datetime)};
    Collected c;
    const auto r = run(s, "id,dob,seen_at\na,01/02/2010,2020-01-01T10:00\nb,02/01/2020,2020-01-01 09:00\nc,01/01/2020,01/01/2020\n", c);
    CHECK(r.rows_clean == 2);
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.rejects[0].row == 2);
    CHECK(c.rejects[0].field == "dob");
    CHECK(c.rejects[0].reason == "date of birth after the seen_at");
    CHECK(quality(r, "dob").n_invalid == 1);
    CHECK(quality(r, "dob").n_valid == 2);
    // The same rows in a register are not checked.
    s.kind = "register";
    Collected d;
    CHECK(run(s, "id,dob,seen_at\nb,02/01/2020,2020-01-01 09:00\n", d).rows_clean == 1);
  }
}

TEST_SUITE("ingest") {
  TEST_CASE("ingest.validate: a postcode's length is measured after its spaces are normalised") {
    Stream s;
    s.name = "homes";
    Field pc = make_field("postcode", FieldType::text);
    pc.format = "uk_postcode";
    pc.max_length = 8;
    Field nhs = make_field("nhs_number", FieldType::identifier);
    nhs.format = "nhs_number";
    nhs.max_length = 12;
    s.fields = {make_field("id", FieldType::identifier), pc, nhs};
    Collected c;
    const auto r = run(s,
                       "id,postcode,nhs_number\n"
                       "a,SW1A  1AA,943  476 5919\n"
                       "b,sw1a1aa,\n"
                       "c,SW1A\t 1AA,\n"
                       "d,SW1A 1AAA,\n",
                       c);
    CHECK(r.rows_clean == 3);
    REQUIRE(c.clean.size() == 3);
    CHECK(c.clean[0] == std::vector<std::string>{"a", "SW1A 1AA", "9434765919"});
    CHECK(c.clean[1][1] == "SW1A 1AA");
    CHECK(c.clean[2][1] == "SW1A 1AA");
    REQUIRE(c.rejects.size() == 1);
    CHECK(c.rejects[0].row == 4);
    CHECK(c.rejects[0].kind == RejectKind::invalid_format);
  }

  TEST_CASE("ingest.validate: a semicolon-separated file or a PDF is named in the header error") {
    const Stream s = test_stream();
    Collected c;
    const std::string semi = "person_id;dob;age;score;flag;sex;postcode;nhs_number\np;1;2;3;4;5;6;7\n";
    CHECK_THROWS_WITH_AS(run(s, semi, c),
                         doctest::Contains("people.csv: missing required columns for stream test_people: person_id, dob"),
                         SchemaError);
    CHECK_THROWS_WITH_AS(run(s, semi, c),
                         doctest::Contains("; the header of people.csv is one column holding 7 semicolon characters: "
                                           "the file looks semicolon-separated (give that delimiter)"),
                         SchemaError);
    CHECK_THROWS_WITH_AS(run(s, "%PDF-1.5\nstream\n", c),
                         "people.csv: not a CSV text file: it looks like a PDF document", FormatError);
  }
}
