// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where C++ tests find the source tree and the shared public data. The environment (set by ctest)
// wins; the paths CMake compiled in are the fallback, so a test binary run by hand still finds
// them. (doctest_discover_tests passes only the first entry of a list-valued ENVIRONMENT.)

#include <cstdlib>
#include <filesystem>
#include <string>

namespace eh_test {

inline std::filesystem::path env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return std::filesystem::path(v != nullptr && *v != '\0' ? v : fallback);
}

/// The repository root.
inline std::filesystem::path source_dir() { return env_or("EARLYHELP_SOURCE_DIR", EARLYHELP_TEST_SOURCE_DIR); }

/// ../shared/data beside the repository (may not exist in a user's clone: callers skip then).
inline std::filesystem::path shared_data_dir() {
  return env_or("EARLYHELP_SHARED_DATA", EARLYHELP_TEST_SHARED_DATA);
}

}  // namespace eh_test
