// SPDX-License-Identifier: Apache-2.0
// Identifier checks: Unique Pupil Numbers (DfE check letter), NHS numbers (modulus 11), UPRNs,
// booleans and times of day as ingest reads them, the linkage normalisers, and the column map a
// user types (`link --map their=our,...`). Properties: what a normaliser returns passes the
// matching ingest check, a valid UPN carries its own check letter, and a map that parses pairs
// named columns only.

#include "earlyhelp/io/field_checks.hpp"
#include "earlyhelp/linkage/columns.hpp"
#include "earlyhelp/linkage/identifiers.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace earlyhelp;
  using fuzz::check;
  const std::string_view s = fuzz::as_text(data, size);

  if (io::is_valid_upn(s)) {
    check(io::upn_check_letter(s.substr(1)) == s[0], "a valid UPN starts with its check letter");
  }
  if (s.size() == 12) {
    const char letter = io::upn_check_letter(s);
    if (letter != '\0') check(io::is_valid_upn(std::string(1, letter) + std::string(s)), "check letter makes a valid UPN");
  }
  if (const auto nhs = linkage::normalise_nhs_number(s)) {
    check(nhs->size() == 10 && io::is_valid_nhs_number(*nhs), "a normalised NHS number is ten valid digits");
  }
  check(linkage::nhs_number_valid(s) == io::is_valid_nhs_number(s), "linkage and ingest agree on NHS numbers");
  if (const auto uprn = linkage::normalise_uprn(s)) {
    check(io::is_valid_uprn(*uprn), "a normalised UPRN passes the ingest check");
  }
  if (const auto t = io::parse_time_of_day(s)) check(*t >= 0 && *t < 86400, "a time of day is within the day");
  (void)io::parse_bool(s);
  fuzz::expect_only_errors([&] {
    for (const auto& [theirs, ours] : linkage::parse_column_map(s))
      check(!theirs.empty() && !ours.empty(), "a parsed column map names both columns of each pair");
  });
  return 0;
}
