// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The council data schema: which data streams (source systems) exist, what fields each holds,
/// their types, ranges, identifier roles, sensitivity and governance notes.
///
/// Schemas are JSON files (see README "Schema"); the built-in council catalogue ships with the
/// library and is returned by Schema::builtin(). Loading is implemented in lib/schema.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::schema {

/// Value type of a field. JSON names: "integer", "float", "boolean", "category", "date",
/// "datetime", "identifier", "text".
enum class FieldType { integer, floating, boolean, category, date, datetime, identifier, text };

/// What a field does for identity. JSON names: "none", "direct" (names, NHS number: identifies a
/// person alone or nearly), "quasi" (date of birth, postcode, sex: identifies in combination),
/// "pseudonymised_key" (a keyed hash or a system's own surrogate key).
enum class IdentifierRole { none, direct, quasi, pseudonymised_key };

/// Sensitivity under UK GDPR. JSON names: "ordinary", "special_category" (article 9: health,
/// ethnicity, ...), "criminal_offence" (article 10).
enum class Sensitivity { ordinary, special_category, criminal_offence };

/// How feature derivation treats a missing value. JSON names: "propagate" (stays missing, NaN),
/// "zero" (counts as 0 / false; for a category field, as none of its categories), "skip" (the
/// row contributes nothing).
enum class Missing { propagate, zero, skip };

/// One field (column) of a stream.
struct Field {
  std::string name;         ///< column name in the extract, snake_case
  FieldType type = FieldType::text;
  std::string label;        ///< plain-language name used in reports and reason codes
  std::string description;  ///< what the value means
  std::string unit;         ///< e.g. "sessions", "GBP", "days"; empty when unitless
  std::optional<double> min;  ///< inclusive lower bound (integer/float)
  std::optional<double> max;  ///< inclusive upper bound (integer/float)
  std::optional<Date> min_date;  ///< inclusive lower bound (date/datetime)
  std::optional<Date> max_date;  ///< inclusive upper bound (date/datetime)
  std::vector<std::string> categories;  ///< allowed values of a category field
  std::optional<std::size_t> max_length;  ///< longest allowed value in bytes (text/identifier)
  /// Named format check: "uk_postcode", "nhs_number", "uprn", "upn", or empty for none.
  std::string format;
  bool required = true;  ///< the column must be present in the extract
  bool nullable = true;  ///< the value may be empty
  bool unique = false;   ///< values must be unique within the stream (a key)
  Missing missing = Missing::propagate;
  IdentifierRole identifier_role = IdentifierRole::none;
  /// The canonical linkage column this field feeds: one of record_id, first_name, middle_name,
  /// surname, dob, sex, address, town, postcode, uprn, nhs_number, upn; empty if none.
  std::string link_key;
  Sensitivity sensitivity = Sensitivity::ordinary;
};

/// One data stream: the extract of one source system.
struct Stream {
  std::string name;         ///< snake_case key, also the extract's file stem
  std::string title;        ///< human title
  std::string description;
  std::string kind;         ///< "register", "event" or "episode"
  std::string owner;        ///< owning service
  std::string lawful_basis; ///< lawful-basis note (UK GDPR art. 6, and 9/10 where relevant)
  std::string refresh;      ///< refresh cadence, e.g. "daily", "weekly", "termly"
  std::string record_id_field;   ///< the field that identifies a row
  std::string event_date_field;  ///< date field of an event/episode stream; empty otherwise
  /// The youngest a row's subject can be on its event date (council tax liability: 18; adult
  /// social care: 18); 0 when anyone can appear. JSON key "subject_min_age". Linkage uses it to
  /// keep a child's records apart from a parent's record that carries no date of birth.
  int subject_min_age = 0;
  /// Cell values that mean "no value" in this extract, compared after trimming spaces
  /// (e.g. "", "NULL", "N/A"). JSON key "missing_values"; default {""}. A missing value in a
  /// field with `nullable = false` is a data-quality fault; otherwise the field's `missing`
  /// policy applies.
  std::vector<std::string> missing_values{""};
  std::vector<Field> fields;

  /// The field called `name`, or nullptr.
  const Field* find(std::string_view field_name) const noexcept {
    for (const auto& f : fields)
      if (f.name == field_name) return &f;
    return nullptr;
  }
  /// The field called `name`.
  /// @throws SchemaError naming the stream and its fields when there is none.
  const Field& field(std::string_view field_name) const;
  /// The names of the fields, in order (the header row of the stream's extract).
  std::vector<std::string> field_names() const;
  /// True when `value` (after trimming spaces and tabs) is one of `missing_values`.
  bool is_missing_value(std::string_view value) const noexcept;
};

/// A set of streams.
struct Schema {
  std::string name;
  std::string version;
  std::string description;
  std::vector<Stream> streams;

  /// The stream called `name`, or nullptr.
  const Stream* find(std::string_view stream_name) const noexcept {
    for (const auto& s : streams)
      if (s.name == stream_name) return &s;
    return nullptr;
  }
  /// The stream called `name`.
  /// @throws SchemaError naming the known streams when there is none.
  const Stream& stream(std::string_view stream_name) const;

  /// The built-in council catalogue (compiled into the library).
  static Schema builtin();
  /// Parses a schema from JSON text. `source` names the origin (file path) in errors.
  /// @throws SchemaError "<source>: <json path>: expected ..., got ..." on any problem.
  static Schema from_json(std::string_view json_text, std::string_view source = "<string>");
  /// Reads a schema JSON file. @throws IOError if unreadable, SchemaError if invalid.
  static Schema from_file(const std::string& path);
  /// The schema as JSON (streams under a top-level "streams" key); round-trips via from_json.
  std::string to_json(int indent = 2) const;
  /// A human data dictionary in Markdown.
  std::string to_markdown() const;
};

/// Member-wise equality (used to check that to_json/from_json round-trip exactly).
bool operator==(const Field& a, const Field& b);
bool operator==(const Stream& a, const Stream& b);
bool operator==(const Schema& a, const Schema& b);
inline bool operator!=(const Field& a, const Field& b) { return !(a == b); }
inline bool operator!=(const Stream& a, const Stream& b) { return !(a == b); }
inline bool operator!=(const Schema& a, const Schema& b) { return !(a == b); }

/// The canonical linkage columns a field's `link_key` may name, in a fixed order:
/// record_id, first_name, middle_name, surname, dob, sex, address, town, postcode, uprn,
/// nhs_number, upn.
const std::vector<std::string_view>& link_keys() noexcept;
/// The named formats a field's `format` may name: "uk_postcode", "nhs_number", "uprn", "upn".
const std::vector<std::string_view>& field_formats() noexcept;

/// JSON / display names of the enums, and their inverses (std::nullopt if unknown).
std::string_view to_string(FieldType t) noexcept;
std::string_view to_string(IdentifierRole r) noexcept;
std::string_view to_string(Sensitivity s) noexcept;
std::string_view to_string(Missing m) noexcept;
std::optional<FieldType> parse_field_type(std::string_view s) noexcept;
std::optional<IdentifierRole> parse_identifier_role(std::string_view s) noexcept;
std::optional<Sensitivity> parse_sensitivity(std::string_view s) noexcept;
std::optional<Missing> parse_missing(std::string_view s) noexcept;

}  // namespace earlyhelp::schema
