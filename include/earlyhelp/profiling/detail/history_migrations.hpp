// SPDX-License-Identifier: Apache-2.0
#pragma once

// The alert history's layout versions and how a file moves between them (alert_history.hpp).
// Internal: the library and its tests use it; an application opens an AlertHistory instead.

#include <string>
#include <vector>

struct sqlite3;

namespace earlyhelp::profiling::detail {

/// One step of the layout: the SQL that turns version - 1 into `version`.
struct Migration {
  int version;
  const char* sql;
};

/// The layout's migrations, in order: version 1 creates the runs, assessments and alerts tables.
const std::vector<Migration>& history_migrations();

/// Brings the open database `db` (file `path`, for messages) to the last version of
/// `migrations`, each step in its own transaction that also records the new version, and
/// returns the version reached. A database with no tables is version 0.
/// @throws FormatError when the file is not an SQLite database, holds tables but no
///         schema_version (not an earlyhelp history), or holds a version newer than the last
///         migration; Error when a step fails (that step is rolled back; earlier steps stay).
int migrate(sqlite3* db, const std::string& path, const std::vector<Migration>& migrations);

}  // namespace earlyhelp::profiling::detail
