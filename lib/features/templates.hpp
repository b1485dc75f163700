// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to lib/features: parsing a feature's plain-language template.

#include "earlyhelp/features/definitions.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::features::detail {

/// Splits `text` into literal text and placeholders: `{value}` (this feature's value, in its
/// format), `{value:abs}`, `{<feature>}` and `{<feature>:abs}` (another feature of the row),
/// `{s}` ("s" unless this feature's value is 1 or -1), `{sign:rising|falling|unchanged}` (a word
/// by the sign of this feature's value; with two words zero takes the second), `{{` and `}}`.
/// `self` is the feature's own index; `lookup` finds a feature by name; `fail` throws with the
/// message (what was expected and found).
std::vector<TemplatePart> parse_template(std::string_view text, std::size_t self,
                                         const std::function<std::optional<std::size_t>(std::string_view)>& lookup,
                                         const std::function<void(const std::string&)>& fail);

}  // namespace earlyhelp::features::detail
