// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal to lib/profiling: the features a configuration file (a framework, a domain) computes
// with: the built-in definitions plus the file's own `features` list, appended in the definitions
// format and checked with them.

#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "schema/json_reader.hpp"

#include <string_view>

namespace earlyhelp::profiling::detail {

/// The built-in definitions with `extra` (a JSON list of definitions, or null) appended, bound to
/// `schema`. `path` is where the list sits in `source` (for errors).
/// @throws SchemaError naming `source` when `extra` is not a list or a definition is invalid.
features::FeatureSet builtin_plus(const schema::detail::json* extra, const schema::Schema& schema,
                                  std::string_view source, std::string_view path = "features");

}  // namespace earlyhelp::profiling::detail
