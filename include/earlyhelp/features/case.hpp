// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One person's feature row for a case system: the system hands over the records it holds about
/// the person (and, for the family features, about the other members of their household), stream
/// by stream, and asks for the row as of a date. Rows are checked against the schema as
/// `earlyhelp validate` checks them; rejected rows are counted and not used. The C API's
/// eh_feature_case_* functions are this class.
///
/// Example:
/// ```cpp
/// earlyhelp::features::CaseRecords c(earlyhelp::features::FeatureSet::builtin());
/// c.add_rows(0, "police_domestic_abuse", {"record_id", "incident_ref", "first_name", ...},
///            {{"DA1", "INC7", "Amy", ...}});
/// std::vector<float> row = c.row(*earlyhelp::parse_date("2024-04-01"));  // set order
/// ```

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/events.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::features {

/// The records of one person and their household, with the definitions (a copy) they serve.
class CaseRecords {
 public:
  explicit CaseRecords(FeatureSet set);
  /// The definitions the rows are computed by.
  const FeatureSet& set() const noexcept { return set_; }

  /// Adds rows of `stream` about household member `member` (0 is the person whose row is
  /// computed; 1, 2, ... the others). Each row has one value per column name; columns the stream
  /// does not define are ignored, optional columns may be absent, required ones may not. A stream
  /// never given reads as not known (its features NaN); give it with no rows to say there are none.
  /// @return the rows the schema rejected (not used).
  /// @throws SchemaError for an unknown stream or a missing required column; InvalidArgument when a
  /// row's width differs from the column names.
  std::size_t add_rows(std::size_t member, std::string_view stream, const std::vector<std::string>& columns,
                       const std::vector<std::vector<std::string>>& rows);
  /// The role of a member when their age on the date is not known ("adult"/"child" in the
  /// households file); unknown by default. Setting any role (Role::unknown too) also says the
  /// members form a household: a person living alone is then a household of one, as the
  /// households file has them. Without a role set or a second member the case has no household.
  void set_role(std::size_t member, Role role);
  /// Members so far (the person and every member that has rows or a role).
  std::size_t members() const noexcept { return members_; }

  /// The person's row as of `as_of`: every feature of the set, in set order; family features over
  /// the members added as one household (NaN when only the person was given and no role was set:
  /// no household). They are the household's family-level row (features::compute at
  /// Level::family, what `earlyhelp profile` scores a family domain on) when every member the
  /// data knew before the date is added with their records (a member counts from their first
  /// record dated before `as_of`) and the households file's role.
  std::vector<float> row(Date as_of) const;

  /// The records as an event store for `set` (whose schema must hold the streams given, by name),
  /// every member in one household `household_id`, members numbered 0, 1, ... as person ids
  /// "000000", "000001", ... Used for one family's programme assessment
  /// (profiling::assess_family). @throws SchemaError for a stream `set`'s schema lacks.
  EventStore family_store(const FeatureSet& set, const std::string& household_id) const;
  /// Calls `fn(member, stream name, rows as CSV text with their header)` for every add_rows call,
  /// in order (e.g. to read the records that evidence a feature).
  template <class Fn>
  void for_each_rows(Fn&& fn) const {
    for (const Chunk& c : chunks_) fn(c.member, set_.schema().streams[c.stream].name, c.csv);
  }

 private:
  struct Chunk {
    std::size_t member;
    std::size_t stream;
    std::string csv;  // the rows as a CSV text with their header
  };
  EventStore store(const FeatureSet& set, const std::string* household_id) const;
  FeatureSet set_;
  std::vector<Chunk> chunks_;
  std::vector<Role> roles_;
  std::size_t members_ = 1;
  bool household_ = false;  // a role was set: the members are a household, even a lone person
};

}  // namespace earlyhelp::features
