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
#include <unordered_map>
#include <utility>
#include <vector>

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

/// Calls `f(span)` with the code points of UTF-8 `s`, decoding only when it is not ASCII.
template <class F>
decltype(auto) with_code_points(std::string_view s, F&& f) {
  if (is_ascii(s)) return f(Ascii{reinterpret_cast<const unsigned char*>(s.data()), s.size()});
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

template <class C1, class C2>
bool equal(Span<C1> a, Span<C2> b) noexcept {
  if (a.size != b.size) return false;
  for (std::size_t i = 0; i < a.size; ++i)
    if (static_cast<char32_t>(a[i]) != static_cast<char32_t>(b[i])) return false;
  return true;
}

// ---- Levenshtein --------------------------------------------------------------------------------

/// Bit-parallel Levenshtein distance (Hyyro 2001 formulation of Myers 1999) of a pattern of
/// m <= 64 code points, given by its masks, against `t`. O(|t|).
template <class Mask, class C>
std::size_t levenshtein_myers64(const Mask& pm, std::size_t m, Span<C> t) noexcept {
  if (m == 0) return t.size;
  const std::uint64_t last = std::uint64_t{1} << (m - 1);
  std::uint64_t vp = m == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << m) - 1;
  std::uint64_t vn = 0;
  std::size_t score = m;
  for (std::size_t j = 0; j < t.size; ++j) {
    const std::uint64_t x = pm.get(static_cast<char32_t>(t[j])) | vn;
    const std::uint64_t d0 = (((x & vp) + vp) ^ vp) | x;
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

/// Drops the common prefix and suffix, which change none of the edit distances (Levenshtein,
/// OSA, Damerau-Levenshtein; RapidFuzz does the same).
template <class C1, class C2>
void remove_common_affix(Span<C1>& a, Span<C2>& b) noexcept {
  while (a.size && b.size && static_cast<char32_t>(a[0]) == static_cast<char32_t>(b[0])) {
    ++a.data, ++b.data, --a.size, --b.size;
  }
  while (a.size && b.size &&
         static_cast<char32_t>(a[a.size - 1]) == static_cast<char32_t>(b[b.size - 1])) {
    --a.size, --b.size;
  }
}

template <class C1, class C2>
std::size_t levenshtein(Span<C1> a, Span<C2> b) {
  remove_common_affix(a, b);
  if (a.size == 0) return b.size;
  if (b.size == 0) return a.size;
  if (a.size <= SmallPatternMask::capacity) return levenshtein_myers64(SmallPatternMask(a), a.size, b);
  if (b.size <= SmallPatternMask::capacity) return levenshtein_myers64(SmallPatternMask(b), b.size, a);
  if (a.size <= 64) return levenshtein_myers64(PatternMask64(a), a.size, b);
  if (b.size <= 64) return levenshtein_myers64(PatternMask64(b), b.size, a);
  return levenshtein_dp(a, b);
}

// ---- Damerau-Levenshtein ------------------------------------------------------------------------

/// Optimal string alignment (restricted Damerau-Levenshtein): adjacent transpositions cost 1 and
/// no substring is edited twice. O(|a| |b|) time, three rows.
template <class C1, class C2>
std::size_t osa(Span<C1> a, Span<C2> b) {
  remove_common_affix(a, b);
  if (a.size == 0) return b.size;
  if (b.size == 0) return a.size;
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

/// Unrestricted Damerau-Levenshtein distance (Lowrance and Wagner 1975): transpositions of
/// characters that are not adjacent after other edits are allowed. O(|a| |b|) time and space.
template <class C1, class C2>
std::size_t damerau_levenshtein(Span<C1> a, Span<C2> b) {
  remove_common_affix(a, b);
  const std::size_t n = a.size, m = b.size;
  if (n == 0) return m;
  if (m == 0) return n;
  const std::size_t inf = n + m;
  const std::size_t w = m + 2;
  // Name-length inputs use stack storage: no allocation per comparison.
  std::size_t small[32 * 32];
  std::vector<std::size_t> big;
  std::size_t* d = small;
  if ((n + 2) * w > 32 * 32) {
    big.resize((n + 2) * w);
    d = big.data();
  }
  auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * w + j]; };
  at(0, 0) = inf;
  for (std::size_t i = 0; i <= n; ++i) at(i + 1, 0) = inf, at(i + 1, 1) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j + 1) = inf, at(1, j + 1) = j;
  // Last row of `a` in which each character occurred (0: not yet). Characters are first
  // numbered by their position in a's list of distinct characters, so each cell looks the row up
  // in O(1); a character of `b` absent from `a` gets the id `none` (row always 0).
  const bool small_input = n <= 32 && m <= 32;
  std::size_t stack_ids[32 + 32 + 33];
  char32_t stack_distinct[32];
  std::vector<std::size_t> heap_ids;
  std::vector<char32_t> heap_distinct;
  std::size_t* id_a = stack_ids;
  char32_t* distinct = stack_distinct;
  if (!small_input) {
    heap_ids.resize(n + m + n + 1);
    heap_distinct.resize(n);
    id_a = heap_ids.data();
    distinct = heap_distinct.data();
  }
  std::size_t* id_b = id_a + n;
  std::size_t* last = id_b + m;  // indexed by id, n + 1 entries; last[n] stays 0
  std::size_t n_distinct = 0;
  std::unordered_map<char32_t, std::size_t> ids;  // only for long `a`
  auto id_of = [&](char32_t c, bool insert) -> std::size_t {
    if (n <= 32) {
      for (std::size_t k = 0; k < n_distinct; ++k)
        if (distinct[k] == c) return k;
    } else if (auto it = ids.find(c); it != ids.end()) {
      return it->second;
    }
    if (!insert) return n;  // `none`: one past the largest possible id
    distinct[n_distinct] = c;
    if (n > 32) ids.emplace(c, n_distinct);
    return n_distinct++;
  };
  for (std::size_t i = 0; i < n; ++i) id_a[i] = id_of(static_cast<char32_t>(a[i]), true);
  for (std::size_t j = 0; j < m; ++j) id_b[j] = id_of(static_cast<char32_t>(b[j]), false);
  for (std::size_t k = 0; k <= n; ++k) last[k] = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    std::size_t db = 0;
    const std::size_t ai = id_a[i - 1];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t bj = id_b[j - 1];
      const std::size_t i1 = last[bj];
      const std::size_t j1 = db;
      std::size_t cost = 1;
      if (ai == bj) cost = 0, db = j;
      at(i + 1, j + 1) = std::min({at(i, j) + cost, at(i + 1, j) + 1, at(i, j + 1) + 1,
                                   at(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1)});
    }
    last[ai] = i;
  }
  return at(n + 1, m + 1);
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
  char32_t t_matched[64];
  for (std::size_t j = 0; j < t.size; ++j) {
    const std::size_t lo = j > range ? j - range : 0;
    if (lo >= m) break;
    const std::size_t hi = std::min(j + range, m - 1);
    const std::uint64_t upto = hi == 63 ? ~std::uint64_t{0} : (std::uint64_t{1} << (hi + 1)) - 1;
    const std::uint64_t window = upto & ~((std::uint64_t{1} << lo) - 1);
    const std::uint64_t cand = pm.get(static_cast<char32_t>(t[j])) & window & ~p_flag;
    if (cand) {
      p_flag |= cand & (~cand + 1);
      t_matched[r.matches++] = static_cast<char32_t>(t[j]);
    }
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
  // For names the flag procedure on the stack beats building bit masks for a single comparison.
  if (a.size <= 16 && b.size <= 16) return jaro_flags(a, b);
  if (a.size <= 64 && a.size <= b.size) return jaro_bits(PatternMask64(a), a, b);
  if (b.size <= 64) return jaro_bits(PatternMask64(b), b, a);
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

template <class C1, class C2>
double jaro(Span<C1> a, Span<C2> b) {
  if (a.size == 0 || b.size == 0) return 0.0;
  return jaro_from_counts(jaro_counts(a, b), a.size, b.size);
}

template <class C1, class C2>
double jaro_winkler(Span<C1> a, Span<C2> b, double prefix_weight, bool long_tolerance) {
  if (a.size == 0 || b.size == 0) return 0.0;
  const JaroCounts c = jaro_counts(a, b);
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
