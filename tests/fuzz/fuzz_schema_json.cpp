// SPDX-License-Identifier: Apache-2.0
// Schema JSON (Schema::from_json, `earlyhelp validate --schema`): any text loads or is refused
// with a SchemaError; a schema that loads writes JSON that loads back equal (the documented round
// trip) and renders its data dictionary.

#include "earlyhelp/schema/schema.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using earlyhelp::schema::Schema;
  earlyhelp::fuzz::expect_only_errors([&] {
    const Schema s = Schema::from_json(earlyhelp::fuzz::as_text(data, size), "fuzz.json");
    const Schema back = Schema::from_json(s.to_json(), "round trip");
    earlyhelp::fuzz::check(back == s, "to_json then from_json gives the same schema");
    (void)s.to_markdown();
  });
  return 0;
}
