// SPDX-License-Identifier: Apache-2.0
// Feature definitions (FeatureSet::from_json, `earlyhelp features --definitions`): any text loads
// against the built-in schema or is refused with a SchemaError naming its JSON path; a set that
// loads lists itself (--list, Markdown) and describes rows of missing, zero and ordinary values.

#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/schema/schema.hpp"

#include "fuzz_support.hpp"

#include <limits>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ft = earlyhelp::features;
  static const earlyhelp::schema::Schema schema = earlyhelp::schema::Schema::builtin();
  earlyhelp::fuzz::expect_only_errors([&] {
    const ft::FeatureSet set = ft::FeatureSet::from_json(earlyhelp::fuzz::as_text(data, size), schema, "fuzz.json");
    (void)set.to_text();
    (void)set.to_markdown();
    (void)set.column_names(ft::Level::person);
    for (const float value : {std::numeric_limits<float>::quiet_NaN(), 0.0F, 3.0F, -1.0F}) {
      const std::vector<float> row(set.size(), value);
      for (std::size_t f = 0; f < set.size(); ++f) {
        (void)set.describe(f, row.data());
        (void)set.format_value(f, value);
      }
    }
    for (std::size_t f = 0; f < set.size(); ++f)
      earlyhelp::fuzz::check(set.find(set.features()[f].name) == f, "every feature is found by its name");
  });
  return 0;
}
