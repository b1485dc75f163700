// SPDX-License-Identifier: Apache-2.0
// Audit log verification (`earlyhelp audit verify`): any bytes as a log file. Verification
// answers ok or names the first broken line within the file, and never throws anything but an
// earlyhelp::Error; a record appended to a log that verified keeps it verified.

#include "earlyhelp/governance/audit.hpp"

#include "fuzz_support.hpp"

#include <algorithm>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace gv = earlyhelp::governance;
  const std::string path = earlyhelp::fuzz::as_file("audit", ".jsonl", data, size);
  const auto text = earlyhelp::fuzz::as_text(data, size);
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  earlyhelp::fuzz::expect_only_errors([&] {
    const gv::AuditVerification v = gv::verify_audit_log(path);
    if (!v.ok) {
      earlyhelp::fuzz::check(v.first_bad_line >= 1 && v.first_bad_line <= lines, "the bad line is in the file");
      earlyhelp::fuzz::check(!v.message.empty(), "a broken chain says why");
      return;
    }
    earlyhelp::fuzz::check(v.records <= lines, "no more records than lines");
    // A log that verifies stays verified after an append (the chain continues from its end).
    if (size > 0 && text.back() != '\n') return;  // appending joins a last line without its newline
    gv::AuditRecord r;
    r.action = "fuzz";
    r.status = "ok";
    gv::append_audit_record(path, r);
    const gv::AuditVerification after = gv::verify_audit_log(path);
    earlyhelp::fuzz::check(after.ok && after.records == v.records + 1, "an append keeps a verified log verified");
  });
  return 0;
}
