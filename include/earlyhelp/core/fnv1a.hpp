// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// FNV-1a, 64 bit (Fowler, Noll, Vo): a stable hash of bytes, the same on every platform and in
/// every run (unlike std::hash), for keys that end up in outputs (person ids) or order them. Not
/// for anything an adversary chooses to collide: pseudonyms use the keyed HMAC (pseudonymise/).
/// Example: `const std::uint64_t h = earlyhelp::fnv1a64("ssda903:" + id);`

#include <cstdint>
#include <string_view>

namespace earlyhelp {

inline constexpr std::uint64_t kFnv1a64OffsetBasis = 14695981039346656037ULL;
inline constexpr std::uint64_t kFnv1a64Prime = 1099511628211ULL;

/// The 64-bit FNV-1a hash of `bytes`. Complexity O(bytes).
constexpr std::uint64_t fnv1a64(std::string_view bytes) noexcept {
  std::uint64_t h = kFnv1a64OffsetBasis;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnv1a64Prime;
  }
  return h;
}

static_assert(fnv1a64("") == kFnv1a64OffsetBasis);
static_assert(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);  // the published test vector

}  // namespace earlyhelp
