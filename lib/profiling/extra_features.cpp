// SPDX-License-Identifier: Apache-2.0
// The built-in definitions plus a configuration file's own (lib/profiling/extra_features.hpp).
#include "profiling/extra_features.hpp"

#include "earlyhelp/core/error.hpp"

#include <fmt/format.h>

namespace earlyhelp::profiling::detail {

features::FeatureSet builtin_plus(const schema::detail::json* extra, const schema::Schema& schema,
                                  std::string_view source, std::string_view path) {
  using schema::detail::json;
  const bool none = extra == nullptr || (extra->is_array() && extra->empty());
  const schema::Schema builtin = schema::Schema::builtin();
  if (none && schema.name == builtin.name && schema.version == builtin.version) return features::FeatureSet::builtin();
  json defs = schema::detail::parse_json(features::FeatureSet::builtin_json(), "built-in definitions");
  if (!none) {
    if (!extra->is_array())
      throw SchemaError(fmt::format("{}: {}: expected a list of feature definitions; got {}", source, path,
                                    schema::detail::describe(*extra)));
    for (const auto& f : *extra) defs["features"].push_back(f);
  }
  return features::FeatureSet::from_json(
      defs.dump(), schema,
      fmt::format("{} ({} appended to the {} built-in definitions)", source, path, features::FeatureSet::builtin().size()));
}

}  // namespace earlyhelp::profiling::detail
