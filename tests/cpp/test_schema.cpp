// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view) noexcept;
}

using namespace earlyhelp;
using namespace earlyhelp::schema;

namespace {

// A valid two-stream schema; the bad-schema cases below each change one thing in it.
const char* const good_schema = R"({
  "name": "test",
  "version": "0.1",
  "streams": [
    {"name": "people", "kind": "register", "record_id_field": "record_id",
     "fields": [
       {"name": "record_id", "type": "identifier", "unique": true, "nullable": false,
        "identifier_role": "pseudonymised_key", "link_key": "record_id"},
       {"name": "surname", "type": "text", "identifier_role": "direct", "link_key": "surname"}
     ]},
    {"name": "visits", "kind": "event", "record_id_field": "record_id",
     "event_date_field": "visit_date",
     "fields": [
       {"name": "record_id", "type": "identifier", "link_key": "record_id"},
       {"name": "visit_date", "type": "date", "min": "2000-01-01", "max": "2100-12-31"},
       {"name": "minutes", "type": "integer", "min": 0, "max": 600, "unit": "minutes"},
       {"name": "postcode", "type": "text", "format": "uk_postcode", "link_key": "postcode"},
       {"name": "kind", "type": "category", "categories": ["home", "clinic"]}
     ]}
  ]
})";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE_MESSAGE(pos != std::string::npos, "test setup: '" << from << "' not in the schema");
  text.replace(pos, from.size(), to);
  return text;
}

std::string load_error(const std::string& text) {
  try {
    Schema::from_json(text, "bad.json");
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::vector<std::string> catalogue_streams{
    "person_register",    "school_attendance",    "school_exclusions",       "social_care_contacts",
    "social_care_episodes", "police_domestic_abuse", "asb_incidents",         "youth_offending",
    "housing_tenancy",    "rent_arrears",         "homelessness_applications", "council_tax",
    "housing_benefit",    "dwp_benefits",         "adult_social_care",       "health_ae",
    "health_substance_misuse", "health_mental_health", "early_help_episodes"};

}  // namespace

TEST_SUITE("schema") {
  TEST_CASE("schema.builtin: the council catalogue has every stream with identifiers and labels") {
    const Schema s = Schema::builtin();
    CHECK(s.name == "council");
    CHECK(s.version == "1.0");
    REQUIRE(s.streams.size() == catalogue_streams.size());
    for (const auto& name : catalogue_streams) {
      CAPTURE(name);
      const Stream& st = s.stream(name);
      CHECK(!st.title.empty());
      CHECK(!st.owner.empty());
      CHECK(!st.lawful_basis.empty());
      CHECK(!st.refresh.empty());
      const Field& rid = st.field(st.record_id_field);
      CHECK(rid.name == "record_id");
      CHECK(rid.unique);
      CHECK(!rid.nullable);
      CHECK(rid.identifier_role == IdentifierRole::pseudonymised_key);
      CHECK(rid.link_key == "record_id");
      if (st.kind != "register") {
        REQUIRE(st.find(st.event_date_field) != nullptr);
        const FieldType t = st.field(st.event_date_field).type;
        CHECK((t == FieldType::date || t == FieldType::datetime));
      }
      // Every system holds at least a name, a date of birth or address, and a surname.
      CHECK(st.field("surname").link_key == "surname");
      CHECK(st.field("surname").identifier_role == IdentifierRole::direct);
      CHECK(st.field("first_name").identifier_role == IdentifierRole::direct);
      CHECK((st.find("dob") != nullptr || st.find("postcode") != nullptr));
      for (const auto& f : st.fields) {
        CAPTURE(f.name);
        CHECK(!f.label.empty());
        CHECK(!f.description.empty());
        if (f.name == "postcode") CHECK(f.format == "uk_postcode");
        if (f.link_key == "uprn") CHECK(f.format == "uprn");
        if (f.name == "nhs_number") {
          CHECK(f.format == "nhs_number");
          CHECK(f.identifier_role == IdentifierRole::direct);
        }
        if (f.name == "upn") {
          CHECK(f.format == "upn");
          CHECK(f.link_key == "upn");
        }
        if (f.name == "dob") {
          CHECK(f.identifier_role == IdentifierRole::quasi);
          CHECK(f.link_key == "dob");
          REQUIRE(f.min_date.has_value());
          CHECK(*f.min_date == from_civil(1900, 1, 1));
        }
        if (f.unit == "GBP" || f.unit == "GBP/week" || f.unit == "GBP/year") {
          REQUIRE(f.min.has_value());
          CHECK(*f.min == 0.0);
        }
        if (f.unit == "sessions") {
          CHECK(*f.min == 0.0);
          CHECK(*f.max == 400.0);
        }
      }
    }
    // System-specific identifiers.
    for (const char* name : {"school_attendance", "school_exclusions"})
      CHECK(s.stream(name).find("upn") != nullptr);
    for (const char* name : {"person_register", "adult_social_care", "health_ae", "health_substance_misuse",
                             "health_mental_health"})
      CHECK(s.stream(name).field("nhs_number").link_key == "nhs_number");
    CHECK(s.stream("person_register").field("ethnicity_group").sensitivity == Sensitivity::special_category);
    CHECK(s.stream("youth_offending").field("outcome").sensitivity == Sensitivity::criminal_offence);
    CHECK(s.stream("housing_tenancy").field("property_uprn").link_key == "uprn");
    CHECK(s.stream("council_tax").field("band").categories ==
          std::vector<std::string>{"A", "B", "C", "D", "E", "F", "G", "H"});
    CHECK(s.stream("social_care_episodes").field("episode_type").categories ==
          std::vector<std::string>{"cin", "cpp", "lac"});
    CHECK(s.stream("police_domestic_abuse").field("risk_level").categories ==
          std::vector<std::string>{"standard", "medium", "high"});
    CHECK(s.stream("school_attendance").field("term").categories ==
          std::vector<std::string>{"autumn", "spring", "summer"});
  }

  TEST_CASE("schema.builtin: cached parse returns equal copies") {
    CHECK(Schema::builtin() == Schema::builtin());
  }

  TEST_CASE("schema.builtin: the catalogue file is in canonical to_json form") {
    // Keeps the hand-maintained JSON tidy: re-save with `earlyhelp schema --format json`.
    const std::string_view file = detail::embedded_file("council.schema.json");
    REQUIRE(!file.empty());
    CHECK(Schema::builtin().to_json() == file);
  }

  TEST_CASE("schema.to_json: round-trips exactly through from_json") {
    const Schema s = Schema::builtin();
    const std::string text = s.to_json();
    const Schema back = Schema::from_json(text, "roundtrip.json");
    CHECK(back == s);
    CHECK(back.to_json() == text);
    CHECK(text.find("\"streams\"") != std::string::npos);

    // Every optional member survives: float bounds, max_length, non-default flags and policies.
    Schema small = Schema::from_json(good_schema);
    Field& minutes = small.streams[1].fields[2];
    minutes.type = FieldType::floating;
    minutes.min = -1.5;
    minutes.max = 2.25;
    minutes.required = false;
    minutes.missing = Missing::skip;
    minutes.sensitivity = Sensitivity::criminal_offence;
    small.streams[1].missing_values = {"", "NULL", "n/a"};
    const Schema small_back = Schema::from_json(small.to_json(0));
    CHECK(small_back == small);
    CHECK(small_back.streams[1].fields[2].min == doctest::Approx(-1.5));
    Schema changed = small_back;
    changed.streams[1].fields[2].unique = true;
    CHECK(changed != small);
  }

  TEST_CASE("schema.from_json: defaults of omitted keys") {
    const Schema s = Schema::from_json(good_schema);
    const Stream& v = s.stream("visits");
    CHECK(v.missing_values == std::vector<std::string>{""});
    const Field& k = v.field("kind");
    CHECK(k.required);
    CHECK(k.nullable);
    CHECK(!k.unique);
    CHECK(k.missing == Missing::propagate);
    CHECK(k.identifier_role == IdentifierRole::none);
    CHECK(k.sensitivity == Sensitivity::ordinary);
    CHECK(v.field("visit_date").min_date == from_civil(2000, 1, 1));
    CHECK(v.field("minutes").max == doctest::Approx(600));
    CHECK(v.field_names() == std::vector<std::string>{"record_id", "visit_date", "minutes", "postcode", "kind"});
  }

  TEST_CASE("schema.stream/field: unknown names list what exists") {
    const Schema s = Schema::from_json(good_schema);
    CHECK_THROWS_WITH_AS(s.stream("visit"),
                         "Schema::stream: schema \"test\" has no stream \"visit\" (did you mean \"visits\"?); "
                         "known streams: people, visits",
                         SchemaError);
    CHECK_THROWS_WITH_AS(s.stream("people").field("dob"),
                         "Stream::field: stream \"people\" has no field \"dob\"; its fields are record_id, surname",
                         SchemaError);
  }

  TEST_CASE("schema.is_missing_value: trims and compares with the stream's list") {
    Stream st;
    st.missing_values = {"", "NULL", "N/A"};
    CHECK(st.is_missing_value(""));
    CHECK(st.is_missing_value("  NULL "));
    CHECK(st.is_missing_value("\tN/A"));
    CHECK_FALSE(st.is_missing_value("null"));
    CHECK_FALSE(st.is_missing_value("0"));
  }

  TEST_CASE("schema.from_json: errors name the source, the JSON path and expected vs found") {
    struct Case {
      const char* what;
      std::string from, to;
      std::string message;
    };
    const std::vector<Case> cases{
        {"unknown type", R"("type": "integer")", R"("type": "string")",
         "bad.json: streams[1].fields[2].type: expected one of integer, float, boolean, category, date, "
         "datetime, identifier, text; got \"string\""},
        {"misspelt key", R"("unit": "minutes")", R"("units": "minutes")",
         "bad.json: streams[1].fields[2].units: unknown key (did you mean \"unit\"?); expected one of name, "
         "type, label, description, unit, min, max, categories, max_length, format, required, nullable, "
         "unique, missing, identifier_role, link_key, sensitivity"},
        {"duplicate stream", R"("name": "visits")", R"("name": "people")",
         "bad.json: streams[1].name: expected a unique stream name; got \"people\" again (first at streams[0])"},
        {"duplicate field", R"("name": "minutes")", R"("name": "postcode")",
         "bad.json: streams[1].fields[3].name: expected a unique field name; got \"postcode\" again (first at "
         "streams[1].fields[2])"},
        {"record id names no field", R"("record_id_field": "record_id",
     "event_date_field")",
         R"("record_id_field": "record_ref",
     "event_date_field")",
         "bad.json: streams[1].record_id_field: expected the name of one of this stream's fields (record_id, "
         "visit_date, minutes, postcode, kind); got \"record_ref\""},
        {"subject age not a whole number", R"("event_date_field": "visit_date",)",
         R"("event_date_field": "visit_date", "subject_min_age": 17.5,)",
         "bad.json: streams[1].subject_min_age: expected a whole number of years from 0 to 120; got 17.5"},
        {"event date not a date", R"("event_date_field": "visit_date")", R"("event_date_field": "minutes")",
         "bad.json: streams[1].event_date_field: expected a date or datetime field; got \"minutes\" (integer)"},
        {"event stream without event date", R"("event_date_field": "visit_date",)", "",
         "bad.json: streams[1]: missing required key \"event_date_field\" (an event stream needs the date field "
         "that places each row in time)"},
        {"min above max", R"("min": 0, "max": 600)", R"("min": 700, "max": 600)",
         "bad.json: streams[1].fields[2].max: expected a value >= min (700); got 600"},
        {"date bound not ISO", R"("min": "2000-01-01")", R"("min": "01/01/2000")",
         "bad.json: streams[1].fields[1].min: expected an ISO date \"yyyy-mm-dd\"; got \"01/01/2000\""},
        {"date bounds reversed", R"("max": "2100-12-31")", R"("max": "1999-12-31")",
         "bad.json: streams[1].fields[1].max: expected a date on or after min (2000-01-01); got 1999-12-31"},
        {"fractional integer bound", R"("max": 600)", R"("max": 600.5)",
         "bad.json: streams[1].fields[2].max: expected a whole number for an integer field; got 600.5"},
        {"bound on a text field", R"("format": "uk_postcode",)", R"("format": "uk_postcode", "min": 1,)",
         "bad.json: streams[1].fields[3].min: expected no min on this text field (bounds apply to integer, float, "
         "date and datetime fields); got 1"},
        {"empty categories", R"(["home", "clinic"])", "[]",
         "bad.json: streams[1].fields[4].categories: expected a non-empty list of allowed values for a category "
         "field; got an empty list []"},
        {"categories on a non-category", R"("unit": "minutes")", R"("categories": ["a"])",
         "bad.json: streams[1].fields[2].categories: expected no categories on this integer field (only category "
         "fields have them); got a list"},
        {"duplicate category", R"(["home", "clinic"])", R"(["home", "home"])",
         "bad.json: streams[1].fields[4].categories[1]: expected unique values; got \"home\" twice"},
        {"unknown link key", R"("link_key": "postcode")", R"("link_key": "post_code")",
         "bad.json: streams[1].fields[3].link_key: expected one of record_id, first_name, middle_name, surname, "
         "dob, sex, address, town, postcode, uprn, nhs_number, upn or \"\"; got \"post_code\" (did you mean "
         "\"postcode\"?)"},
        {"unknown format", R"("format": "uk_postcode")", R"("format": "postcode")",
         "bad.json: streams[1].fields[3].format: expected one of uk_postcode, nhs_number, uprn, upn or \"\"; got "
         "\"postcode\""},
        {"wrong value type", R"("unique": true)", R"("unique": "yes")",
         "bad.json: streams[0].fields[0].unique: expected true or false; got \"yes\""},
        {"unknown role", R"("identifier_role": "direct")", R"("identifier_role": "indirect")",
         "bad.json: streams[0].fields[1].identifier_role: expected one of none, direct, quasi, pseudonymised_key; "
         "got \"indirect\" (did you mean \"direct\"?)"},
        {"unknown kind", R"("kind": "register")", R"("kind": "snapshot")",
         "bad.json: streams[0].kind: expected one of register, event, episode; got \"snapshot\""},
        {"name not snake_case", R"("name": "people")", R"("name": "People List")",
         "bad.json: streams[0].name: expected a snake_case name (a-z, 0-9 and _, starting with a letter); got "
         "\"People List\""},
        {"missing type", R"("type": "text", )", "",
         "bad.json: streams[0].fields[1]: missing required key \"type\""},
        {"duplicate key", R"("unit": "minutes")", R"("unit": "minutes", "unit": "hours")",
         "bad.json: streams[1].fields[2].unit: duplicate key; each key may appear once in an object"},
        {"unknown top-level key", R"("version": "0.1")", R"("verison": "0.1")",
         "bad.json: verison: unknown key (did you mean \"version\"?); expected one of name, version, "
         "description, streams"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.what);
      CHECK(load_error(replace(good_schema, c.from, c.to)) == c.message);
    }
    CHECK(load_error(R"({"name": "x", "streams": {}})") ==
          "bad.json: streams: expected a non-empty list of streams; got an object");
    CHECK(load_error("[1, 2]") == "bad.json: (top level): expected an object; got a list");
  }

  TEST_CASE("schema.from_json: JSON syntax errors give line, column and byte") {
    const std::string text = "{\n  \"name\": \"x\",\n  \"streams\": [ }\n";
    const std::string msg = load_error(text);
    CHECK(msg.rfind("bad.json: JSON syntax error at line 3, column 16 (byte 32): ", 0) == 0);
    CHECK(msg.find("syntax error while parsing") != std::string::npos);
    CHECK(load_error("").rfind("bad.json: JSON syntax error at line 1", 0) == 0);
  }

  TEST_CASE("schema.from_file: reads a file, names it in errors, IOError when unreadable") {
    CHECK_THROWS_AS(Schema::from_file("/nonexistent/earlyhelp/schema.json"), IOError);
    const std::string path = "eh_test_schema_from_file.json";
    {
      std::ofstream out(path);
      out << replace(good_schema, R"("type": "date")", R"("type": "day")");
    }
    try {
      Schema::from_file(path);
      FAIL("expected a SchemaError");
    } catch (const SchemaError& e) {
      CHECK(std::string(e.what()).rfind(path + ": streams[1].fields[1].type: expected one of", 0) == 0);
    }
    {
      std::ofstream out(path);
      out << good_schema;
    }
    CHECK(Schema::from_file(path) == Schema::from_json(good_schema));
    std::remove(path.c_str());
  }

  TEST_CASE("schema.to_markdown: every stream, its governance notes and its fields") {
    const Schema s = Schema::builtin();
    const std::string md = s.to_markdown();
    for (const auto& st : s.streams) {
      CAPTURE(st.name);
      CHECK(md.find("\n## " + st.name + "\n") != std::string::npos);
      CHECK(md.find(st.lawful_basis) != std::string::npos);
      for (const auto& f : st.fields) CHECK(md.find("| `" + f.name + "` | " + f.label + " |") != std::string::npos);
    }
    CHECK(md.find("| `sessions_attended` | Sessions attended this term | integer | sessions | 0 to 400 |") !=
          std::string::npos);
    CHECK(md.find("`autumn`, `spring`, `summer`") != std::string::npos);
  }
}
