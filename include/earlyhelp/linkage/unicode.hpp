// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// UTF-8 decoding and the few Unicode operations record linkage needs: full upper- and
/// lower-case mapping (as Python's str.upper/str.lower, so U+00DF becomes "SS"), compatibility
/// decomposition (NFKD) and combining-mark tests. Tables are generated from Unicode 14 by
/// scripts/gen_unicode_tables.py. NFKD covers code points below U+3000 and U+FB00-U+FB4F (Latin,
/// Greek, Cyrillic and their letter-like symbols); other code points are left as they are. NFKD
/// here decomposes each code point independently and does not reorder runs of combining marks
/// already present in the input.
///
/// Invalid UTF-8 never throws: each byte that does not start a valid sequence decodes to U+FFFD.

#include "earlyhelp/linkage/detail/unicode_tables.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace earlyhelp::linkage {

/// True when every byte is below 0x80 (so bytes are code points). O(n).
inline bool is_ascii(std::string_view s) noexcept {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

namespace detail {
/// Decodes UTF-8, calling `push(cp)` for each code point (U+FFFD for each malformed byte).
template <class Push>
void decode_utf8_each(std::string_view s, Push&& push) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b = p[i];
    if (b < 0x80) {
      push(static_cast<char32_t>(b));
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b & 0xE0) == 0xC0) {
      len = 2, cp = b & 0x1Fu, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, cp = b & 0x0Fu, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, cp = b & 0x07u, min = 0x10000;
    }
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))) ok = false;
    if (ok) {
      push(cp);
      i += len;
    } else {
      push(char32_t{0xFFFD});
      ++i;
    }
  }
}
}  // namespace detail

/// Decodes UTF-8 into code points; malformed bytes (overlong forms, surrogates, truncated
/// sequences, values above U+10FFFF) become U+FFFD, one per offending byte. O(n).
/// Example: `decode_utf8("Zo\xC3\xAB")` is `U"Zoë"`.
inline std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  detail::decode_utf8_each(s, [&](char32_t c) { out.push_back(c); });
  return out;
}

/// Appends the UTF-8 encoding of `cp` to `out`.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Encodes code points as UTF-8. O(n).
inline std::string encode_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char32_t c : s) append_utf8(out, c);
  return out;
}

namespace detail {
template <std::size_t N>
const MapEntry* find_mapping(const MapEntry (&table)[N], char32_t cp) noexcept {
  const MapEntry* it = std::lower_bound(std::begin(table), std::end(table), cp,
                                        [](const MapEntry& e, char32_t c) { return e.cp < c; });
  return (it != std::end(table) && it->cp == cp) ? it : nullptr;
}

template <std::size_t N, std::size_t M>
void append_mapped(std::u32string& out, const MapEntry (&table)[N], const std::uint32_t (&pool)[M],
                   char32_t cp) {
  if (const MapEntry* e = find_mapping(table, cp)) {
    for (std::size_t k = 0; k < e->len; ++k) out.push_back(static_cast<char32_t>(pool[e->offset + k]));
  } else {
    out.push_back(cp);
  }
}
}  // namespace detail

/// Full upper-case mapping of a string (Python's str.upper). O(n log T).
inline std::u32string to_upper(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (const char32_t c : s) {
    if (c < 0x80) out.push_back((c >= 'a' && c <= 'z') ? c - 32 : c);
    else detail::append_mapped(out, detail::upper_map, detail::upper_pool, c);
  }
  return out;
}

/// Full lower-case mapping of a string (Python's str.lower). O(n log T).
inline std::u32string to_lower(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (const char32_t c : s) {
    if (c < 0x80) out.push_back((c >= 'A' && c <= 'Z') ? c + 32 : c);
    else detail::append_mapped(out, detail::lower_map, detail::lower_pool, c);
  }
  return out;
}

/// Compatibility decomposition (NFKD) of each code point, e.g. U+00E9 -> 'e' U+0301 and
/// U+FB01 -> "fi". See the file comment for coverage. O(n log T).
inline std::u32string nfkd(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size() + s.size() / 2);
  for (const char32_t c : s) {
    if (c < 0xA0) out.push_back(c);
    else detail::append_mapped(out, detail::nfkd_map, detail::nfkd_pool, c);
  }
  return out;
}

/// True for a combining mark (general category Mn, Mc or Me) below U+3000.
inline bool is_combining(char32_t c) noexcept {
  if (c < 0x300 || c >= 0x3000) return false;
  const auto* first = std::begin(detail::combining_ranges);
  const auto* last = std::end(detail::combining_ranges);
  const auto* it = std::upper_bound(first, last, static_cast<std::uint32_t>(c),
                                    [](std::uint32_t v, const std::uint32_t(&r)[2]) { return v < r[0]; });
  if (it == first) return false;
  --it;
  return c <= (*it)[1];
}

/// True for Unicode white space (the characters Python's str.split() splits on).
constexpr bool is_space(char32_t c) noexcept {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

}  // namespace earlyhelp::linkage
