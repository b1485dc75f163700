// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Which input columns feed which canonical record columns (records.hpp): by name, or mapped by
/// the caller. One plan serves the CSV reader (`earlyhelp link --input`, `--map`) and pandas
/// frames (`earlyhelp.link(df, column_map=...)`), so both warn and refuse alike: a column the
/// linker does not know is named in a warning (with the map that would use it when its name is a
/// common spelling such as `forename` or `date_of_birth`), and an input with no name or date of
/// birth column at all is refused, since it would link on addresses alone.
///
/// Example:
/// ```cpp
/// auto plan = earlyhelp::linkage::plan_columns({"record_id", "forename", "surname"}, {},
///                                              "people.csv");
/// // plan.unused == {"forename"}; plan.warnings[0] suggests --map forename=first_name
/// ```

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// (their column, our canonical column) pairs.
using ColumnMap = std::vector<std::pair<std::string, std::string>>;

/// Parses "their=our,their2=our2". @throws InvalidArgument naming a malformed entry or an
/// unknown canonical column.
ColumnMap parse_column_map(std::string_view text);

/// How messages spell a column map: the CLI's `--map a=b` or Python's `column_map={"a": "b"}`.
enum class MapSyntax : std::uint8_t { cli, python };

/// ColumnPlan::target of a column that feeds nothing.
inline constexpr std::size_t kUnusedColumn = std::numeric_limits<std::size_t>::max();

/// How the columns of an input feed the canonical columns.
struct ColumnPlan {
  std::vector<std::size_t> target;    ///< per input column: index in canonical_columns(), or kUnusedColumn
  std::vector<std::string> unused;    ///< columns neither canonical nor mapped, in input order
  std::vector<std::string> warnings;  ///< about the columns: the unused ones, and maps that would use them
};

/// Plans the columns of an input (names are trimmed; a map entry wins over a canonical name).
/// @param where names the input in messages (a file name, or "link: df").
/// @throws InvalidArgument, naming `where`, when a column name repeats, the map names a column
/// the input does not have, no column is or maps to record_id, or none is or maps to a name or
/// a date of birth (first_name, middle_name, surname, dob). Column names appear in messages;
/// values never do. Complexity: O(columns x (map entries + aliases)).
ColumnPlan plan_columns(const std::vector<std::string>& columns, const ColumnMap& map, std::string_view where,
                        MapSyntax syntax = MapSyntax::cli);

/// `s` without the spaces, tabs and carriage returns around it: how column names and cells are
/// read by plan_columns and the record readers.
std::string_view trim_cell(std::string_view s) noexcept;

/// True when `column` is one of canonical_columns().
bool is_canonical_column(std::string_view column) noexcept;

/// The canonical column a common other spelling of it names ("forename", "Date of Birth",
/// "last_name", "gender", "post_code", ...), or "" when `column` is not one.
std::string_view suggested_column(std::string_view column);

}  // namespace earlyhelp::linkage
