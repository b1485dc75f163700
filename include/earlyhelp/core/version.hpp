// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Library version. CMake reads the three macros below, so they are the single source of truth.

#define EARLYHELP_VERSION_MAJOR 0
#define EARLYHELP_VERSION_MINOR 1
#define EARLYHELP_VERSION_PATCH 0

#define EH_STRINGIFY_IMPL(x) #x
#define EH_STRINGIFY(x) EH_STRINGIFY_IMPL(x)
#define EARLYHELP_VERSION_STRING                                                     \
  EH_STRINGIFY(EARLYHELP_VERSION_MAJOR)                                              \
  "." EH_STRINGIFY(EARLYHELP_VERSION_MINOR) "." EH_STRINGIFY(EARLYHELP_VERSION_PATCH)

namespace earlyhelp {

/// The library version as "MAJOR.MINOR.PATCH", e.g. "0.1.0".
/// @return a static, NUL-terminated string.
constexpr const char* version() noexcept { return EARLYHELP_VERSION_STRING; }

}  // namespace earlyhelp
