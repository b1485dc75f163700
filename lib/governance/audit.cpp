// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/governance/audit.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/hash.hpp"

#include <nlohmann/json.hpp>
#include <openssl/rand.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sys/stat.h>

namespace earlyhelp::governance {
namespace {

const std::string genesis_hash(64, '0');

std::string last_line_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return genesis_hash;  // a new log
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  if (in.bad()) throw IOError(fmt::format("audit log '{}': read error", path));
  return last.empty() ? genesis_hash : to_hex(sha256(last));
}

}  // namespace

std::string new_run_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw Error("new_run_id: the system random generator failed");
  Digest d{};
  std::copy(bytes.begin(), bytes.end(), d.begin());
  return to_hex(d, bytes.size());
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

AuditFile describe_file(std::string role, const std::string& path) {
  AuditFile f{std::move(role), path, "", 0};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    f.bytes = static_cast<std::uint64_t>(st.st_size);
    try {
      f.sha256 = to_hex(sha256_file(path));
    } catch (const IOError&) {
      f.sha256.clear();
    }
  }
  return f;
}

std::pair<std::string, std::string> current_user_and_host() {
  std::string user = "unknown", host = "unknown";
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr)
    user = pw->pw_name;
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) == 0) host = buf.data();
  return {user, host};
}

std::string to_json_line(const AuditRecord& r, const std::string& prev_hash) {
  nlohmann::ordered_json j;
  j["run_id"] = r.run_id;
  j["started"] = r.started_utc;
  j["finished"] = r.finished_utc;
  j["tool"] = r.tool;
  j["user"] = r.user;
  j["host"] = r.host;
  j["action"] = r.action;
  auto& params = j["parameters"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : r.parameters) params[k] = v;
  auto& files = j["files"] = nlohmann::ordered_json::array();
  for (const auto& f : r.files)
    files.push_back({{"role", f.role}, {"path", f.path}, {"sha256", f.sha256}, {"bytes", f.bytes}});
  auto& counts = j["counts"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : r.counts) counts[k] = v;
  j["status"] = r.status;
  if (!r.key_fingerprint.empty()) j["key_fingerprint"] = r.key_fingerprint;
  j["prev"] = prev_hash;
  // Invalid UTF-8 in a path must not make the audit write fail: replace it.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_audit_record(const std::string& path, const AuditRecord& record) {
  // Several processes may append at once (a council's ETL runs verbs in parallel), and any of them
  // may be killed. So: an exclusive lock from reading the last line's hash to the end of the
  // append (else two records chain to one predecessor); the line in one write() (a process killed
  // by a signal finishes or never starts it; it is never half written); a short write (a full
  // disk) cut back off under the lock; fsync before the lock is released.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) throw IOError(fmt::format("audit log '{}': cannot open for appending: {}", path, std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }  // also releases the lock
  } closer{fd};
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) throw IOError(fmt::format("audit log '{}': cannot lock: {}", path, std::strerror(errno)));
  }
  const std::string line = to_json_line(record, last_line_hash(path)) + "\n";
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw IOError(fmt::format("audit log '{}': {}", path, std::strerror(errno)));
  ssize_t written = 0;
  do {
    written = ::write(fd, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(line.size())) {
    const std::string why = written < 0 ? std::strerror(errno) : "short write (disk full?)";
    if (written > 0 && ::ftruncate(fd, st.st_size) != 0) {
      throw IOError(fmt::format("audit log '{}': write failed ({}) and the partial record could not be removed",
                                path, why));
    }
    throw IOError(fmt::format("audit log '{}': write failed: {}", path, why));
  }
  if (::fsync(fd) != 0) throw IOError(fmt::format("audit log '{}': cannot sync: {}", path, std::strerror(errno)));
}

AuditVerification verify_audit_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("audit log '{}': cannot open", path));
  AuditVerification v;
  std::string expected_prev = genesis_hash, line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto fail = [&](std::string message) {
      v.ok = false;
      v.first_bad_line = lineno;
      v.message = fmt::format("{}: line {}: {}", path, lineno, message);
    };
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      fail("not a JSON object");
      return v;
    }
    const auto prev = j.find("prev");
    if (prev == j.end() || !prev->is_string()) {
      fail("no \"prev\" hash");
      return v;
    }
    if (prev->get<std::string>() != expected_prev) {
      fail("\"prev\" does not match the line before: the log was edited, reordered or truncated");
      return v;
    }
    expected_prev = to_hex(sha256(line));
    ++v.records;
  }
  v.message = fmt::format("{}: {} records, chain intact", path, v.records);
  return v;
}

}  // namespace earlyhelp::governance
