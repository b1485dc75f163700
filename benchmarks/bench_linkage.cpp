// SPDX-License-Identifier: Apache-2.0
// Per-comparison time of the linkage string kernels on name-length strings, uncached (free
// function) and cached (one string prepared, compared with many). Reads the pairs from a file
// of lines "a<TAB>b" (UTF-8), so benchmarks/bench_linkage.py can time jellyfish on the very same
// pairs in the same run; prints one line per measurement:
//   <metric> <mode> <ns per comparison> <checksum>
// Usage: bench_linkage PAIRS_FILE [repeats]

#include "earlyhelp/linkage/similarity.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#ifndef EH_BENCH_CXX_FLAGS
#define EH_BENCH_CXX_FLAGS "unknown"
#endif
#ifndef EH_BENCH_COMPILER
#define EH_BENCH_COMPILER "unknown"
#endif

namespace lk = earlyhelp::linkage;
using Clock = std::chrono::steady_clock;

namespace {

// Best of `rounds` timings of fn() over all pairs, in ns per comparison. The checksum keeps
// the optimiser from removing the work.
template <class Fn>
std::pair<double, double> best_ns(std::size_t n_pairs, int rounds, Fn&& fn) {
  double best = 1e300, checksum = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    checksum = fn();
    const auto t1 = Clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(n_pairs));
  }
  return {best, checksum};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_linkage PAIRS_FILE [rounds]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "bench_linkage: cannot open the pairs file\n");
    return 1;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  std::vector<std::string> a, b;
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    a.push_back(line.substr(0, tab));
    b.push_back(line.substr(tab + 1));
  }
  const std::size_t n = a.size();
  if (n == 0) {
    std::fprintf(stderr, "bench_linkage: no pairs read\n");
    return 1;
  }
  std::printf("compiler %s\nflags %s\npairs %zu\n", EH_BENCH_COMPILER, EH_BENCH_CXX_FLAGS, n);

  auto report = [&](const char* metric, const char* mode, std::pair<double, double> r) {
    std::printf("%s %s %.2f %.6g\n", metric, mode, r.first, r.second);
  };
  report("jaro_winkler", "uncached", best_ns(n, rounds, [&] {
           double s = 0;
           for (std::size_t i = 0; i < n; ++i) s += lk::jaro_winkler_similarity(a[i], b[i]);
           return s;
         }));
  // Cached: in each block of 100 strings (as blocking produces), every 10th string of `a` is
  // prepared once and compared with all 100 strings of `b`; preparation time is included.
  const std::size_t block = std::min<std::size_t>(100, n);
  std::size_t cached_comparisons = 0;
  for (std::size_t k = 0; k + block <= n; k += block)
    for (std::size_t i = k; i < k + block; i += 10) cached_comparisons += block;
  report("jaro_winkler", "cached", best_ns(cached_comparisons, rounds, [&] {
           double s = 0;
           for (std::size_t k = 0; k + block <= n; k += block) {
             for (std::size_t i = k; i < k + block; i += 10) {
               const lk::CachedJaroWinkler q(a[i]);
               for (std::size_t j = k; j < k + block; ++j) s += q.similarity(b[j]);
             }
           }
           return s;
         }));
  report("levenshtein", "uncached", best_ns(n, rounds, [&] {
           double s = 0;
           for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(lk::levenshtein_distance(a[i], b[i]));
           return s;
         }));
  report("levenshtein", "cached", best_ns(cached_comparisons, rounds, [&] {
           double s = 0;
           for (std::size_t k = 0; k + block <= n; k += block) {
             for (std::size_t i = k; i < k + block; i += 10) {
               const lk::CachedLevenshtein q(a[i]);
               for (std::size_t j = k; j < k + block; ++j) s += static_cast<double>(q.distance(b[j]));
             }
           }
           return s;
         }));
  report("damerau_levenshtein", "uncached", best_ns(n, rounds, [&] {
           double s = 0;
           for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(lk::damerau_levenshtein_distance(a[i], b[i]));
           return s;
         }));
  report("osa", "uncached", best_ns(n, rounds, [&] {
           double s = 0;
           for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(lk::osa_distance(a[i], b[i]));
           return s;
         }));
  return 0;
}
