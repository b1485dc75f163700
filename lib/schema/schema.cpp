// SPDX-License-Identifier: Apache-2.0
// Loading, validating and writing schema JSON, and the Markdown data dictionary.
//
// Every loading error names the source, the JSON path of the offending value and what was
// expected versus found, e.g.
//   council.json: streams[3].fields[2].type: expected one of integer, float, ...; got "string"
// Schema files hold no personal data, so quoting the offending value is safe here.

#include "earlyhelp/schema/schema.hpp"

#include "schema/json_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <utility>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view name) noexcept;
}

namespace earlyhelp::schema {
namespace {

using detail::describe;
using detail::join;
using detail::parse_json;
using detail::read_file;
using detail::Reader;
using detail::suggestion;
using json = detail::json;

constexpr std::string_view builtin_file = "council.schema.json";

const std::vector<std::string_view> stream_kinds{"register", "event", "episode"};

// Keys each object may hold, in the order to_json writes them.
const std::vector<std::string_view> schema_keys{"name", "version", "description", "streams"};
const std::vector<std::string_view> stream_keys{
    "name",   "title",   "description",     "kind",             "owner",          "lawful_basis",
    "refresh", "record_id_field", "event_date_field", "subject_min_age", "missing_values", "fields"};
const std::vector<std::string_view> field_keys{
    "name",   "type",     "label",    "description", "unit",    "min",
    "max",    "categories", "max_length", "format",   "required", "nullable",
    "unique", "missing",  "identifier_role", "link_key", "sensitivity"};

// The `name`s of fields or streams, for messages listing what exists.
template <class T>
std::vector<std::string_view> names_of(const std::vector<T>& items) {
  std::vector<std::string_view> out;
  for (const auto& x : items) out.push_back(x.name);
  return out;
}

bool is_iso_date(std::string_view s) noexcept {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && parse_date(s).has_value();
}

template <class E, std::size_t N>
std::vector<std::string_view> enum_names(const E (&values)[N]) {
  std::vector<std::string_view> out;
  for (E v : values) out.push_back(to_string(v));
  return out;
}

const FieldType all_types[] = {FieldType::integer,  FieldType::floating, FieldType::boolean,
                               FieldType::category, FieldType::date,     FieldType::datetime,
                               FieldType::identifier, FieldType::text};
const IdentifierRole all_roles[] = {IdentifierRole::none, IdentifierRole::direct, IdentifierRole::quasi,
                                    IdentifierRole::pseudonymised_key};
const Sensitivity all_sensitivities[] = {Sensitivity::ordinary, Sensitivity::special_category,
                                         Sensitivity::criminal_offence};
const Missing all_missing[] = {Missing::propagate, Missing::zero, Missing::skip};

bool is_numeric(FieldType t) noexcept { return t == FieldType::integer || t == FieldType::floating; }
bool is_dated(FieldType t) noexcept { return t == FieldType::date || t == FieldType::datetime; }
bool is_textual(FieldType t) noexcept { return t == FieldType::text || t == FieldType::identifier; }

// Reads "min" or "max": a number for integer/float fields, an ISO date string for date fields.
void read_bound(const Reader& r, std::string_view key, Field& f, std::optional<double>& num,
                std::optional<Date>& date) {
  if (!r.has(key)) return;
  const json& v = r.value(key);
  if (is_numeric(f.type)) {
    if (!v.is_number())
      r.fail_at(r.at(key), fmt::format("expected a number; got {}", describe(v)));
    const double x = v.get<double>();
    if (f.type == FieldType::integer && (std::floor(x) != x || std::fabs(x) > 9.0e15))
      r.fail_at(r.at(key), fmt::format("expected a whole number for an integer field; got {}", describe(v)));
    num = x;
  } else if (is_dated(f.type)) {
    if (!v.is_string() || !is_iso_date(v.get<std::string>()))
      r.fail_at(r.at(key), fmt::format("expected an ISO date \"yyyy-mm-dd\"; got {}", describe(v)));
    date = parse_date(v.get<std::string>());
  } else {
    r.fail_at(r.at(key), fmt::format("expected no {} on this {} field (bounds apply to integer, float, "
                                     "date and datetime fields); got {}",
                                     key, to_string(f.type), describe(v)));
  }
}

Field read_field(std::string_view source, const json& j, const std::string& path) {
  const Reader r(source, j, path, field_keys);
  Field f;
  f.name = r.name("name");
  const std::vector<std::string_view> type_names = enum_names(all_types);
  if (!r.has("type")) r.fail_at(path, "missing required key \"type\"");
  f.type = r.enumeration("type", FieldType::text, &parse_field_type, type_names);
  f.label = r.string("label", false);
  f.description = r.string("description", false);
  f.unit = r.string("unit", false);

  read_bound(r, "min", f, f.min, f.min_date);
  read_bound(r, "max", f, f.max, f.max_date);
  if (f.min && f.max && *f.min > *f.max)
    r.fail_at(r.at("max"), fmt::format("expected a value >= min ({}); got {}", *f.min, *f.max));
  if (f.min_date && f.max_date && *f.min_date > *f.max_date)
    r.fail_at(r.at("max"), fmt::format("expected a date on or after min ({}); got {}",
                                       format_date(*f.min_date), format_date(*f.max_date)));

  if (r.has("categories")) {
    if (f.type != FieldType::category)
      r.fail_at(r.at("categories"), fmt::format("expected no categories on this {} field (only category "
                                                "fields have them); got {}",
                                                to_string(f.type), describe(r.value("categories"))));
    f.categories = r.strings("categories", false);
  }
  if (f.type == FieldType::category && f.categories.empty())
    r.fail_at(r.at("categories"),
              fmt::format("expected a non-empty list of allowed values for a category field; got {}",
                          r.has("categories") ? describe(r.value("categories")) : "nothing"));

  if (r.has("max_length")) {
    const json& v = r.value("max_length");
    if (!is_textual(f.type))
      r.fail_at(r.at("max_length"), fmt::format("expected no max_length on this {} field (only text and "
                                                "identifier fields have one); got {}",
                                                to_string(f.type), describe(v)));
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0 || v.get<std::uint64_t>() > 1000000)
      r.fail_at(r.at("max_length"), fmt::format("expected a whole number from 1 to 1000000; got {}", describe(v)));
    f.max_length = static_cast<std::size_t>(v.get<std::uint64_t>());
  }

  f.format = r.one_of("format", field_formats(), true);
  if (!f.format.empty() && !is_textual(f.type))
    r.fail_at(r.at("format"), fmt::format("expected no format on this {} field (only text and identifier "
                                          "fields have one); got \"{}\"",
                                          to_string(f.type), f.format));
  f.required = r.boolean("required", true);
  f.nullable = r.boolean("nullable", true);
  f.unique = r.boolean("unique", false);
  f.missing = r.enumeration("missing", Missing::propagate, &parse_missing, enum_names(all_missing));
  f.identifier_role = r.enumeration("identifier_role", IdentifierRole::none, &parse_identifier_role,
                                    enum_names(all_roles));
  f.link_key = r.one_of("link_key", link_keys(), true);
  f.sensitivity = r.enumeration("sensitivity", Sensitivity::ordinary, &parse_sensitivity,
                                enum_names(all_sensitivities));
  return f;
}

// Checks that `key` of a stream names one of its fields, and returns that field.
const Field* field_ref(const Reader& r, const Stream& s, std::string_view key, const std::string& value) {
  const Field* f = s.find(value);
  if (f == nullptr) {
    const auto names = names_of(s.fields);
    r.fail_at(r.at(key), fmt::format("expected the name of one of this stream's fields ({}); got \"{}\"{}",
                                      join(names), value, suggestion(value, names)));
  }
  return f;
}

Stream read_stream(std::string_view source, const json& j, const std::string& path) {
  const Reader r(source, j, path, stream_keys);
  Stream s;
  s.name = r.name("name");
  s.title = r.string("title", false);
  s.description = r.string("description", false);
  if (!r.has("kind")) r.fail_at(path, "missing required key \"kind\"");
  s.kind = r.one_of("kind", stream_kinds, false);
  s.owner = r.string("owner", false);
  s.lawful_basis = r.string("lawful_basis", false);
  s.refresh = r.string("refresh", false);
  if (r.has("missing_values")) s.missing_values = r.strings("missing_values", true);

  if (!r.has("fields")) r.fail_at(path, "missing required key \"fields\"");
  const json& fields = r.value("fields");
  if (!fields.is_array() || fields.empty())
    r.fail_at(r.at("fields"), fmt::format("expected a non-empty list of fields; got {}", describe(fields)));
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string fp = fmt::format("{}[{}]", r.at("fields"), i);
    Field f = read_field(source, fields[i], fp);
    if (const Field* prev = s.find(f.name)) {
      const auto first = static_cast<std::size_t>(prev - s.fields.data());
      r.fail_at(fp + ".name", fmt::format("expected a unique field name; got \"{}\" again (first at {}[{}])",
                                          f.name, r.at("fields"), first));
    }
    s.fields.push_back(std::move(f));
  }

  s.record_id_field = r.string("record_id_field", true);
  field_ref(r, s, "record_id_field", s.record_id_field);
  s.event_date_field = r.string("event_date_field", false);
  if (!s.event_date_field.empty()) {
    const Field* f = field_ref(r, s, "event_date_field", s.event_date_field);
    if (!is_dated(f->type))
      r.fail_at(r.at("event_date_field"), fmt::format("expected a date or datetime field; got \"{}\" ({})",
                                                      f->name, to_string(f->type)));
  } else if (s.kind != "register") {
    r.fail_at(path, fmt::format("missing required key \"event_date_field\" (an {} stream needs the date "
                                "field that places each row in time)",
                                s.kind));
  }
  if (r.has("subject_min_age")) {
    const json& v = r.value("subject_min_age");
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 120)
      r.fail_at(r.at("subject_min_age"), fmt::format("expected a whole number of years from 0 to 120; got {}", describe(v)));
    if (s.event_date_field.empty() && v.get<std::uint64_t>() > 0)
      r.fail_at(r.at("subject_min_age"), "expected an event_date_field with subject_min_age (the age applies on the event date)");
    s.subject_min_age = static_cast<int>(v.get<std::uint64_t>());
  }
  return s;
}

json number_json(double x) {
  // Whole numbers are written without ".0" so integer bounds read naturally and round-trip.
  if (std::floor(x) == x && std::fabs(x) < 9.0e15) return json(static_cast<std::int64_t>(x));
  return json(x);
}

json field_json(const Field& f) {
  json j;
  j["name"] = f.name;
  j["type"] = to_string(f.type);
  if (!f.label.empty()) j["label"] = f.label;
  if (!f.description.empty()) j["description"] = f.description;
  if (!f.unit.empty()) j["unit"] = f.unit;
  if (f.min) j["min"] = number_json(*f.min);
  if (f.min_date) j["min"] = format_date(*f.min_date);
  if (f.max) j["max"] = number_json(*f.max);
  if (f.max_date) j["max"] = format_date(*f.max_date);
  if (!f.categories.empty()) j["categories"] = f.categories;
  if (f.max_length) j["max_length"] = static_cast<std::uint64_t>(*f.max_length);
  if (!f.format.empty()) j["format"] = f.format;
  if (!f.required) j["required"] = false;
  if (!f.nullable) j["nullable"] = false;
  if (f.unique) j["unique"] = true;
  if (f.missing != Missing::propagate) j["missing"] = to_string(f.missing);
  if (f.identifier_role != IdentifierRole::none) j["identifier_role"] = to_string(f.identifier_role);
  if (!f.link_key.empty()) j["link_key"] = f.link_key;
  if (f.sensitivity != Sensitivity::ordinary) j["sensitivity"] = to_string(f.sensitivity);
  return j;
}

json stream_json(const Stream& s) {
  json j;
  j["name"] = s.name;
  j["title"] = s.title;
  j["description"] = s.description;
  j["kind"] = s.kind;
  j["owner"] = s.owner;
  j["lawful_basis"] = s.lawful_basis;
  j["refresh"] = s.refresh;
  j["record_id_field"] = s.record_id_field;
  if (!s.event_date_field.empty()) j["event_date_field"] = s.event_date_field;
  if (s.subject_min_age > 0) j["subject_min_age"] = s.subject_min_age;
  j["missing_values"] = s.missing_values;
  j["fields"] = json::array();
  for (const auto& f : s.fields) j["fields"].push_back(field_json(f));
  return j;
}

// Markdown table cell: pipes escaped, newlines flattened.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string range_text(const Field& f) {
  std::vector<std::string> parts;
  auto bounds = [&](const std::string& lo, const std::string& hi) {
    if (!lo.empty() && !hi.empty()) parts.push_back(lo + " to " + hi);
    else if (!lo.empty()) parts.push_back(">= " + lo);
    else if (!hi.empty()) parts.push_back("<= " + hi);
  };
  bounds(f.min ? fmt::format("{}", *f.min) : std::string(), f.max ? fmt::format("{}", *f.max) : std::string());
  bounds(f.min_date ? format_date(*f.min_date) : std::string(),
         f.max_date ? format_date(*f.max_date) : std::string());
  if (!f.categories.empty()) {
    std::string c;
    for (std::size_t i = 0; i < f.categories.size(); ++i) c += (i ? ", `" : "`") + f.categories[i] + "`";
    parts.push_back(c);
  }
  if (!f.format.empty()) parts.push_back("format " + f.format);
  if (f.max_length) parts.push_back(fmt::format("at most {} characters", *f.max_length));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

}  // namespace

const std::vector<std::string_view>& link_keys() noexcept {
  static const std::vector<std::string_view> keys{"record_id", "first_name", "middle_name", "surname",
                                                  "dob",       "sex",        "address",     "town",
                                                  "postcode",  "uprn",       "nhs_number",  "upn"};
  return keys;
}

const std::vector<std::string_view>& field_formats() noexcept {
  static const std::vector<std::string_view> formats{"uk_postcode", "nhs_number", "uprn", "upn"};
  return formats;
}

bool operator==(const Field& a, const Field& b) {
  return a.name == b.name && a.type == b.type && a.label == b.label && a.description == b.description &&
         a.unit == b.unit && a.min == b.min && a.max == b.max && a.min_date == b.min_date &&
         a.max_date == b.max_date && a.categories == b.categories && a.max_length == b.max_length &&
         a.format == b.format && a.required == b.required && a.nullable == b.nullable &&
         a.unique == b.unique && a.missing == b.missing && a.identifier_role == b.identifier_role &&
         a.link_key == b.link_key && a.sensitivity == b.sensitivity;
}

bool operator==(const Stream& a, const Stream& b) {
  return a.name == b.name && a.title == b.title && a.description == b.description && a.kind == b.kind &&
         a.owner == b.owner && a.lawful_basis == b.lawful_basis && a.refresh == b.refresh &&
         a.record_id_field == b.record_id_field && a.event_date_field == b.event_date_field &&
         a.subject_min_age == b.subject_min_age && a.missing_values == b.missing_values && a.fields == b.fields;
}

bool operator==(const Schema& a, const Schema& b) {
  return a.name == b.name && a.version == b.version && a.description == b.description &&
         a.streams == b.streams;
}

const Field& Stream::field(std::string_view field_name) const {
  if (const Field* f = find(field_name)) return *f;
  const auto names = names_of(fields);
  throw SchemaError(fmt::format("Stream::field: stream \"{}\" has no field \"{}\"{}; its fields are {}", name,
                                field_name, suggestion(field_name, names), join(names)));
}

std::vector<std::string> Stream::field_names() const {
  std::vector<std::string> out;
  out.reserve(fields.size());
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

bool Stream::is_missing_value(std::string_view value) const noexcept {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return std::find(missing_values.begin(), missing_values.end(), value) != missing_values.end();
}

const Stream& Schema::stream(std::string_view stream_name) const {
  if (const Stream* s = find(stream_name)) return *s;
  const auto names = names_of(streams);
  throw SchemaError(fmt::format("Schema::stream: schema \"{}\" has no stream \"{}\"{}; known streams: {}", name,
                                stream_name, suggestion(stream_name, names), join(names)));
}

Schema Schema::from_json(std::string_view json_text, std::string_view source) {
  const json root = parse_json(json_text, source);

  const Reader r(source, root, "", schema_keys);
  Schema s;
  s.name = r.name("name");
  s.version = r.string("version", false);
  s.description = r.string("description", false);
  if (!r.has("streams")) r.fail_at("", "missing required key \"streams\"");
  const json& streams = r.value("streams");
  if (!streams.is_array() || streams.empty())
    r.fail_at("streams", fmt::format("expected a non-empty list of streams; got {}", describe(streams)));
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const std::string path = fmt::format("streams[{}]", i);
    Stream st = read_stream(source, streams[i], path);
    if (const Stream* prev = s.find(st.name)) {
      const auto first = static_cast<std::size_t>(prev - s.streams.data());
      r.fail_at(path + ".name", fmt::format("expected a unique stream name; got \"{}\" again (first at "
                                            "streams[{}])",
                                            st.name, first));
    }
    s.streams.push_back(std::move(st));
  }
  return s;
}

Schema Schema::from_file(const std::string& path) {
  return from_json(read_file(path, "Schema::from_file"), path);
}

Schema Schema::builtin() {
  // Parsed once per process (thread-safe static initialisation); callers get a copy.
  static const Schema catalogue = [] {
    const std::string_view text = earlyhelp::detail::embedded_file(builtin_file);
    if (text.empty())
      throw Error(fmt::format("Schema::builtin: {} is not embedded in this build", builtin_file));
    return from_json(text, fmt::format("{} (built-in)", builtin_file));
  }();
  return catalogue;
}

std::string Schema::to_json(int indent) const {
  json j;
  j["name"] = name;
  j["version"] = version;
  j["description"] = description;
  j["streams"] = json::array();
  for (const auto& s : streams) j["streams"].push_back(stream_json(s));
  return j.dump(indent) + "\n";
}

std::string Schema::to_markdown() const {
  std::string out = fmt::format("# Data dictionary: {} {}\n\n", name, version);
  if (!description.empty()) out += description + "\n\n";
  out += "| Stream | Title | Kind | Owner | Fields |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& s : streams)
    out += fmt::format("| [`{}`](#{}) | {} | {} | {} | {} |\n", s.name, s.name, cell(s.title), s.kind,
                       cell(s.owner), s.fields.size());
  out += "\nIdentifier roles: *direct* identifies a person alone (names, NHS number, UPN); *quasi* "
         "identifies in combination (date of birth, sex, address, postcode); *pseudonymised_key* "
         "is a system reference or keyed hash. Sensitivity *special_category* is UK GDPR article 9 "
         "data, *criminal_offence* article 10 data. *If missing* is how features treat a missing "
         "value: *propagate* (stays missing), *zero* (counts as 0 / false) or *skip* (the row is "
         "left out). *Required* means the column must be present; *Nullable* that a value may be "
         "empty (or one of the stream's missing values).\n";
  for (const auto& s : streams) {
    out += fmt::format("\n## {}\n\n", s.name);
    if (!s.title.empty()) out += fmt::format("**{}**", s.title) + (s.description.empty() ? "\n\n" : ". ");
    if (!s.description.empty()) out += s.description + "\n\n";
    std::string missing;
    for (std::size_t i = 0; i < s.missing_values.size(); ++i)
      missing += fmt::format("{}`\"{}\"`", i ? ", " : "", s.missing_values[i]);
    out += "| | |\n| --- | --- |\n";
    out += fmt::format("| Owner | {} |\n", cell(s.owner));
    out += fmt::format("| Lawful basis | {} |\n", cell(s.lawful_basis));
    out += fmt::format("| Refresh | {} |\n", cell(s.refresh));
    out += fmt::format("| Kind | {} |\n", s.kind);
    out += fmt::format("| Record id | `{}` |\n", s.record_id_field);
    out += fmt::format("| Event date | {} |\n",
                       s.event_date_field.empty() ? std::string("(none)") : "`" + s.event_date_field + "`");
    if (s.subject_min_age > 0) out += fmt::format("| Subjects aged at least | {} |\n", s.subject_min_age);
    out += fmt::format("| Missing values | {} |\n\n", cell(missing));
    out += "| Field | Label | Type | Unit | Range / categories | Required | Nullable | If missing | "
           "Identifier | Link key | Sensitivity | Description |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& f : s.fields) {
      std::string flags = f.unique ? " (unique)" : "";
      out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", f.name,
                         cell(f.label), to_string(f.type), cell(f.unit), cell(range_text(f)),
                         f.required ? "yes" : "no", (f.nullable ? "yes" : "no") + flags, to_string(f.missing),
                         to_string(f.identifier_role),
                         f.link_key.empty() ? std::string() : "`" + f.link_key + "`", to_string(f.sensitivity),
                         cell(f.description));
    }
  }
  return out;
}

}  // namespace earlyhelp::schema
