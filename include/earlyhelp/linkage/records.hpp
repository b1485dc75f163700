// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Records to link and their prepared, columnar form. Preparation normalises every identifying
/// field once, interns each distinct value (so exact agreement is an integer comparison and
/// phonetic codes, nickname groups and address tokens are computed once per distinct value),
/// and collapses records whose whole identity tuple is identical into one "identity": event
/// streams repeat the same person many times, and pairwise work is done on identities only.

#include "earlyhelp/core/id_hash_index.hpp"
#include "earlyhelp/linkage/input_checks.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace earlyhelp::linkage {

/// One input record in the canonical columns. Any field but record_id may be empty.
struct Record {
  std::string record_id;
  std::string source;  ///< the stream or dataset the record comes from
  std::string first_name;
  std::string middle_name;
  std::string surname;
  std::string dob;  ///< ISO, dd/mm/yyyy, yyyymmdd, yyyy-mm or yyyy
  std::string sex;
  std::string address;
  std::string town;
  std::string postcode;
  std::string uprn;        ///< a property reference: address evidence, not a person identifier
  std::string nhs_number;  ///< or any other person identifier (digits compared with typos allowed)
  /// The date the record's address refers to (an event, a snapshot), in any form parse_dob reads,
  /// or "current" for a register row that shows the present state (as of the extract: the latest
  /// date of any record). Not identity evidence: households use it to tell successive occupants
  /// of one address apart and to place a person who moved.
  std::string record_date;
  /// The youngest the subject can be on `record_date`, in whole years ("18" for a council tax
  /// liability); empty when anyone can appear. Not identity evidence on its own: a record with
  /// no date of birth from an adults-only system never matches a person born after it allows.
  std::string subject_min_age;
};

/// Names of the canonical input columns, in Record order.
const std::vector<std::string>& canonical_columns();

/// Position of `column` in canonical_columns(), or canonical_columns().size() when it is not one.
std::size_t canonical_column_index(std::string_view column) noexcept;

/// The field of `r` at position `index` of canonical_columns(), or nullptr past the end.
std::string* record_field(Record& r, std::size_t index) noexcept;
/// The field of `r` named `column` (a canonical column name), or nullptr when it is not canonical.
std::string* record_field(Record& r, std::string_view column) noexcept;

/// Sets the field of `r` named `column` (a canonical column name) to `value`.
/// @return false when `column` is not canonical.
bool set_record_field(Record& r, std::string_view column, std::string value);

/// Parses a date of birth in any supported form (ISO, dd/mm/yyyy, yyyymmdd, yyyy-mm, yyyy) into
/// yyyymmdd with 00 for an unknown month or day. @return 0 when absent or unparseable.
std::int32_t parse_dob(std::string_view text) noexcept;

/// A column of interned values: id 0 is "missing", ids 1.. index `values`.
struct InternedColumn {
  std::vector<std::string> values{std::string()};  ///< values[0] is the empty string
  std::vector<std::uint32_t> counts{0};            ///< identities carrying each value
  std::uint32_t intern(const std::string& v) { return intern(v, hash_of(v)); }  ///< 0 for "", does not count
  /// As intern(v), with `hash` = hash_of(v) computed already (on another thread, say).
  std::uint32_t intern(const std::string& v, std::uint64_t hash);
  std::uint32_t find(const std::string& v) const;  ///< 0 when absent
  std::size_t size() const noexcept { return values.size(); }
  static std::uint64_t hash_of(std::string_view v) noexcept { return std::hash<std::string_view>{}(v); }

 private:
  IdHashIndex index_;  // ids of values[1..] by hash_of (the strings are held once, in `values`)
};

/// Derived attributes of one distinct first-name or surname value.
struct NameInfo {
  std::uint32_t phonetic = 0;   ///< id of the Double Metaphone primary code (in PreparedRecords::codes)
  std::uint32_t canonical = 0;  ///< id of the nickname-canonical form (first names), else the value
  /// Further canonical forms of an ambiguous nickname ("Ed": Edmund, Edward, Edwin), 0 when none
  /// (room for every name of the built-in table: "Bert" has six).
  std::array<std::uint32_t, 7> more_canonical{};
  char initial = 0;
  bool is_initial = false;      ///< the value is a single letter
  /// Identities recording this first name with each sex (first names only; name_sex.hpp learns
  /// the name's sex from them).
  std::uint32_t female = 0, male = 0;
  /// Whether two names share a canonical form: "Ed" (Edmund, Edward or Edwin) and "Edward".
  bool shares_canonical(const NameInfo& other) const noexcept;
};

/// Derived attributes of one distinct address value.
struct AddressInfo {
  std::vector<std::uint32_t> tokens;  ///< sorted, unique token ids of the normalised address
  std::uint32_t flat = 0;             ///< id in PreparedRecords::codes, 0 when none
  std::uint32_t house = 0;
};

/// Derived attributes of one distinct postcode value.
struct PostcodeInfo {
  std::uint32_t sector = 0, district = 0, area = 0;  ///< ids in PreparedRecords::codes, 0 if not UK
};

/// Identity fields in comparison order.
enum class Field : std::uint8_t { first_name = 0, surname, dob, sex, address, postcode, town, uprn, identifier };
inline constexpr std::size_t n_fields = 9;
/// Name of a field ("first_name", ..., "identifier" for nhs_number).
std::string_view field_name(Field f) noexcept;

/// The prepared, deduplicated form of a set of records (see the file comment).
struct PreparedRecords {
  // Dictionaries.
  InternedColumn first, middle, surname, address, town, postcode, uprn, identifier, sources;
  InternedColumn codes;  ///< phonetic codes, flat/house numbers, postcode parts, address tokens
  std::vector<NameInfo> first_info, surname_info;
  std::vector<AddressInfo> address_info;
  std::vector<PostcodeInfo> postcode_info;

  // One row per identity.
  std::vector<std::uint32_t> first_id, middle_id, surname_id, address_id, town_id, postcode_id,
      uprn_id, identifier_id;
  std::vector<std::int32_t> dob;     ///< yyyymmdd, 00 for unknown parts, 0 if missing
  std::vector<char> sex;             ///< 'm', 'f' or 0
  /// Dates of birth given as Bloom-filter encodings (linkage/bloom.hpp): their `dob` is 0 and the
  /// encoding is interned here (0: none), compared by Dice.
  InternedColumn encoded_dob;
  std::vector<std::uint32_t> encoded_dob_id;
  std::vector<std::uint32_t> source_mask;  ///< bit per source (bit 31 = source 31 and beyond)
  std::vector<std::uint32_t> n_records;    ///< records collapsed into the identity
  std::vector<std::uint32_t> first_record; ///< index of the identity's first record
  std::vector<std::int32_t> born_by;       ///< latest possible birth date (yyyymmdd) its records imply, 0 if none

  // One row per record.
  std::vector<std::string> record_ids;
  std::vector<std::uint32_t> identity_of;  ///< record -> identity
  /// record -> its date as a day number (days since 1970-01-01: the one date unit of the linker),
  /// kNoDay when absent or partial, kCurrentDay for "current".
  std::vector<std::int32_t> record_day;
  static constexpr std::int32_t kNoDay = INT32_MIN;       ///< record_date absent or partial
  static constexpr std::int32_t kCurrentDay = INT32_MAX;  ///< record_date "current"
  /// Whether a record_day is a real day (not kNoDay or kCurrentDay).
  static constexpr bool is_dated(std::int32_t day) noexcept { return day != kNoDay && day != kCurrentDay; }
  std::vector<std::uint32_t> record_source;  ///< record -> id of its source in `sources`

  std::size_t n_identities() const noexcept { return first_id.size(); }
  std::size_t n_empty = 0;  ///< records with no identifying field (each kept as its own identity)
  /// Values add() could not use as given: unreadable dates (missing), values longer than
  /// kMaxComparedBytes (compared on a bounded prefix, see bound_compared). Counts only.
  InputIssues issues;

  /// Appends records (interning new values, merging identical identity tuples into existing
  /// identities). The values are normalised on `n_threads` threads (<= 0: all cores), then interned
  /// in record order, so the table is the same for any thread count.
  /// @return the identities created or touched, in first-seen order.
  /// @throws InvalidArgument on an empty or duplicate record_id (naming the row).
  std::vector<std::uint32_t> add(const std::vector<Record>& records, int n_threads = 1);

  /// Prepares one record as an identity appended to a copy-free scratch table: used by lookups.
  /// The record's values are interned into this table's dictionaries (counts unchanged).
  std::uint32_t add_scratch(const Record& r);
  /// Removes identities from `n` on (undoes add_scratch); dictionaries keep the new values.
  void truncate_identities(std::size_t n);

 private:
  // Indexes over keys these columns already hold (no copy of the keys: 3.6M record ids cost
  // ~30 MB here instead of ~350 MB in a map of strings).
  IdHashIndex tuple_index_;   ///< identity tuple (ids, dob, sex) -> identity
  IdHashIndex record_index_;  ///< record_id -> record
  std::uint64_t tuple_hash(std::uint32_t identity) const noexcept;
  bool same_tuple(std::uint32_t x, std::uint32_t y) const noexcept;
  std::uint32_t intern_first(const std::string& v, std::uint64_t hash);
  std::uint32_t intern_surname(const std::string& v, std::uint64_t hash);
  std::uint32_t intern_address(const std::string& v, std::uint64_t hash);
  std::uint32_t intern_postcode(const std::string& v, std::uint64_t hash);
  /// A record's identity values normalised as they are interned (normalise_fields in records.cpp).
  struct NormalisedFields;
  static void normalise_fields(const Record& r, NormalisedFields& f);
  std::uint32_t push_identity(const Record& r, const NormalisedFields& values, std::string* tuple_key,
                              InputIssues* count = nullptr);
};

/// Normalised forms used by preparation (exposed for tests and explanations).
std::string normalise_first_name(std::string_view s);
std::string normalise_surname(std::string_view s);
std::string normalise_postcode_key(std::string_view s);  ///< UK unit "SW1A 1AA", else upper-case raw
std::string normalise_identifier(std::string_view s);    ///< digits and letters only, upper-case

}  // namespace earlyhelp::linkage
