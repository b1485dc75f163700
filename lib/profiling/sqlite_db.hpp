// SPDX-License-Identifier: Apache-2.0
#pragma once

// Thin RAII over the SQLite C API for the alert history: statements, transactions and errors
// mapped to earlyhelp's exceptions. Private to lib/profiling.

#include "earlyhelp/core/error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp::profiling::detail {

/// Throws the earlyhelp error matching an SQLite result code: FormatError for a file that is not
/// a database (or is corrupt), IOError for one that cannot be opened, read or written, Error
/// otherwise. The message names the history file and the step, never a value.
[[noreturn]] inline void throw_sqlite(sqlite3* db, int rc, const std::string& path, std::string_view what) {
  const std::string msg = fmt::format("alert history {}: {}: {}", path, what,
                                      db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: throw FormatError(msg);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM: throw IOError(msg);
    default: throw Error(msg);
  }
}

/// Runs SQL that returns no rows. @throws as throw_sqlite.
inline void exec(sqlite3* db, const char* sql, const std::string& path, std::string_view what) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db, rc, path, what);
}

/// A prepared statement. Bind indices are 1-based, column indices 0-based, as in SQLite.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& path) : db_(db), path_(&path) {
    const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw_sqlite(db, rc, path, "prepare");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::string_view text) {
    check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int i, double v) {
    check(sqlite3_bind_double(stmt_, i, v));
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Statement& bind_null(int i) {
    check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  /// Steps once: true when a row is ready, false when done. @throws as throw_sqlite.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_sqlite(db_, rc, *path_, "step");
  }
  /// Resets for new bindings.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p != nullptr ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw_sqlite(db_, rc, *path_, "bind");
  }
  sqlite3* db_;
  const std::string* path_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE (a writer) or BEGIN (a reader: one shared lock for many statements instead of
/// one per statement) on construction; ROLLBACK on destruction unless commit() was called.
class Transaction {
 public:
  Transaction(sqlite3* db, const std::string& path, const char* begin = "BEGIN IMMEDIATE") : db_(db), path_(path) {
    exec(db, begin, path, "begin transaction");
  }
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    exec(db_, "COMMIT", path_, "commit");
    open_ = false;
  }

 private:
  sqlite3* db_;
  const std::string& path_;
  bool open_ = true;
};

}  // namespace earlyhelp::profiling::detail
