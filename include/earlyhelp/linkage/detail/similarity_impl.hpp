// SPDX-License-Identifier: Apache-2.0
#pragma once

// Kernels of similarity.hpp. Every kernel works on two code-point arrays whose element types may
// differ (unsigned char for pure-ASCII UTF-8, which is its own code points, or char32_t after
// decoding), so ASCII input is never copied.

#include "earlyhelp/linkage/unicode.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace earlyhelp::linkage::detail {

/// A borrowed run of code points.
template <class C>
struct Span {
  const C* data = nullptr;
  std::size_t size = 0;
  C operator[](std::size_t i) const noexcept { return data[i]; }
};

using Ascii = Span<unsigned char>;
using Wide = Span<char32_t>;

/// is_ascii with word loads: names take one or two (overlapping) loads and no loop, so the test
/// costs no mispredicted loop exit.
inline bool ascii_words(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  constexpr std::uint64_t high8 = 0x8080808080808080u;
  auto load8 = [](const char* q) {
    std::uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  };
  auto load4 = [](const char* q) {
    std::uint32_t w;
    std::memcpy(&w, q, 4);
    return w;
  };
  if (n >= 8) {
    std::uint64_t acc = load8(p + n - 8);
    for (std::size_t i = 0; i + 8 < n; i += 8) acc |= load8(p + i);
    return (acc & high8) == 0;
  }
  if (n >= 4) return ((load4(p) | load4(p + n - 4)) & 0x80808080u) == 0;
  if (n == 0) return true;
  // 1 to 3 bytes: first, middle and last cover them all.
  return ((static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) |
           static_cast<unsigned char>(p[n - 1])) & 0x80u) == 0;
}

/// Calls `f(span)` with the code points of UTF-8 `s`, decoding only when it is not ASCII.
template <class F>
decltype(auto) with_code_points(std::string_view s, F&& f) {
  if (ascii_words(s)) return f(Ascii{reinterpret_cast<const unsigned char*>(s.data()), s.size()});
  // Name-length text decodes into a stack buffer: no allocation per comparison.
  if (s.size() <= 96) {
    char32_t buf[96];
    std::size_t n = 0;
    decode_utf8_each(s, [&](char32_t c) { buf[n++] = c; });
    return f(Wide{buf, n});
  }
  const std::u32string u = decode_utf8(s);
  return f(Wide{u.data(), u.size()});
}

/// Calls `f(span_a, span_b)`.
template <class F>
decltype(auto) with_code_points(std::string_view a, std::string_view b, F&& f) {
  return with_code_points(a, [&](auto sa) {
    return with_code_points(b, [&](auto sb) { return f(sa, sb); });
  });
}

/// Per-character bit masks of a pattern of at most 64 code points: bit i of mask(c) is set when
/// pattern[i] == c (the match vectors of Myers 1999 and Hyyro 2001). Code points below 256 use a
/// direct table, others a 128-slot open-addressing table (a pattern has at most 64 of them).
class PatternMask64 {
 public:
  PatternMask64() noexcept { clear(); }

  template <class C>
  explicit PatternMask64(Span<C> p) noexcept {
    clear();
    for (std::size_t i = 0; i < p.size; ++i) insert(static_cast<char32_t>(p[i]), std::uint64_t{1} << i);
  }

  std::uint64_t get(char32_t c) const noexcept {
    if (c < 256) return ascii_[c];
    if (!has_ext_) return 0;
    std::size_t i = slot(c);
    while (ext_[i].mask != 0) {
      if (ext_[i].key == c) return ext_[i].mask;
      i = (i + 1) & 127;
    }
    return 0;
  }

 private:
  struct Slot {
    char32_t key = 0;
    std::uint64_t mask = 0;
  };
  static std::size_t slot(char32_t c) noexcept { return (static_cast<std::size_t>(c) * 2654435761u) >> 7 & 127; }
  void clear() noexcept { std::memset(ascii_, 0, sizeof ascii_); }
  void insert(char32_t c, std::uint64_t bit) noexcept {
    if (c < 256) {
      ascii_[c] |= bit;
      return;
    }
    has_ext_ = true;
    std::size_t i = slot(c);
    while (ext_[i].mask != 0 && ext_[i].key != c) i = (i + 1) & 127;
    ext_[i].key = c;
    ext_[i].mask |= bit;
  }
  std::uint64_t ascii_[256];
  bool has_ext_ = false;  // lets Latin-1 text skip the probe
  Slot ext_[128] = {};
};

/// The same masks for a short pattern, looked up by a linear scan over its distinct code
/// points: for names this is cheaper than clearing PatternMask64's 2 KiB table per call.
class SmallPatternMask {
 public:
  static constexpr std::size_t capacity = 16;

  template <class C>
  explicit SmallPatternMask(Span<C> p) noexcept {
    for (std::size_t i = 0; i < p.size; ++i) {
      const auto c = static_cast<char32_t>(p[i]);
      std::size_t k = 0;
      while (k < n_ && keys_[k] != c) ++k;
      if (k == n_) keys_[n_] = c, masks_[n_++] = 0;
      masks_[k] |= std::uint64_t{1} << i;
    }
  }

  std::uint64_t get(char32_t c) const noexcept {
    for (std::size_t k = 0; k < n_; ++k)
      if (keys_[k] == c) return masks_[k];
    return 0;
  }

 private:
  char32_t keys_[capacity];
  std::uint64_t masks_[capacity];
  std::size_t n_ = 0;
};

/// True for the 8-bit code unit types (ASCII UTF-8, Latin-1 / Python UCS1 text).
template <class C>
inline constexpr bool is_byte_v = sizeof(C) == 1 && std::is_unsigned_v<C>;

/// Masks of a pattern of at most 64 8-bit code points, for one comparison with one text: only
/// the table slots of characters that occur in the pattern or in that text are written (and only
/// those are ever read), so building costs O(|p| + |t|) stores instead of clearing 2 KiB.
class BytePairMask {
 public:
  template <class C1, class C2>
  BytePairMask(Span<C1> p, Span<C2> t) noexcept {
    static_assert(is_byte_v<C1> && is_byte_v<C2>, "BytePairMask: 8-bit code points only");
    for (std::size_t j = 0; j < t.size; ++j) mask_[static_cast<unsigned char>(t[j])] = 0;
    for (std::size_t i = 0; i < p.size; ++i) mask_[static_cast<unsigned char>(p[i])] = 0;
    for (std::size_t i = 0; i < p.size; ++i) mask_[static_cast<unsigned char>(p[i])] |= std::uint64_t{1} << i;
  }
  /// Valid for characters of the pattern and of the text given to the constructor only.
  std::uint64_t get(char32_t c) const noexcept { return mask_[c & 0xFF]; }

 private:
  std::uint64_t mask_[256];  // deliberately not cleared, see above
};

#if defined(__SSE2__)
#define EH_LINKAGE_SSE2_MASK 1
/// Masks of a pattern of at most 16 8-bit code points held in one SSE2 register: mask(c) is a
/// byte compare and a movemask, so nothing is built per character (names are this short).
class BytePatternVec {
 public:
  template <class C>
  explicit BytePatternVec(Span<C> p) noexcept
      : pattern_(load_upto16(reinterpret_cast<const unsigned char*>(p.data), p.size)),
        valid_((std::uint32_t{1} << p.size) - 1) {
    static_assert(is_byte_v<C>, "BytePatternVec: 8-bit code points only");
  }
  /// Valid for 8-bit characters.
  std::uint64_t get(char32_t c) const noexcept {
    const __m128i eq = _mm_cmpeq_epi8(pattern_, _mm_set1_epi8(static_cast<char>(static_cast<unsigned char>(c))));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(eq)) & valid_;
  }

 private:
  // The n <= 16 bytes at p in the low lanes (the others unspecified), read by at most two
  // overlapping loads that stay inside [p, p + n); x86 is little-endian.
  static __m128i load_upto16(const unsigned char* p, std::size_t n) noexcept {
    std::uint64_t lo = 0, hi = 0;
    if (n >= 8) {
      std::memcpy(&lo, p, 8);
      std::memcpy(&hi, p + n - 8, 8);
      const unsigned half = static_cast<unsigned>(4 * (16 - n));  // shift 8 * (16 - n) bits, which may be 64
      hi = (hi >> half) >> half;
    } else if (n >= 4) {
      std::uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      lo = x | std::uint64_t{y} << 8 * (n - 4);
    } else if (n > 0) {
      lo = p[0] | std::uint64_t{p[n / 2]} << 8 * (n / 2) | std::uint64_t{p[n - 1]} << 8 * (n - 1);
    }
    return _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
  }
  __m128i pattern_;
  std::uint32_t valid_;
};
#endif

/// Calls `f(masks)` with the cheapest masks of pattern `p` (<= 64 code points) for a single
/// comparison with text `t`.
template <class C1, class C2, class F>
decltype(auto) with_pair_mask(Span<C1> p, Span<C2> t, F&& f) {
  if constexpr (is_byte_v<C1> && is_byte_v<C2>) {
#ifdef EH_LINKAGE_SSE2_MASK
    if (p.size <= 16) return f(BytePatternVec(p));
#endif
    return f(BytePairMask(p, t));
  } else {
    (void)t;
    if (p.size <= SmallPatternMask::capacity) return f(SmallPatternMask(p));
    return f(PatternMask64(p));
  }
}

template <class C1, class C2>
bool equal(Span<C1> a, Span<C2> b) noexcept {
  if (a.size != b.size) return false;
  if constexpr (std::is_same_v<C1, C2>) {
    return a.size == 0 || std::memcmp(a.data, b.data, a.size * sizeof(C1)) == 0;
  } else {
    for (std::size_t i = 0; i < a.size; ++i)
      if (static_cast<char32_t>(a[i]) != static_cast<char32_t>(b[i])) return false;
    return true;
  }
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
#define EH_LINKAGE_WORD_AFFIX 1
/// Length of the common prefix of two byte arrays of at least n bytes, by XOR of word loads
/// (the last load overlaps bytes already known equal), so names need no byte loop.
inline std::size_t common_prefix_bytes(const unsigned char* a, const unsigned char* b, std::size_t n) noexcept {
  std::uint64_t x = 0, y = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return i + static_cast<std::size_t>(__builtin_ctzll(x ^ y)) / 8;
  }
  if (i == n) return n;
  if (n >= 8) {
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    return x == y ? n : n - 8 + static_cast<std::size_t>(__builtin_ctzll(x ^ y)) / 8;
  }
  if (n >= 4) {
    std::uint32_t u, v;
    std::memcpy(&u, a, 4);
    std::memcpy(&v, b, 4);
    if (u != v) return static_cast<std::size_t>(__builtin_ctz(u ^ v)) / 8;
    std::memcpy(&u, a + n - 4, 4);
    std::memcpy(&v, b + n - 4, 4);
    return u == v ? n : n - 4 + static_cast<std::size_t>(__builtin_ctz(u ^ v)) / 8;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

/// Length of the common suffix of the n bytes ending at a_end and b_end.
inline std::size_t common_suffix_bytes(const unsigned char* a_end, const unsigned char* b_end, std::size_t n) noexcept {
  std::uint64_t x = 0, y = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&x, a_end - i - 8, 8);
    std::memcpy(&y, b_end - i - 8, 8);
    if (x != y) return i + static_cast<std::size_t>(__builtin_clzll(x ^ y)) / 8;
  }
  if (i == n) return n;
  if (n >= 8) {
    std::memcpy(&x, a_end - n, 8);
    std::memcpy(&y, b_end - n, 8);
    return x == y ? n : n - 8 + static_cast<std::size_t>(__builtin_clzll(x ^ y)) / 8;
  }
  if (n >= 4) {
    std::uint32_t u, v;
    std::memcpy(&u, a_end - 4, 4);
    std::memcpy(&v, b_end - 4, 4);
    if (u != v) return static_cast<std::size_t>(__builtin_clz(u ^ v)) / 8;
    std::memcpy(&u, a_end - n, 4);
    std::memcpy(&v, b_end - n, 4);
    return u == v ? n : n - 4 + static_cast<std::size_t>(__builtin_clz(u ^ v)) / 8;
  }
  while (i < n && a_end[-1 - static_cast<std::ptrdiff_t>(i)] == b_end[-1 - static_cast<std::ptrdiff_t>(i)]) ++i;
  return i;
}
#endif

/// Drops the common prefix and suffix, which change none of the edit distances (Levenshtein,
/// OSA, Damerau-Levenshtein; RapidFuzz does the same).
template <class C1, class C2>
void remove_common_affix(Span<C1>& a, Span<C2>& b) noexcept {
#ifdef EH_LINKAGE_WORD_AFFIX
  if constexpr (is_byte_v<C1> && is_byte_v<C2>) {
    const auto* pa = reinterpret_cast<const unsigned char*>(a.data);
    const auto* pb = reinterpret_cast<const unsigned char*>(b.data);
    const std::size_t pre = common_prefix_bytes(pa, pb, std::min(a.size, b.size));
    a.data += pre, b.data += pre, a.size -= pre, b.size -= pre;
    const std::size_t suf = common_suffix_bytes(pa + pre + a.size, pb + pre + b.size, std::min(a.size, b.size));
    a.size -= suf, b.size -= suf;
    return;
  }
#endif
  while (a.size && b.size && static_cast<char32_t>(a[0]) == static_cast<char32_t>(b[0])) {
    ++a.data, ++b.data, --a.size, --b.size;
  }
  while (a.size && b.size &&
         static_cast<char32_t>(a[a.size - 1]) == static_cast<char32_t>(b[b.size - 1])) {
    --a.size, --b.size;
  }
}

/// Calls `f(pattern, text)` with the pair ordered for a one-word bit-parallel kernel (the
/// pattern is the longer string that fits 64 code points, so the loop runs over the shorter),
/// or `g(a, b)` when neither fits.
template <class C1, class C2, class F, class G>
std::size_t with_word_pattern(Span<C1> a, Span<C2> b, F&& f, G&& g) {
  if (a.size <= 64 && (a.size >= b.size || b.size > 64)) return f(a, b);
  if (b.size <= 64) return f(b, a);
  return g(a, b);
}

// ---- Levenshtein --------------------------------------------------------------------------------

/// Bit-parallel edit distance of a pattern of m <= 64 code points, given by its masks, against
/// `t`: Levenshtein by Myers (1999) in Hyyro's 2001 formulation, or with `Transpositions` the
/// optimal string alignment distance by the extra term of H. Hyyro, "A bit-vector algorithm for
/// computing Levenshtein and Damerau edit distances", Nordic J. Computing 10(1), 2003. O(|t|).
template <bool Transpositions, class Mask, class C>
std::size_t bit_parallel64(const Mask& pm, std::size_t m, Span<C> t) noexcept {
  if (m == 0) return t.size;
  const std::uint64_t last = std::uint64_t{1} << (m - 1);
  std::uint64_t vp = m == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << m) - 1;
  std::uint64_t vn = 0, d0 = 0, pm_prev = 0;
  std::size_t score = m;
  for (std::size_t j = 0; j < t.size; ++j) {
    const std::uint64_t pm_j = pm.get(static_cast<char32_t>(t[j]));
    std::uint64_t tr = 0;
    if constexpr (Transpositions) {
      // Cells where t[j-1], t[j] match p[i], p[i-1] crosswise and the diagonal before was not free.
      tr = (((~d0) & pm_j) << 1) & pm_prev;
      pm_prev = pm_j;
    }
    d0 = (((pm_j & vp) + vp) ^ vp) | pm_j | vn | tr;
    std::uint64_t hp = vn | ~(d0 | vp);
    std::uint64_t hn = vp & d0;
    if (hp & last) ++score;
    if (hn & last) --score;
    hp = (hp << 1) | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
  }
  return score;
}

template <class Mask, class C>
std::size_t levenshtein_myers64(const Mask& pm, std::size_t m, Span<C> t) noexcept {
  return bit_parallel64<false>(pm, m, t);
}

/// Wagner-Fischer dynamic programme with one row. O(|a| |b|) time, O(|b|) space.
template <class C1, class C2>
std::size_t levenshtein_dp(Span<C1> a, Span<C2> b) {
  std::vector<std::size_t> row(b.size + 1);
  for (std::size_t j = 0; j <= b.size; ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size; ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size; ++j) {
      const std::size_t up = row[j];
      const std::size_t sub = diag + (static_cast<char32_t>(a[i - 1]) == static_cast<char32_t>(b[j - 1]) ? 0 : 1);
      row[j] = std::min({sub, up + 1, row[j - 1] + 1});
      diag = up;
    }
  }
  return row[b.size];
}

/// Edit distance of two strings whose common prefix and suffix are already removed: the one-word
/// bit-parallel kernel when one fits 64 code points, else `dp(a, b)`.
template <bool Transpositions, class C1, class C2, class Dp>
std::size_t edit_distance_trimmed(Span<C1> a, Span<C2> b, Dp dp) {
  if (a.size == 0) return b.size;
  if (b.size == 0) return a.size;
  return with_word_pattern(
      a, b,
      [](auto p, auto t) {
        return with_pair_mask(p, t, [&](const auto& pm) { return bit_parallel64<Transpositions>(pm, p.size, t); });
      },
      dp);
}

template <class C1, class C2>
std::size_t levenshtein(Span<C1> a, Span<C2> b) {
  remove_common_affix(a, b);
  return edit_distance_trimmed<false>(a, b, [](auto x, auto y) { return levenshtein_dp(x, y); });
}

// ---- Damerau-Levenshtein ------------------------------------------------------------------------

/// Optimal string alignment by the dynamic programme with three rows. O(|a| |b|).
template <class C1, class C2>
std::size_t osa_dp(Span<C1> a, Span<C2> b) {
  const std::size_t w = b.size + 1;
  std::vector<std::size_t> rows(3 * w);
  std::size_t* prev2 = rows.data();
  std::size_t* prev = prev2 + w;
  std::size_t* cur = prev + w;
  for (std::size_t j = 0; j <= b.size; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size; ++i) {
    cur[0] = i;
    const char32_t ai = static_cast<char32_t>(a[i - 1]);
    for (std::size_t j = 1; j <= b.size; ++j) {
      const char32_t bj = static_cast<char32_t>(b[j - 1]);
      std::size_t v = std::min({prev[j - 1] + (ai == bj ? 0 : 1), prev[j] + 1, cur[j - 1] + 1});
      if (i > 1 && j > 1 && ai == static_cast<char32_t>(b[j - 2]) &&
          static_cast<char32_t>(a[i - 2]) == bj)
        v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    std::size_t* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.size];
}

/// Optimal string alignment (restricted Damerau-Levenshtein): adjacent transpositions cost 1 and
/// no substring is edited twice. O(|t|) words when one string fits 64 code points, else O(nm).
template <class C1, class C2>
std::size_t osa(Span<C1> a, Span<C2> b) {
  remove_common_affix(a, b);
  return edit_distance_trimmed<true>(a, b, [](auto x, auto y) { return osa_dp(x, y); });
}

/// Row-by-row unrestricted Damerau-Levenshtein over small integer keys (after C. Zhao and
/// S. Sahni, "String correction using the Damerau-Levenshtein distance", BMC Bioinformatics
/// 20, 2019): a transposition only needs to be tried when nothing lies between the two
/// transposed characters on one side (with something on both sides, plain edits cost no more),
/// so each cell looks back at most one stored value. `last[k]` must be 0 for every key of `b`
/// (it becomes the last 1-based row of `a` holding key k). O(|a| |b|) time, O(|b|) space.
template <class K1, class K2>
std::size_t damerau_rows(const K1* a, std::size_t n, const K2* b, std::size_t m, std::size_t* last,
                         std::size_t* work) noexcept {
  const std::size_t big = n + m + 1;
  // Rows i-1 and i (the latter still holding row i-2 until overwritten), and for each column j
  // the value D[k-1][j-2] of the last row k where a[k] == b[j] (the transposition's origin).
  // Each array has a leading slot for column -1 (always `big`), so j-2 needs no test.
  std::size_t* prev = work + 1;
  std::size_t* cur = prev + (m + 2);
  std::size_t* from = cur + (m + 2);
  prev[-1] = cur[-1] = big;
  for (std::size_t j = 0; j <= m; ++j) cur[j] = j, prev[j] = big, from[j] = big;  // swapped below
  for (std::size_t i = 1; i <= n; ++i) {
    std::swap(prev, cur);  // prev: row i-1; cur: row i-2, overwritten into row i
    const std::size_t ai = a[i - 1];
    std::size_t last_col = 0;        // last column l < j of this row with b[l] == a[i] (0: none)
    std::size_t from_row2 = big;     // D[i-2][l-1] for that column
    std::size_t row2_left = cur[0];  // D[i-2][j-1]
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t bj = b[j - 1];
      std::size_t v = std::min(prev[j - 1] + (ai == bj ? 0 : 1), std::min(prev[j], cur[j - 1]) + 1);
      if (ai == bj) {
        last_col = j;
        from[j] = prev[j - 2];
        from_row2 = row2_left;
      } else {
        const std::size_t k = last[bj];  // last row < i with a[k] == b[j] (0: none)
        if (k != 0 && last_col != 0) {
          if (j - last_col == 1) v = std::min(v, from[j] + (i - k));         // b[l] b[j] adjacent
          else if (i - k == 1) v = std::min(v, from_row2 + (j - last_col));  // a[k] a[i] adjacent
        }
      }
      row2_left = cur[j];
      cur[j] = v;
    }
    last[ai] = i;
  }
  return cur[m];
}

/// Whether a transposition with edits between its two characters on exactly one side could
/// appear in an alignment of `a` and `b` (masks `ma` and `mb`, both at most 64 code points):
/// characters c1 != c2 adjacent as c1 c2 in one string, and c2 .. c1 at least two positions
/// apart in the other. O(|a| + |b|) word operations, without branches.
template <class MaskA, class MaskB, class C1, class C2>
bool gapped_crossing(const MaskA& ma, Span<C1> a, const MaskB& mb, Span<C2> b) noexcept {
  auto one_side = [](const auto& other, auto s) {
    std::uint64_t found = 0;
    for (std::size_t k = 0; k + 1 < s.size; ++k) {
      const auto c1 = static_cast<char32_t>(s[k]), c2 = static_cast<char32_t>(s[k + 1]);
      const std::uint64_t c2_at = other.get(c2);
      const std::uint64_t past_first_c2 = ~(((c2_at & (~c2_at + 1)) << 2) - 1);  // >= 2 after it (0 if none)
      found |= other.get(c1) & past_first_c2 & (std::uint64_t{0} - static_cast<std::uint64_t>(c1 != c2));
    }
    return found != 0;
  };
  return one_side(mb, a) || one_side(ma, b);
}

/// The unrestricted Damerau-Levenshtein distance of two strings of at most 64 code points when
/// their bit-parallel OSA distance is provably it, else `none`. DL <= OSA, as OSA is DL
/// restricted. They are equal when OSA <= 2 (DL = 0 or 1 is no edit or one, which OSA finds
/// too), and when no gapped crossing exists (see gapped_crossing): some optimal DL alignment
/// has no transposition with edits between its characters on both sides (Zhao and Sahni: plain
/// edits cost no more), and one whose transpositions are all of adjacent characters with nothing
/// between is an OSA alignment, so DL < OSA needs a transposition gapped on one side. On names
/// this settles nine pairs in ten in O(|a| + |b|) instead of DL's O(nm) programme.
template <class C1, class C2>
std::size_t damerau_by_osa(Span<C1> a, Span<C2> b, std::size_t none) {
  if (a.size > 64 || b.size > 64) return none;
  return with_pair_mask(a, b, [&](const auto& ma) {
    return with_pair_mask(b, a, [&](const auto& mb) {
      const std::size_t d = bit_parallel64<true>(ma, a.size, b);
      return d <= 2 || !gapped_crossing(ma, a, mb, b) ? d : none;
    });
  });
}

/// Unrestricted Damerau-Levenshtein distance (Lowrance and Wagner 1975): transpositions of
/// characters that are not adjacent after other edits are allowed. O(|a| + |b|) words when the
/// OSA distance is provably the answer (see damerau_by_osa), else O(|a| |b|) time, O(|b|)
/// space; no allocation when both strings have at most 64 code points.
template <class C1, class C2>
std::size_t damerau_levenshtein(Span<C1> a, Span<C2> b) {
  remove_common_affix(a, b);
  const std::size_t n = a.size, m = b.size;
  if (n == 0) return m;
  if (m == 0) return n;
  constexpr std::size_t unproven = ~std::size_t{0};
  if (const std::size_t d = damerau_by_osa(a, b, unproven); d != unproven) return d;
  std::size_t stack_work[3 * 66];
  std::size_t stack_last[256];
  std::vector<std::size_t> heap_work;
  std::size_t* work = stack_work;
  if (m > 64) {
    heap_work.resize(3 * (m + 2));
    work = heap_work.data();
  }
  if constexpr (is_byte_v<C1> && is_byte_v<C2>) {
    for (std::size_t j = 0; j < m; ++j) stack_last[static_cast<unsigned char>(b[j])] = 0;
    return damerau_rows(a.data, n, b.data, m, stack_last, work);
  } else {
    // Number the distinct characters of `a` from 1 (a character of `b` absent from `a` is 0):
    // the keys then index a small `last` table directly.
    std::vector<std::uint32_t> heap_keys;
    std::uint32_t stack_keys[128];
    std::uint32_t* ka = stack_keys;
    if (n + m > 128) {
      heap_keys.resize(n + m);
      ka = heap_keys.data();
    }
    std::uint32_t* kb = ka + n;
    std::uint32_t n_keys = 0;
    std::unordered_map<char32_t, std::uint32_t> long_ids;  // only when `a` is long
    auto find = [&](char32_t c, std::size_t numbered) -> std::uint32_t {  // 0: not in a[0, numbered)
      if (n > 64) {
        const auto it = long_ids.find(c);
        return it == long_ids.end() ? 0 : it->second;
      }
      for (std::size_t i = 0; i < numbered; ++i)
        if (static_cast<char32_t>(a[i]) == c) return ka[i];
      return 0;
    };
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<char32_t>(a[i]);
      std::uint32_t id = find(c, i);
      if (id == 0) {
        id = ++n_keys;
        if (n > 64) long_ids.emplace(c, id);
      }
      ka[i] = id;
    }
    for (std::size_t j = 0; j < m; ++j) kb[j] = find(static_cast<char32_t>(b[j]), n);
    std::vector<std::size_t> heap_last;
    std::size_t* last = stack_last;
    if (n_keys >= 256) {
      heap_last.resize(n_keys + 1);
      last = heap_last.data();
    }
    std::fill(last, last + n_keys + 1, std::size_t{0});
    return damerau_rows(ka, n, kb, m, last, work);
  }
}

/// Hamming distance; each position past the end of the shorter string counts as a mismatch.
template <class C1, class C2>
std::size_t hamming(Span<C1> a, Span<C2> b) noexcept {
  const std::size_t n = std::min(a.size, b.size);
  std::size_t d = std::max(a.size, b.size) - n;
  for (std::size_t i = 0; i < n; ++i) d += static_cast<char32_t>(a[i]) != static_cast<char32_t>(b[i]);
  return d;
}

// ---- Jaro ---------------------------------------------------------------------------------------

/// Matching characters and half-transpositions counted by Jaro's procedure.
struct JaroCounts {
  std::size_t matches = 0;
  std::size_t transpositions = 0;  // already halved
};

/// Index of the lowest set bit of a non-zero word.
inline std::size_t lowest_bit_index(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(__builtin_ctzll(x));
#else
  std::size_t i = 0;
  while (!(x & 1)) x >>= 1, ++i;
  return i;
#endif
}

inline std::size_t jaro_range(std::size_t n1, std::size_t n2) noexcept {
  const std::size_t longest = std::max(n1, n2);
  return longest / 2 >= 1 ? longest / 2 - 1 : 0;
}

/// Bit-parallel Jaro matching (as RapidFuzz does) for a pattern `p` of at most 64 code points:
/// each character of `t`, in order, takes the first unmatched equal pattern character inside the
/// search window. O(|t|) word operations.
template <class Mask, class C1, class C2>
JaroCounts jaro_bits(const Mask& pm, Span<C1> p, Span<C2> t) noexcept {
  JaroCounts r;
  const std::size_t m = p.size;
  const std::size_t range = jaro_range(m, t.size);
  std::uint64_t p_flag = 0;
  char32_t t_matched[65];  // one spare slot for the unconditional store
  for (std::size_t j = 0; j < t.size; ++j) {
    const std::size_t lo = j > range ? j - range : 0;
    if (lo >= m) break;
    const std::size_t hi = std::min(j + range, m - 1);
    const std::uint64_t upto = hi == 63 ? ~std::uint64_t{0} : (std::uint64_t{1} << (hi + 1)) - 1;
    const std::uint64_t window = upto & ~((std::uint64_t{1} << lo) - 1);
    const std::uint64_t cand = pm.get(static_cast<char32_t>(t[j])) & window & ~p_flag;
    // Branch-free: whether a character matches is data, not a pattern a predictor can learn.
    p_flag |= cand & (~cand + 1);
    t_matched[r.matches] = static_cast<char32_t>(t[j]);
    r.matches += cand != 0;
  }
  std::size_t k = 0, trans = 0;
  for (std::uint64_t f = p_flag; f; f &= f - 1, ++k) {
    trans += static_cast<char32_t>(p[lowest_bit_index(f)]) != t_matched[k];
  }
  r.transpositions = trans / 2;
  return r;
}

/// Jaro matching with flag arrays, for any lengths (jellyfish's loop: s1 outer, s2 window).
template <class C1, class C2>
JaroCounts jaro_flags(Span<C1> s1, Span<C2> s2) {
  JaroCounts r;
  const std::size_t range = jaro_range(s1.size, s2.size);
  // Short strings keep their flags on the stack.
  char stack_flags[2 * 32] = {};
  std::vector<char> heap_flags;
  char* f1 = stack_flags;
  if (s1.size > 32 || s2.size > 32) {
    heap_flags.assign(s1.size + s2.size, 0);
    f1 = heap_flags.data();
  }
  char* f2 = f1 + s1.size;
  for (std::size_t i = 0; i < s1.size; ++i) {
    const std::size_t lo = i > range ? i - range : 0;
    const std::size_t hi = std::min(i + range + 1, s2.size);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!f2[j] && static_cast<char32_t>(s2[j]) == static_cast<char32_t>(s1[i])) {
        f1[i] = f2[j] = 1;
        ++r.matches;
        break;
      }
    }
  }
  std::size_t k = 0, trans = 0;
  for (std::size_t i = 0; i < s1.size; ++i) {
    if (!f1[i]) continue;
    while (!f2[k]) ++k;
    trans += static_cast<char32_t>(s1[i]) != static_cast<char32_t>(s2[k]);
    ++k;
  }
  r.transpositions = trans / 2;
  return r;
}

inline double jaro_from_counts(JaroCounts c, std::size_t n1, std::size_t n2) noexcept {
  if (c.matches == 0) return 0.0;
  const double m = static_cast<double>(c.matches);
  return (m / static_cast<double>(n1) + m / static_cast<double>(n2) +
          (m - static_cast<double>(c.transpositions)) / m) /
         3.0;
}

template <class C1, class C2>
JaroCounts jaro_counts(Span<C1> a, Span<C2> b) {
  // The shorter string is the pattern; per-pair masks are cheap for 8-bit text and for short
  // patterns, while long wide patterns would pay for clearing PatternMask64's table.
  if (a.size <= b.size && a.size <= 64) return with_pair_mask(a, b, [&](const auto& pm) { return jaro_bits(pm, a, b); });
  if (b.size < a.size && b.size <= 64) return with_pair_mask(b, a, [&](const auto& pm) { return jaro_bits(pm, b, a); });
  return jaro_flags(a, b);
}

/// Winkler's prefix boost and the optional long-string adjustment (strcmp95, as jellyfish).
template <class C1, class C2>
double winklerize(double jaro, JaroCounts c, Span<C1> a, Span<C2> b, double prefix_weight,
                  bool long_tolerance) noexcept {
  if (jaro <= 0.7) return jaro;
  const std::size_t min_len = std::min(a.size, b.size);
  const std::size_t limit = std::min<std::size_t>(min_len, 4);
  std::size_t i = 0;
  while (i < limit && static_cast<char32_t>(a[i]) == static_cast<char32_t>(b[i])) ++i;
  double w = jaro + static_cast<double>(i) * prefix_weight * (1.0 - jaro);
  if (long_tolerance && min_len > 4 && c.matches > i + 1 && 2 * c.matches >= min_len + i) {
    w += (1.0 - w) * static_cast<double>(c.matches - i - 1) /
         static_cast<double>(a.size + b.size - i * 2 + 2);
  }
  return w;
}

/// jaro_counts, with equal strings past one word answered at once (every character matches, in
/// order). Within a word the bit-parallel matching is as quick, and a memcmp call per pair is not.
template <class C1, class C2>
JaroCounts jaro_counts_or_equal(Span<C1> a, Span<C2> b) {
  if (std::min(a.size, b.size) > 64 && equal(a, b)) return JaroCounts{a.size, 0};
  return jaro_counts(a, b);
}

template <class C1, class C2>
double jaro(Span<C1> a, Span<C2> b) {
  if (a.size == 0 || b.size == 0) return 0.0;
  return jaro_from_counts(jaro_counts_or_equal(a, b), a.size, b.size);
}

template <class C1, class C2>
double jaro_winkler(Span<C1> a, Span<C2> b, double prefix_weight, bool long_tolerance) {
  if (a.size == 0 || b.size == 0) return 0.0;
  const JaroCounts c = jaro_counts_or_equal(a, b);
  return winklerize(jaro_from_counts(c, a.size, b.size), c, a, b, prefix_weight, long_tolerance);
}

// ---- token and q-gram sets ----------------------------------------------------------------------

/// Sorted distinct whitespace-separated words.
template <class C>
std::vector<std::u32string> word_set(Span<C> s) {
  std::vector<std::u32string> out;
  std::size_t i = 0;
  while (i < s.size) {
    while (i < s.size && is_space(static_cast<char32_t>(s[i]))) ++i;
    const std::size_t b = i;
    while (i < s.size && !is_space(static_cast<char32_t>(s[i]))) ++i;
    if (i > b) {
      std::u32string w;
      for (std::size_t k = b; k < i; ++k) w.push_back(static_cast<char32_t>(s[k]));
      out.push_back(std::move(w));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// Sorted distinct grams of `q` code points: non-overlapping chunks (the last may be shorter)
/// when `sliding` is false, every window of q otherwise (a string shorter than q is one gram).
template <class C>
std::vector<std::u32string> gram_set(Span<C> s, std::size_t q, bool sliding) {
  std::vector<std::u32string> out;
  auto take = [&](std::size_t b, std::size_t e) {
    std::u32string g;
    for (std::size_t k = b; k < e; ++k) g.push_back(static_cast<char32_t>(s[k]));
    out.push_back(std::move(g));
  };
  if (sliding) {
    if (s.size > 0 && s.size < q) take(0, s.size);
    for (std::size_t b = 0; b + q <= s.size; ++b) take(b, b + q);
  } else {
    for (std::size_t b = 0; b < s.size; b += q) take(b, std::min(s.size, b + q));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// |A n B| of two sorted distinct sets.
inline std::size_t intersection_size(const std::vector<std::u32string>& a,
                                     const std::vector<std::u32string>& b) noexcept {
  std::size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else ++n, ++i, ++j;
  }
  return n;
}

/// Jaccard index; two empty sets are identical (1).
inline double set_jaccard(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b) noexcept {
  if (a.empty() && b.empty()) return 1.0;
  const std::size_t inter = intersection_size(a, b);
  return static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
}

inline double normalized_levenshtein_similarity(std::u32string_view a, std::u32string_view b) {
  const std::size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  const std::size_t d = levenshtein(Wide{a.data(), a.size()}, Wide{b.data(), b.size()});
  return 1.0 - static_cast<double>(d) / static_cast<double>(longest);
}

/// Token-set similarity in the manner of FuzzyWuzzy/RapidFuzz token_set_ratio, with normalised
/// Levenshtein similarity as the base score: 1 when one word set contains the other, else the
/// best of comparing the sorted common words with each side's sorted words.
inline double token_set(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  std::vector<std::u32string> common, only_a, only_b;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  if (!common.empty() && (only_a.empty() || only_b.empty())) return 1.0;
  auto join = [](const std::vector<std::u32string>& w) {
    std::u32string s;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (i) s.push_back(U' ');
      s += w[i];
    }
    return s;
  };
  const std::u32string sect = join(common);
  std::u32string ta = sect, tb = sect;
  if (!sect.empty()) ta.push_back(U' '), tb.push_back(U' ');
  ta += join(only_a);
  tb += join(only_b);
  double best = normalized_levenshtein_similarity(ta, tb);
  if (!sect.empty()) {
    best = std::max(best, normalized_levenshtein_similarity(sect, ta));
    best = std::max(best, normalized_levenshtein_similarity(sect, tb));
  }
  return best;
}

}  // namespace earlyhelp::linkage::detail
