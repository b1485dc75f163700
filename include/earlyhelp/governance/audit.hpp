// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// An append-only, tamper-evident audit trail of runs. Each run appends one JSON line saying who
/// ran what, when, with which parameters, on which files (by SHA-256, never by content), what it
/// produced, the counts that reconcile, and how it ended. Each line carries the SHA-256 of the
/// previous line, so editing, deleting or reordering lines breaks the chain and verify_audit_log
/// reports where. Raw personal identifiers never go into an audit record.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace earlyhelp::governance {

/// A file read or written by a run.
struct AuditFile {
  std::string role;    ///< "input", "output", "rejects", "model", "schema", ...
  std::string path;    ///< as given on the command line
  std::string sha256;  ///< hex digest of the whole file ("" if it could not be read)
  std::uint64_t bytes = 0;
};

/// One run.
struct AuditRecord {
  std::string run_id;        ///< random 128-bit hex id (new_run_id())
  std::string started_utc;   ///< ISO 8601, e.g. "2026-11-23T10:02:03Z"
  std::string finished_utc;
  std::string tool;          ///< e.g. "earlyhelp 0.1.0"
  std::string user;          ///< operating-system user name
  std::string host;
  std::string action;        ///< e.g. "validate"
  std::vector<std::pair<std::string, std::string>> parameters;  ///< name -> value (no secrets)
  std::vector<AuditFile> files;
  std::vector<std::pair<std::string, double>> counts;  ///< e.g. rows_read, rows_rejected
  std::string status;        ///< "ok", or "error: <message>"
  std::string key_fingerprint;  ///< pseudonymisation key used, if any
};

/// A fresh random run id (32 hex digits).
std::string new_run_id();
/// The current time as ISO 8601 UTC with a trailing Z.
std::string utc_now();
/// Describes a file for the audit trail: size and SHA-256 (empty digest if unreadable).
AuditFile describe_file(std::string role, const std::string& path);
/// The operating-system user and host names ("unknown" when unavailable).
std::pair<std::string, std::string> current_user_and_host();

/// The record as a JSON object (one line, no trailing newline), with "prev" set to `prev_hash`.
std::string to_json_line(const AuditRecord& record, const std::string& prev_hash);

/// Appends `record` to the audit log at `path` (created if absent), chained to its last line.
/// Safe from several processes at once (an exclusive flock from reading the last hash to the end
/// of the append) and against a kill at any point (the line goes out in one write(), so it is
/// whole or absent; a short write is cut back off; fsync before returning).
/// @throws IOError if the log cannot be read, locked or written.
void append_audit_record(const std::string& path, const AuditRecord& record);

/// Result of checking an audit log.
struct AuditVerification {
  bool ok = true;
  std::size_t records = 0;   ///< lines checked
  std::size_t first_bad_line = 0;  ///< 1-based line of the first broken link (0 when ok)
  std::string message;
};

/// Checks that every line is valid JSON whose "prev" is the SHA-256 of the line before (the first
/// line's "prev" is 64 zeros). @throws IOError if the log cannot be read.
AuditVerification verify_audit_log(const std::string& path);

}  // namespace earlyhelp::governance
