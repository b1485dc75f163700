// SPDX-License-Identifier: Apache-2.0
// The linkage records reader (`earlyhelp link --input`, earlyhelp.link on a file): any bytes as a
// CSV file of records. Each row ends as a record or as a reject handed to the sink, never lost:
// records have a non-empty record id, no id twice; rejects carry a row number and a reason; and
// the column warnings are plain text.

#include "earlyhelp/linkage/records_io.hpp"

#include "fuzz_support.hpp"

#include <set>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace lk = earlyhelp::linkage;
  const std::string path = earlyhelp::fuzz::as_file("records", ".csv", data, size);
  std::set<std::string> ids;
  std::size_t rejected = 0;
  earlyhelp::fuzz::expect_only_errors([&] {
    lk::ReadOptions o;
    o.batch = 3;  // small batches: records straddle them
    o.reject = [&](const lk::RecordReject& r) {
      ++rejected;
      earlyhelp::fuzz::check(!lk::describe(r).empty(), "a reject says why");
    };
    o.warn = [](const std::string& w) { earlyhelp::fuzz::check(!w.empty(), "a warning has text"); };
    const std::size_t n = lk::for_each_records_batch(
        path, {},
        [&](std::vector<lk::Record>& batch) {
          earlyhelp::fuzz::check(!batch.empty() && batch.size() <= 3, "batches hold 1 to `batch` records");
          for (const auto& r : batch) {
            earlyhelp::fuzz::check(!r.record_id.empty(), "a record has a record id");
            earlyhelp::fuzz::check(ids.insert(r.record_id).second, "no record id twice");
          }
        },
        o);
    earlyhelp::fuzz::check(n == ids.size(), "the count returned is the records handed over");
  });
  return 0;
}
