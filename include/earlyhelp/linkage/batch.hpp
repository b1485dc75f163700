// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Many comparisons at once: `cdist` (every query against every choice, each query prepared
/// once as a cached scorer) and `pairwise` (aligned pairs), in parallel through
/// core/parallel.hpp. Results are identical for every thread count.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// std::vector<std::string> q{"William", "Margaret"}, c{"Williams", "Margret", "Bill"};
/// earlyhelp::RowMatrixXd s = cdist(q, c, Scorer::jaro_winkler);   // 2 x 3
/// Eigen::VectorXd p = pairwise(q, {"Willaim", "Peggy"}, Scorer::levenshtein);  // {2, 7}
/// ```

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/linkage/similarity.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

/// The metrics available to the batch functions. Distances are returned as their count
/// (a double); similarities in [0, 1].
enum class Scorer : std::int8_t {
  jaro,                     ///< jaro_similarity
  jaro_winkler,             ///< jaro_winkler_similarity (prefix weight 0.1)
  jaro_winkler_long,        ///< jaro_winkler_similarity with long_tolerance
  levenshtein,              ///< levenshtein_distance
  levenshtein_normalized,   ///< levenshtein_normalized_similarity
  damerau_levenshtein,      ///< damerau_levenshtein_distance (unrestricted)
  osa,                      ///< osa_distance
  hamming,                  ///< hamming_distance
  jaccard,                  ///< jaccard_similarity over words
  qgram_jaccard,            ///< qgram_jaccard_similarity with q = 2
  token_set,                ///< token_set_similarity
};

/// The scorer with this name ("jaro_winkler", "levenshtein", ... as the enumerators).
/// @throws InvalidArgument for an unknown name, listing the known ones.
inline Scorer scorer_from_name(std::string_view name) {
  struct Entry {
    std::string_view name;
    Scorer scorer;
  };
  static constexpr Entry table[] = {
      {"jaro", Scorer::jaro},
      {"jaro_winkler", Scorer::jaro_winkler},
      {"jaro_winkler_long", Scorer::jaro_winkler_long},
      {"levenshtein", Scorer::levenshtein},
      {"levenshtein_normalized", Scorer::levenshtein_normalized},
      {"damerau_levenshtein", Scorer::damerau_levenshtein},
      {"osa", Scorer::osa},
      {"hamming", Scorer::hamming},
      {"jaccard", Scorer::jaccard},
      {"qgram_jaccard", Scorer::qgram_jaccard},
      {"token_set", Scorer::token_set},
  };
  for (const Entry& e : table)
    if (e.name == name) return e.scorer;
  std::string known;
  for (const Entry& e : table) known += (known.empty() ? "" : ", ") + std::string(e.name);
  earlyhelp::detail::throw_error<InvalidArgument>("scorer_from_name: unknown scorer '{}' (known: {})", name, known);
}

namespace detail {
/// One comparison with the given scorer on code points already decoded (what score() runs after
/// decoding UTF-8, and what bindings call on their own strings' code points).
template <class C1, class C2>
double score_code_points(Scorer scorer, Span<C1> a, Span<C2> b) {
  switch (scorer) {
    case Scorer::jaro: return jaro(a, b);
    case Scorer::jaro_winkler: return jaro_winkler(a, b, 0.1, false);
    case Scorer::jaro_winkler_long: return jaro_winkler(a, b, 0.1, true);
    case Scorer::levenshtein: return static_cast<double>(levenshtein(a, b));
    case Scorer::levenshtein_normalized: return levenshtein_normalized_similarity_cp(a, b);
    case Scorer::damerau_levenshtein: return static_cast<double>(damerau_levenshtein(a, b));
    case Scorer::osa: return static_cast<double>(osa(a, b));
    case Scorer::hamming: return static_cast<double>(hamming(a, b));
    case Scorer::jaccard: return jaccard_cp(a, b, 0);
    case Scorer::qgram_jaccard: return qgram_jaccard_cp(a, b, 2);
    case Scorer::token_set: return token_set_cp(a, b);
  }
  return 0.0;
}
}  // namespace detail

/// One comparison with the given scorer.
inline double score(Scorer scorer, std::string_view a, std::string_view b) {
  return detail::with_code_points(a, b, [&](auto x, auto y) { return detail::score_code_points(scorer, x, y); });
}

/// A query prepared for many comparisons with one scorer: the bit-parallel cached scorers for
/// the Jaro and Levenshtein families, the plain function for the others.
class CachedScorer {
 public:
  CachedScorer(Scorer scorer, std::string_view query) : scorer_(scorer), query_(query) {
    switch (scorer) {
      case Scorer::jaro: jw_ = std::make_unique<CachedJaroWinkler>(query, 0.0, false); break;
      case Scorer::jaro_winkler: jw_ = std::make_unique<CachedJaroWinkler>(query, 0.1, false); break;
      case Scorer::jaro_winkler_long: jw_ = std::make_unique<CachedJaroWinkler>(query, 0.1, true); break;
      case Scorer::levenshtein:
      case Scorer::levenshtein_normalized: lev_ = std::make_unique<CachedLevenshtein>(query); break;
      default: break;
    }
  }
  /// Same as score(scorer, query, choice).
  double score(std::string_view choice) const {
    if (jw_) return jw_->similarity(choice);
    if (lev_) {
      if (scorer_ == Scorer::levenshtein) return static_cast<double>(lev_->distance(choice));
      return lev_->normalized_similarity(choice);
    }
    return linkage::score(scorer_, query_, choice);
  }

 private:
  Scorer scorer_;
  std::string query_;
  std::unique_ptr<CachedJaroWinkler> jw_;
  std::unique_ptr<CachedLevenshtein> lev_;
};

/// Scores every query against every choice. The views must stay valid during the call.
/// @param n_threads threads to use; <= 0 means all cores
/// @return a queries.size() x choices.size() matrix
/// Complexity: one cached scorer per query, then |queries| x |choices| comparisons.
inline RowMatrixXd cdist(const std::vector<std::string_view>& queries, const std::vector<std::string_view>& choices,
                         Scorer scorer, int n_threads = 0) {
  RowMatrixXd out(to_index(queries.size()), to_index(choices.size()));
  parallel_for(queries.size(), n_threads, [&](std::size_t i) {
    const CachedScorer cached(scorer, queries[i]);
    for (std::size_t j = 0; j < choices.size(); ++j) out(to_index(i), to_index(j)) = cached.score(choices[j]);
  });
  return out;
}

/// Scores aligned pairs (a[i], b[i]). The views must stay valid during the call.
/// @throws InvalidArgument when the sequences differ in length.
inline Eigen::VectorXd pairwise(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                                Scorer scorer, int n_threads = 0) {
  EH_CHECK(a.size() == b.size(), "pairwise: sequences differ in length ({} and {})", a.size(), b.size());
  Eigen::VectorXd out(to_index(a.size()));
  parallel_for_chunks(a.size(), n_threads, 4096, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out(to_index(i)) = score(scorer, a[i], b[i]);
  });
  return out;
}

namespace detail {
inline std::vector<std::string_view> views_of(const std::vector<std::string>& v) {
  return std::vector<std::string_view>(v.begin(), v.end());
}
}  // namespace detail

/// cdist over owned strings.
inline RowMatrixXd cdist(const std::vector<std::string>& queries, const std::vector<std::string>& choices,
                         Scorer scorer, int n_threads = 0) {
  return cdist(detail::views_of(queries), detail::views_of(choices), scorer, n_threads);
}

/// pairwise over owned strings.
inline Eigen::VectorXd pairwise(const std::vector<std::string>& a, const std::vector<std::string>& b,
                                Scorer scorer, int n_threads = 0) {
  return pairwise(detail::views_of(a), detail::views_of(b), scorer, n_threads);
}

}  // namespace earlyhelp::linkage
