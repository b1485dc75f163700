// SPDX-License-Identifier: Apache-2.0
// The one pass over a CSV that `pseudonymise` and `encode` share (governance/csv_pass): the first
// byte picks the verb, the rest is the file. Pseudonymise hashes the named identifier columns;
// encode plans the canonical columns it finds. Either copies the file or refuses it with an
// earlyhelp::Error, and every row read is written or rejected.

#include "earlyhelp/governance/bloom_encoding.hpp"
#include "earlyhelp/governance/pseudonymise_file.hpp"

#include "fuzz_support.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace gv = earlyhelp::governance;
  namespace fz = earlyhelp::fuzz;
  if (size == 0) return 0;
  static const gv::PseudonymKey key = gv::PseudonymKey::from_hex(std::string(64, '7'));
  const int verb = data[0] % 2;
  const std::string input = fz::as_file("pseudonymise_in", ".csv", data + 1, size - 1);
  const std::string output = fz::scratch_path("pseudonymise_out", ".csv");
  const std::string rejects = fz::scratch_path("pseudonymise_rejects", ".csv");
  fz::expect_only_errors([&] {
    if (verb == 0) {
      static const gv::Pseudonymiser p(key);
      static const gv::PseudonymPlan plan = gv::PseudonymPlan::for_columns({"nhs_number", "surname"});
      const gv::PseudonymiseCounts c = gv::pseudonymise_csv(p, plan, input, output, rejects);
      fz::check(c.rows_read == c.rows_written + c.rows_rejected, "pseudonymise: rows read = written + rejected");
    } else {
      const gv::EncodeCounts c = gv::encode_csv(key, nullptr, input, output, rejects);
      fz::check(c.rows_read == c.rows_written + c.rows_rejected, "encode: rows read = written + rejected");
    }
  });
  return 0;
}
