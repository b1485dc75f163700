// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/profiling/detail/history_migrations.hpp"

#include "sqlite_db.hpp"

namespace earlyhelp::profiling::detail {

const std::vector<Migration>& history_migrations() {
  // Dates are ISO yyyy-mm-dd text (they sort as dates); lists are JSON arrays of strings.
  static const std::vector<Migration> migrations{
      {1, R"sql(
CREATE TABLE runs (
  domain TEXT NOT NULL,
  as_of TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  model_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  threshold REAL NOT NULL,
  min_rise REAL NOT NULL,
  cooldown_days INTEGER NOT NULL,
  require_contact INTEGER NOT NULL,
  alert_on_first_assessment INTEGER NOT NULL,
  subjects INTEGER NOT NULL,
  alerts INTEGER NOT NULL,
  recorded_utc TEXT NOT NULL,
  PRIMARY KEY (domain, as_of)
);
CREATE TABLE assessments (
  domain TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  score REAL NOT NULL,
  band TEXT NOT NULL,
  alerting_features TEXT NOT NULL,
  in_contact INTEGER NOT NULL,
  PRIMARY KEY (domain, subject_id, as_of)
) WITHOUT ROWID;
CREATE TABLE alerts (
  domain TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  score REAL NOT NULL,
  band TEXT NOT NULL,
  previous_score REAL,
  previous_as_of TEXT,
  new_features TEXT NOT NULL,
  reasons TEXT NOT NULL,
  model_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  recorded_utc TEXT NOT NULL,
  PRIMARY KEY (domain, subject_id, as_of)
) WITHOUT ROWID;
)sql"},
  };
  return migrations;
}

namespace {
bool has_table(sqlite3* db, const std::string& path, const char* name) {
  Statement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", path);
  st.bind(1, std::string_view(name));
  return st.step();
}
}  // namespace

int migrate(sqlite3* db, const std::string& path, const std::vector<Migration>& migrations) {
  // Reading the catalogue is the first access to the file: a non-database fails here.
  int version = 0;
  if (has_table(db, path, "schema_version")) {
    Statement st(db, "SELECT version FROM schema_version", path);
    if (!st.step())
      throw FormatError(fmt::format("alert history {}: its schema_version table is empty", path));
    version = static_cast<int>(st.integer(0));
  } else {
    Statement st(db, "SELECT count(*) FROM sqlite_master", path);
    if (st.step() && st.integer(0) != 0)
      throw FormatError(fmt::format(
          "alert history {}: an SQLite database that is not an earlyhelp alert history (no schema_version table)",
          path));
  }
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest)
    throw FormatError(fmt::format(
        "alert history {}: written by a newer earlyhelp (history schema version {}; this build reads up to {})",
        path, version, latest));
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    Transaction tx(db, path);
    if (version == 0) exec(db, "CREATE TABLE schema_version (version INTEGER NOT NULL)", path, "create schema_version");
    exec(db, m.sql, path, fmt::format("migrate to version {}", m.version));
    exec(db, "DELETE FROM schema_version", path, "record version");
    {
      Statement st(db, "INSERT INTO schema_version (version) VALUES (?)", path);
      st.bind(1, std::int64_t{m.version});
      st.step();
    }
    tx.commit();
    version = m.version;
  }
  return version;
}

}  // namespace earlyhelp::profiling::detail
