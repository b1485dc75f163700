// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/batch.hpp"
#include "earlyhelp/linkage/similarity.hpp"
#include "reference/linkage_reference.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
namespace ref = earlyhelp::reference;

namespace {
// Letters of several scripts, a no-break space, an astral code point.
const std::u32string kWide = U"abcdeéèëßðøñçłžАбвгΩωσς中文😀 \u00a0-'";
const std::u32string kSmall = U"abcé";  // small alphabet: many repeats, transpositions

std::vector<std::vector<std::string>> vectors(const char* name) {
  const auto path = ref::shared_file(std::string("jellyfish/") + name);
  if (!path) return {};
  return ref::read_csv(*path);
}
}  // namespace

TEST_SUITE("similarity") {
  TEST_CASE("similarity.vectors: jellyfish distances") {
    const auto lev = vectors("levenshtein.csv");
    if (lev.empty()) {
      MESSAGE("skipped: jellyfish vectors not found (set EARLYHELP_SHARED_DATA)");
      return;
    }
    for (const auto& r : lev) CHECK(levenshtein_distance(r[0], r[1]) == std::stoul(r[2]));
    for (const auto& r : vectors("wagner_fischer.csv")) CHECK(levenshtein_distance(r[0], r[1]) == std::stoul(r[2]));
    const auto dl = vectors("damerau_levenshtein.csv");
    REQUIRE(dl.size() == 9);
    for (const auto& r : dl) {
      CHECK(damerau_levenshtein_distance(r[0], r[1]) == std::stoul(r[2]));
      CHECK(osa_distance(r[0], r[1]) == std::stoul(r[2]));  // the rows cannot tell the two apart
    }
    for (const auto& r : vectors("hamming.csv")) CHECK(hamming_distance(r[0], r[1]) == std::stoul(r[2]));
  }

  TEST_CASE("similarity.vectors: jellyfish Jaro, Jaro-Winkler and Jaccard") {
    const auto jd = vectors("jaro_distance.csv");
    if (jd.empty()) {
      MESSAGE("skipped: jellyfish vectors not found (set EARLYHELP_SHARED_DATA)");
      return;
    }
    for (const auto& r : jd) CHECK(std::abs(jaro_similarity(r[0], r[1]) - std::stod(r[2])) < 1e-3);
    for (const auto& r : vectors("jaro_winkler.csv"))
      CHECK(std::abs(jaro_winkler_similarity(r[0], r[1]) - std::stod(r[2])) < 1e-3);
    for (const auto& r : vectors("jaro_winkler_longtol.csv"))
      CHECK(std::abs(jaro_winkler_similarity(r[0], r[1], 0.1, true) - std::stod(r[2])) < 1e-3);
    const auto jac = vectors("jaccard.csv");
    REQUIRE(jac.size() == 16);
    for (const auto& r : jac) {
      const std::size_t n = r[3].empty() ? 0 : std::stoul(r[3]);
      CHECK(std::abs(jaccard_similarity(r[0], r[1], n) - std::stod(r[2])) < 1e-3);
    }
  }

  TEST_CASE("similarity.known values and the four forms") {
    CHECK(levenshtein_distance("kitten", "sitting") == 3);
    CHECK(levenshtein_similarity("kitten", "sitting") == 4);
    CHECK(levenshtein_normalized_distance("kitten", "sitting") == doctest::Approx(3.0 / 7).epsilon(1e-12));
    CHECK(levenshtein_normalized_similarity("", "") == 1.0);
    CHECK(osa_distance("CA", "ABC") == 3);
    CHECK(damerau_levenshtein_distance("CA", "ABC") == 2);
    CHECK(damerau_levenshtein_normalized_similarity("ab", "ba") == doctest::Approx(0.5));
    CHECK(hamming_distance("abcd", "abc") == 1);
    CHECK(hamming_normalized_similarity("abc", "abd") == doctest::Approx(2.0 / 3));
    CHECK(jaro_similarity("", "") == 0.0);  // jellyfish: empty input gives 0
    CHECK(jaro_winkler_similarity("martha", "marhta") == doctest::Approx(0.9611111111111111).epsilon(1e-12));
    CHECK(jaro_winkler_distance("a", "a") == 0.0);
    CHECK(levenshtein_distance("Zoë", "Zoe") == 1);  // code points, not bytes
    CHECK(qgram_jaccard_similarity("night", "nacht") == doctest::Approx(1.0 / 7));
    CHECK(qgram_jaccard_similarity("", "") == 1.0);
    CHECK(token_set_similarity("Smith John", "John  Smith") == 1.0);
    CHECK(token_set_similarity("John Smith", "John Smith Jnr") == 1.0);
    CHECK(token_set_similarity("", "x") == 0.0);
    CHECK(token_set_similarity("Ann Smith", "Anne Smith") == doctest::Approx(1.0 - 1.0 / 10));
    CHECK_THROWS_WITH_AS(qgram_jaccard_similarity("a", "b", 0),
                         "qgram_jaccard_similarity: q must be at least 1 (got 0)", InvalidArgument);
  }

  TEST_CASE("similarity.differential: against naive references on random strings") {
    for (const auto& alphabet : {kWide, kSmall}) {
      const auto a = ref::random_strings(1234, alphabet, 400, 14);
      const auto b = ref::random_strings(5678, alphabet, 400, 14);
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::u32string ua = decode_utf8(a[i]), ub = decode_utf8(b[i]);
        REQUIRE(levenshtein_distance(a[i], b[i]) == ref::levenshtein(ua, ub));
        REQUIRE(osa_distance(a[i], b[i]) == ref::osa(ua, ub));
        REQUIRE(damerau_levenshtein_distance(a[i], b[i]) == ref::damerau(ua, ub));
        REQUIRE(jaro_similarity(a[i], b[i]) == doctest::Approx(ref::jaro_winkler(ua, ub, 0, false)).epsilon(1e-12));
        REQUIRE(jaro_winkler_similarity(a[i], b[i]) ==
                doctest::Approx(ref::jaro_winkler(ua, ub, 0.1, false)).epsilon(1e-12));
        REQUIRE(jaro_winkler_similarity(a[i], b[i], 0.1, true) ==
                doctest::Approx(ref::jaro_winkler(ua, ub, 0.1, true)).epsilon(1e-12));
        // Symmetry of every metric.
        REQUIRE(levenshtein_distance(b[i], a[i]) == levenshtein_distance(a[i], b[i]));
        REQUIRE(jaro_similarity(b[i], a[i]) == doctest::Approx(jaro_similarity(a[i], b[i])).epsilon(1e-12));
      }
    }
  }

  TEST_CASE("similarity.differential: strings around and beyond 64 code points") {
    const auto a = ref::random_strings(42, kSmall, 60, 140);
    const auto b = ref::random_strings(43, kSmall, 60, 140);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::u32string ua = decode_utf8(a[i]), ub = decode_utf8(b[i]);
      REQUIRE(levenshtein_distance(a[i], b[i]) == ref::levenshtein(ua, ub));
      REQUIRE(CachedLevenshtein(a[i]).distance(b[i]) == ref::levenshtein(ua, ub));
      REQUIRE(jaro_winkler_similarity(a[i], b[i]) == doctest::Approx(ref::jaro_winkler(ua, ub, 0.1, false)).epsilon(1e-12));
      REQUIRE(CachedJaroWinkler(a[i]).similarity(b[i]) ==
              doctest::Approx(ref::jaro_winkler(ua, ub, 0.1, false)).epsilon(1e-12));
    }
    // Exactly 64 code points uses every bit of the word.
    const std::string s64(64, 'a');
    std::string t64 = s64;
    t64[63] = 'b';
    CHECK(levenshtein_distance(s64, t64) == 1);
    CHECK(CachedLevenshtein(s64).distance(t64) == 1);
    CHECK(CachedJaroWinkler(s64).similarity(t64) == doctest::Approx(jaro_winkler_similarity(t64, s64)).epsilon(1e-12));
  }

  TEST_CASE("similarity.differential: edge paths of the word kernels") {
    // Every length class of the word-at-a-time prefix/suffix and ASCII tests (0-3, 4-7, 8-16,
    // > 16 bytes), equal strings, one character, repeated letters, Latin-1 and wider text.
    const std::u32string alphabets[] = {U"ab", U"aé", U"abŁ", kSmall, kWide};
    std::uint32_t seed = 100;
    for (const auto& alphabet : alphabets) {
      for (const std::size_t max_len : {std::size_t{3}, std::size_t{9}, std::size_t{20}, std::size_t{70}}) {
        const std::size_t n = max_len > 64 ? 40 : 300;
        const auto a = ref::random_strings(seed++, alphabet, n, max_len);
        const auto b = ref::random_strings(seed++, alphabet, n, max_len);
        for (std::size_t i = 0; i < n; ++i) {
          const std::string ab = a[i] + b[i];  // shares a prefix with a[i]
          for (const auto& [x, y] : {std::pair{a[i], b[i]}, std::pair{a[i], a[i]}, std::pair{a[i], ab},
                                     std::pair{b[i] + a[i], a[i]}}) {
            const std::u32string ux = decode_utf8(x), uy = decode_utf8(y);
            REQUIRE(levenshtein_distance(x, y) == ref::levenshtein(ux, uy));
            REQUIRE(osa_distance(x, y) == ref::osa(ux, uy));
            REQUIRE(damerau_levenshtein_distance(x, y) == ref::damerau(ux, uy));
            REQUIRE(jaro_winkler_similarity(x, y) == doctest::Approx(ref::jaro_winkler(ux, uy, 0.1, false)).epsilon(1e-12));
            REQUIRE(jaro_winkler_similarity(x, y, 0.1, true) ==
                    doctest::Approx(ref::jaro_winkler(ux, uy, 0.1, true)).epsilon(1e-12));
          }
        }
      }
    }
    CHECK(damerau_levenshtein_distance("", "") == 0);
    CHECK(damerau_levenshtein_distance("a", "") == 1);
    CHECK(damerau_levenshtein_distance("a", "b") == 1);
    CHECK(damerau_levenshtein_distance("ab", "ba") == 1);
    CHECK(damerau_levenshtein_distance("abc", "ca") == 2);
    CHECK(osa_distance("ab", "ba") == 1);
    CHECK(osa_distance("Zoë", "Zëo") == 1);
    CHECK(jaro_similarity("a", "a") == 1.0);
    CHECK(jaro_winkler_similarity("Müller", "Müller") == 1.0);
    CHECK(jaro_winkler_similarity("Müller", "Muller") == doctest::Approx(ref::jaro_winkler(U"Müller", U"Muller", 0.1, false)).epsilon(1e-12));
  }

  TEST_CASE("similarity.damerau_levenshtein: the OSA shortcut answers only where it is exact") {
    // Every pair of strings of up to 4 letters over three letters (8-bit and wide): where no
    // transposition gapped on one side is possible the bit-parallel OSA distance answers, the
    // full programme elsewhere; both must agree with the reference, and both must be taken.
    constexpr std::size_t unproven = ~std::size_t{0};
    namespace lkd = earlyhelp::linkage::detail;
    for (const std::u32string& alphabet : {std::u32string(U"abc"), std::u32string(U"a\u0141\U0001F600")}) {
      std::vector<std::u32string> all{U""};
      for (std::size_t k = 0; k < all.size(); ++k)
        if (all[k].size() < 4)
          for (const char32_t c : alphabet) all.push_back(all[k] + c);
      std::size_t proven = 0, left = 0;
      for (const auto& x : all) {
        const std::string x8 = encode_utf8(x);
        for (const auto& y : all) {
          const std::size_t want = ref::damerau(x, y);
          const std::size_t by_osa =
              lkd::damerau_by_osa(lkd::Wide{x.data(), x.size()}, lkd::Wide{y.data(), y.size()}, unproven);
          if (by_osa == unproven) {
            ++left;
          } else {
            ++proven;
            REQUIRE(by_osa == want);
          }
          REQUIRE(damerau_levenshtein_distance(x8, encode_utf8(y)) == want);
        }
      }
      CHECK(proven > 0);
      CHECK(left > 0);
    }
    CHECK(damerau_levenshtein_distance("CA", "ABC") == 2);  // a transposition, then an insertion between
    CHECK(osa_distance("CA", "ABC") == 3);
    CHECK(damerau_levenshtein_distance("ABC", "CA") == 2);
    CHECK(damerau_levenshtein_distance("abcdef", "bcdefa") == 2);
  }

  TEST_CASE("similarity.differential: unrestricted Damerau-Levenshtein with many distinct characters") {
    // More than 255 distinct code points in `a` takes the heap tables of the wide path.
    std::u32string many;
    for (char32_t c = 0x100; c < 0x100 + 300; ++c) many.push_back(c);
    const auto a = ref::random_strings(9, many, 6, 400);
    const auto b = ref::random_strings(10, many.substr(0, 40), 6, 90);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::u32string ua = decode_utf8(a[i]), ub = decode_utf8(b[i]);
      REQUIRE(damerau_levenshtein_distance(a[i], b[i]) == ref::damerau(ua, ub));
      REQUIRE(damerau_levenshtein_distance(b[i], a[i]) == ref::damerau(ub, ua));
    }
  }

  TEST_CASE("similarity.agreement: code point entry over 8-bit, UTF-32 and mixed spans") {
    // Bindings hand the kernels Latin-1 bytes or UTF-32 directly: every element type must give
    // exactly what the UTF-8 entry gives.
    const auto a = ref::random_strings(21, U"abcdéëü ÿ", 200, 12);
    const auto b = ref::random_strings(22, U"abcdéëü ÿ", 200, 12);
    for (const Scorer sc : {Scorer::jaro, Scorer::jaro_winkler, Scorer::jaro_winkler_long, Scorer::levenshtein,
                            Scorer::levenshtein_normalized, Scorer::damerau_levenshtein, Scorer::osa,
                            Scorer::hamming, Scorer::jaccard, Scorer::qgram_jaccard, Scorer::token_set}) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::u32string ua = decode_utf8(a[i]), ub = decode_utf8(b[i]);
        const std::vector<unsigned char> la(ua.begin(), ua.end()), lb(ub.begin(), ub.end());  // Latin-1
        const linkage::detail::Span<unsigned char> xa{la.data(), la.size()}, xb{lb.data(), lb.size()};
        const linkage::detail::Wide wa{ua.data(), ua.size()}, wb{ub.data(), ub.size()};
        const double expected = score(sc, a[i], b[i]);
        REQUIRE(linkage::detail::score_code_points(sc, xa, xb) == expected);
        REQUIRE(linkage::detail::score_code_points(sc, wa, wb) == expected);
        REQUIRE(linkage::detail::score_code_points(sc, xa, wb) == expected);
        REQUIRE(linkage::detail::score_code_points(sc, wa, xb) == expected);
      }
    }
  }

  TEST_CASE("similarity.agreement: free function, cached scorer and batch") {
    const auto a = ref::random_strings(7, kWide, 120, 12);
    const auto b = ref::random_strings(8, kWide, 90, 12);
    for (const Scorer sc : {Scorer::jaro, Scorer::jaro_winkler, Scorer::jaro_winkler_long, Scorer::levenshtein,
                            Scorer::levenshtein_normalized, Scorer::damerau_levenshtein, Scorer::osa,
                            Scorer::hamming, Scorer::jaccard, Scorer::qgram_jaccard, Scorer::token_set}) {
      const RowMatrixXd d1 = cdist(a, b, sc, 1);
      const RowMatrixXd d2 = cdist(a, b, sc, 2);
      REQUIRE(d1.rows() == 120);
      REQUIRE(d1.cols() == 90);
      CHECK(d1 == d2);
      for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < b.size(); ++j)
          REQUIRE(d1(to_index(i), to_index(j)) == score(sc, a[i], b[j]));
      const std::vector<std::string> b2(b.begin(), b.begin() + 90), a2(a.begin(), a.begin() + 90);
      const Eigen::VectorXd p = pairwise(a2, b2, sc, 2);
      for (std::size_t i = 0; i < a2.size(); ++i) REQUIRE(p(to_index(i)) == score(sc, a2[i], b2[i]));
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
      CHECK(CachedJaro(a[i]).similarity(b[i]) == jaro_similarity(a[i], b[i]));
      CHECK(CachedLevenshtein(a[i]).normalized_similarity(b[i]) == levenshtein_normalized_similarity(a[i], b[i]));
    }
  }

  TEST_CASE("similarity.batch: errors name the problem") {
    const std::vector<std::string> one{"a"}, two{"a", "b"}, none;
    CHECK_THROWS_WITH_AS(pairwise(one, two, Scorer::jaro), "pairwise: sequences differ in length (1 and 2)",
                         InvalidArgument);
    CHECK_THROWS_AS(scorer_from_name("nope"), InvalidArgument);
    CHECK(scorer_from_name("token_set") == Scorer::token_set);
    CHECK(cdist(none, one, Scorer::jaro).rows() == 0);
  }

  TEST_CASE("similarity.unicode: malformed UTF-8 decodes to U+FFFD and never throws") {
    CHECK(decode_utf8("a\xC3") == U"a\uFFFD");
    CHECK(decode_utf8("\xE0\x80\x80") == U"\uFFFD\uFFFD\uFFFD");  // overlong
    CHECK(decode_utf8("\xED\xA0\x80") == U"\uFFFD\uFFFD\uFFFD");  // surrogate
    CHECK(encode_utf8(decode_utf8("Zoë 😀")) == "Zoë 😀");
    CHECK(levenshtein_distance("\xFF\xFE", "ab") == 2);
    CHECK(to_upper(U"straße") == U"STRASSE");
    CHECK(is_combining(0x301));
    CHECK_FALSE(is_combining('a'));
  }
}
