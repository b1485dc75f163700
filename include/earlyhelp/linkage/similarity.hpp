// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// String similarity for record linkage, on UTF-8 text compared by Unicode code points (as
/// jellyfish and python-Levenshtein do). One uniform surface per metric, after RapidFuzz:
/// `<metric>_distance`, `<metric>_similarity`, `<metric>_normalized_distance` and
/// `<metric>_normalized_similarity` (normalised to [0, 1]; two empty strings are identical).
///
/// Algorithms: Levenshtein by the bit-parallel method of G. Myers, "A fast bit-vector algorithm
/// for approximate string matching based on dynamic programming", JACM 46(3), 1999, in the
/// formulation of H. Hyyro, "Explaining and extending the bit-parallel approximate string
/// matching algorithm of Myers", 2001 (patterns of <= 64 code points; Wagner-Fischer beyond).
/// Optimal string alignment by the bit-parallel extension of H. Hyyro, "A bit-vector algorithm
/// for computing Levenshtein and Damerau edit distances", Nordic Journal of Computing 10(1),
/// 2003 (same 64 code point limit). Unrestricted Damerau-Levenshtein after R. Lowrance and
/// R. Wagner, "An extension of the string-to-string correction problem", JACM 22(2), 1975, row
/// by row as C. Zhao and S. Sahni, "String correction using the Damerau-Levenshtein distance",
/// BMC Bioinformatics 20, 2019. Single comparisons of 8-bit text (ASCII, or Latin-1 from
/// bindings) build their bit masks in O(n) without clearing a table.
/// Jaro (M. Jaro, JASA 84, 1989) and Jaro-Winkler (W. Winkler, "String comparator metrics and
/// enhanced decision rules in the Fellegi-Sunter model of record linkage", 1990), with the
/// strcmp95 long-string adjustment, exactly as jellyfish 0.8.9 computes them (empty input gives 0).
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// levenshtein_distance("kitten", "sitting");       // 3
/// jaro_winkler_similarity("martha", "marhta");     // 0.9611...
/// CachedJaroWinkler q("William");                  // prepare once, compare many
/// q.similarity("Williams");                        // 0.975
/// ```

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/detail/similarity_impl.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace earlyhelp::linkage {

// ---- Levenshtein ---------------------------------------------------------------------------------

/// Levenshtein distance: fewest single code point insertions, deletions and substitutions.
/// O(n) words when one string has <= 64 code points after trimming the common prefix and
/// suffix, else O(nm).
/// Example: `levenshtein_distance("Saturday", "Sunday")` is 3.
inline std::size_t levenshtein_distance(std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [](auto x, auto y) { return detail::levenshtein(x, y); });
}

namespace detail {
// One `_distance` gives the other three forms (RapidFuzz details/distance.hpp), on code points
// (`_cp`, what batch and binding code calls) and on UTF-8.
template <class C1, class C2, class Dist>
double normalized_distance_cp(Span<C1> x, Span<C2> y, Dist dist) {
  const std::size_t longest = std::max(x.size, y.size);
  if (longest == 0) return 0.0;
  return static_cast<double>(dist(x, y)) / static_cast<double>(longest);
}
template <class C1, class C2, class Dist>
std::size_t similarity_cp(Span<C1> x, Span<C2> y, Dist dist) {
  return std::max(x.size, y.size) - dist(x, y);
}
template <class Dist>
double normalized_distance(std::string_view a, std::string_view b, Dist dist) {
  return with_code_points(a, b, [&](auto x, auto y) { return normalized_distance_cp(x, y, dist); });
}
template <class Dist>
std::size_t similarity(std::string_view a, std::string_view b, Dist dist) {
  return with_code_points(a, b, [&](auto x, auto y) { return similarity_cp(x, y, dist); });
}
struct LevenshteinFn {
  template <class X, class Y>
  std::size_t operator()(X x, Y y) const { return levenshtein(x, y); }
};
struct OsaFn {
  template <class X, class Y>
  std::size_t operator()(X x, Y y) const { return osa(x, y); }
};
struct DamerauFn {
  template <class X, class Y>
  std::size_t operator()(X x, Y y) const { return damerau_levenshtein(x, y); }
};
struct HammingFn {
  template <class X, class Y>
  std::size_t operator()(X x, Y y) const noexcept { return hamming(x, y); }
};
template <class C1, class C2>
double levenshtein_normalized_similarity_cp(Span<C1> x, Span<C2> y) {
  return 1.0 - normalized_distance_cp(x, y, LevenshteinFn{});
}
}  // namespace detail

/// max(|a|, |b|) - levenshtein_distance(a, b).
inline std::size_t levenshtein_similarity(std::string_view a, std::string_view b) {
  return detail::similarity(a, b, detail::LevenshteinFn{});
}
/// levenshtein_distance / max(|a|, |b|), in [0, 1]; 0 for two empty strings.
inline double levenshtein_normalized_distance(std::string_view a, std::string_view b) {
  return detail::normalized_distance(a, b, detail::LevenshteinFn{});
}
/// 1 - levenshtein_normalized_distance.
inline double levenshtein_normalized_similarity(std::string_view a, std::string_view b) {
  return 1.0 - levenshtein_normalized_distance(a, b);
}

// ---- Damerau-Levenshtein ----------------------------------------------------------------------------

/// Optimal string alignment distance (restricted Damerau-Levenshtein): Levenshtein plus adjacent
/// transpositions, no substring edited twice, so `osa_distance("CA", "ABC")` is 3. O(n) words
/// when one string has <= 64 code points after trimming the common prefix and suffix, else O(nm).
inline std::size_t osa_distance(std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [](auto x, auto y) { return detail::osa(x, y); });
}
/// max(|a|, |b|) - osa_distance(a, b).
inline std::size_t osa_similarity(std::string_view a, std::string_view b) {
  return detail::similarity(a, b, detail::OsaFn{});
}
/// osa_distance / max(|a|, |b|).
inline double osa_normalized_distance(std::string_view a, std::string_view b) {
  return detail::normalized_distance(a, b, detail::OsaFn{});
}
/// 1 - osa_normalized_distance.
inline double osa_normalized_similarity(std::string_view a, std::string_view b) {
  return 1.0 - osa_normalized_distance(a, b);
}

/// Unrestricted Damerau-Levenshtein distance (jellyfish's damerau_levenshtein_distance), so
/// `damerau_levenshtein_distance("CA", "ABC")` is 2. O(nm) time, O(m) space (no allocation when
/// both strings have <= 64 code points).
inline std::size_t damerau_levenshtein_distance(std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [](auto x, auto y) { return detail::damerau_levenshtein(x, y); });
}
/// max(|a|, |b|) - damerau_levenshtein_distance(a, b).
inline std::size_t damerau_levenshtein_similarity(std::string_view a, std::string_view b) {
  return detail::similarity(a, b, detail::DamerauFn{});
}
/// damerau_levenshtein_distance / max(|a|, |b|).
inline double damerau_levenshtein_normalized_distance(std::string_view a, std::string_view b) {
  return detail::normalized_distance(a, b, detail::DamerauFn{});
}
/// 1 - damerau_levenshtein_normalized_distance.
inline double damerau_levenshtein_normalized_similarity(std::string_view a, std::string_view b) {
  return 1.0 - damerau_levenshtein_normalized_distance(a, b);
}

// ---- Hamming ------------------------------------------------------------------------------------

/// Hamming distance; strings of different lengths are allowed, each code point past the end of
/// the shorter one counting as a mismatch (jellyfish): `hamming_distance("abcd", "abc")` is 1.
inline std::size_t hamming_distance(std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [](auto x, auto y) { return detail::hamming(x, y); });
}
/// max(|a|, |b|) - hamming_distance(a, b).
inline std::size_t hamming_similarity(std::string_view a, std::string_view b) {
  return detail::similarity(a, b, detail::HammingFn{});
}
/// hamming_distance / max(|a|, |b|).
inline double hamming_normalized_distance(std::string_view a, std::string_view b) {
  return detail::normalized_distance(a, b, detail::HammingFn{});
}
/// 1 - hamming_normalized_distance.
inline double hamming_normalized_similarity(std::string_view a, std::string_view b) {
  return 1.0 - hamming_normalized_distance(a, b);
}

// ---- Jaro and Jaro-Winkler -------------------------------------------------------------------

/// Jaro similarity in [0, 1]; 0 when either string is empty (jellyfish). Bit-parallel when the
/// shorter string has <= 64 code points.
/// Example: `jaro_similarity("dwayne", "duane")` is 0.8222...
inline double jaro_similarity(std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [](auto x, auto y) { return detail::jaro(x, y); });
}
/// 1 - jaro_similarity.
inline double jaro_distance(std::string_view a, std::string_view b) { return 1.0 - jaro_similarity(a, b); }

/// Jaro-Winkler similarity: Jaro plus `prefix_weight` x (common prefix of at most 4) x (1 - Jaro),
/// applied only when Jaro > 0.7. With `long_tolerance`, the strcmp95 adjustment for long strings
/// is added (jellyfish's `long_tolerance=True`).
/// @param prefix_weight Winkler's scaling factor; 0.1 is standard and must be <= 0.25 to keep the
///        result in [0, 1] (not checked: this is a noexcept-style kernel).
/// Example: `jaro_winkler_similarity("dixon", "dicksonx")` is 0.8133...
inline double jaro_winkler_similarity(std::string_view a, std::string_view b, double prefix_weight = 0.1,
                                      bool long_tolerance = false) {
  return detail::with_code_points(
      a, b, [&](auto x, auto y) { return detail::jaro_winkler(x, y, prefix_weight, long_tolerance); });
}
/// 1 - jaro_winkler_similarity.
inline double jaro_winkler_distance(std::string_view a, std::string_view b, double prefix_weight = 0.1,
                                    bool long_tolerance = false) {
  return 1.0 - jaro_winkler_similarity(a, b, prefix_weight, long_tolerance);
}

// ---- set similarities --------------------------------------------------------------------------

namespace detail {
template <class C1, class C2>
double jaccard_cp(Span<C1> x, Span<C2> y, std::size_t ngram_size) {
  if (ngram_size == 0) return set_jaccard(word_set(x), word_set(y));
  return set_jaccard(gram_set(x, ngram_size, false), gram_set(y, ngram_size, false));
}
template <class C1, class C2>
double qgram_jaccard_cp(Span<C1> x, Span<C2> y, std::size_t q) {
  return set_jaccard(gram_set(x, q, true), gram_set(y, q, true));
}
template <class C1, class C2>
double token_set_cp(Span<C1> x, Span<C2> y) {
  return token_set(word_set(x), word_set(y));
}
}  // namespace detail

/// Jaccard index of token sets, as jellyfish's `jaccard_similarity`: with `ngram_size == 0` the
/// tokens are whitespace-separated words, otherwise non-overlapping consecutive chunks of
/// `ngram_size` code points (the last may be shorter). Two empty inputs give 1.
/// Example: `jaccard_similarity("John Smith", "John Jacob Smith")` is 2/3.
inline double jaccard_similarity(std::string_view a, std::string_view b, std::size_t ngram_size = 0) {
  return detail::with_code_points(a, b, [&](auto x, auto y) { return detail::jaccard_cp(x, y, ngram_size); });
}

/// Jaccard index of the sets of overlapping q-grams (every window of `q` code points; a
/// non-empty string shorter than q is a single gram). Two empty strings give 1.
/// @throws InvalidArgument when q == 0.
inline double qgram_jaccard_similarity(std::string_view a, std::string_view b, std::size_t q = 2) {
  EH_CHECK(q > 0, "qgram_jaccard_similarity: q must be at least 1 (got {})", q);
  return detail::with_code_points(a, b, [&](auto x, auto y) { return detail::qgram_jaccard_cp(x, y, q); });
}

/// Token-set similarity (after FuzzyWuzzy's token_set_ratio, on a 0-1 scale with normalised
/// Levenshtein similarity as the base): 1 when the word set of one string contains the other's,
/// so word order and repeated words do not matter: `token_set_similarity("Smith John",
/// "John Smith")` is 1.
inline double token_set_similarity(std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [](auto x, auto y) { return detail::token_set_cp(x, y); });
}

// ---- cached scorers ------------------------------------------------------------------------------

/// A string prepared once for many comparisons: its code points and, when it has at most 64 of
/// them, the bit masks of the bit-parallel kernels. Comparisons are `const` and thread-safe.
class PreparedString {
 public:
  explicit PreparedString(std::string_view s) : text_(decode_utf8(s)) {
    if (text_.size() <= 64) mask_ = detail::PatternMask64(span());
  }
  /// Code points of the prepared string.
  std::u32string_view code_points() const noexcept { return text_; }
  detail::Wide span() const noexcept { return detail::Wide{text_.data(), text_.size()}; }
  const detail::PatternMask64& mask() const noexcept { return mask_; }
  bool fits_word() const noexcept { return text_.size() <= 64; }

 private:
  std::u32string text_;
  detail::PatternMask64 mask_;
};

/// Levenshtein distance from one prepared string to many (RapidFuzz CachedLevenshtein).
/// Example: `CachedLevenshtein q("kitten"); q.distance("sitting"); // 3`
class CachedLevenshtein {
 public:
  explicit CachedLevenshtein(std::string_view s) : s_(s) {}
  /// Same as levenshtein_distance(s, b).
  std::size_t distance(std::string_view b) const {
    return detail::with_code_points(b, [&](auto y) {
      if (s_.fits_word()) return detail::levenshtein_myers64(s_.mask(), s_.span().size, y);
      return detail::levenshtein(s_.span(), y);
    });
  }
  /// Same as levenshtein_normalized_similarity(s, b).
  double normalized_similarity(std::string_view b) const {
    return detail::with_code_points(b, [&](auto y) {
      const std::size_t longest = std::max(s_.span().size, y.size);
      if (longest == 0) return 1.0;
      const std::size_t d = s_.fits_word() ? detail::levenshtein_myers64(s_.mask(), s_.span().size, y)
                                           : detail::levenshtein(s_.span(), y);
      return 1.0 - static_cast<double>(d) / static_cast<double>(longest);
    });
  }

 private:
  PreparedString s_;
};

/// Jaro-Winkler (or plain Jaro with prefix_weight 0) from one prepared string to many; the
/// bit-parallel kernel is used when the prepared string has <= 64 code points.
class CachedJaroWinkler {
 public:
  /// @param prefix_weight 0.1 for Jaro-Winkler, 0 for plain Jaro.
  explicit CachedJaroWinkler(std::string_view s, double prefix_weight = 0.1, bool long_tolerance = false)
      : s_(s), prefix_weight_(prefix_weight), long_tolerance_(long_tolerance) {}
  /// Same as jaro_winkler_similarity(s, b, prefix_weight, long_tolerance).
  double similarity(std::string_view b) const {
    return detail::with_code_points(b, [&](auto y) { return similarity_span(y); });
  }
  /// The same on code points already decoded.
  template <class C>
  double similarity_span(detail::Span<C> y) const {
    const detail::Wide x = s_.span();
    if (x.size == 0 || y.size == 0) return 0.0;
    const detail::JaroCounts c = s_.fits_word() ? detail::jaro_bits(s_.mask(), x, y) : detail::jaro_counts(x, y);
    const double j = detail::jaro_from_counts(c, x.size, y.size);
    if (prefix_weight_ == 0.0 && !long_tolerance_) return j;
    return detail::winklerize(j, c, x, y, prefix_weight_, long_tolerance_);
  }

 private:
  PreparedString s_;
  double prefix_weight_;
  bool long_tolerance_;
};

/// Jaro similarity from one prepared string to many.
class CachedJaro {
 public:
  explicit CachedJaro(std::string_view s) : jw_(s, 0.0, false) {}
  /// Same as jaro_similarity(s, b).
  double similarity(std::string_view b) const { return jw_.similarity(b); }

 private:
  CachedJaroWinkler jw_;
};

}  // namespace earlyhelp::linkage
