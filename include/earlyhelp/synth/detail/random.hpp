// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The synthetic council's random numbers: an explicitly specified generator and our own
/// distributions, so a seed gives the same bytes with any C++ standard library (std::
/// distributions are implementation-defined) and any thread count. The normal, Poisson and
/// geometric helpers call std::log/exp/cos/sqrt; sqrt is exact everywhere and glibc's log, exp and
/// cos are correctly rounded in practice, but a platform with a different libm could differ in
/// rare last bits, so byte identity is promised for one platform (tests check it across threads).
///
/// Generator: xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
/// generators", ACM TOMS 2021), seeded through splitmix64 (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014). Independent streams are derived by hashing
/// (seed, purpose, index) with splitmix64, e.g. one stream per household, so work can be split
/// across threads in any way without changing a single value.

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace earlyhelp::synth::detail {

/// One step of splitmix64: advances `state` and returns the next output.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Mixes a seed and up to two indices into one 64-bit key (for deriving independent streams).
constexpr std::uint64_t mix_key(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) noexcept {
  std::uint64_t s = seed;
  std::uint64_t h = splitmix64(s);
  s = h ^ (a * 0xD1B54A32D192ED03ULL);
  h = splitmix64(s);
  s = h ^ (b * 0x8CB92BA72F3D8DD7ULL);
  return splitmix64(s);
}

/// xoshiro256** with the distributions the generator needs. Not thread-safe; one per stream.
class Rng {
 public:
  /// Seeds the four state words from splitmix64(key).
  explicit constexpr Rng(std::uint64_t key) noexcept {
    std::uint64_t s = key;
    for (auto& w : s_) w = splitmix64(s);
  }
  /// A stream for (seed, purpose, index): distinct purposes/indices give independent streams.
  static constexpr Rng stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index = 0) noexcept {
    return Rng(mix_key(seed, purpose, index));
  }

  /// Next raw 64-bit output.
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform double in [lo, hi).
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n) (n >= 1) by Lemire's multiply-shift (bias < 2^-32 for n < 2^32).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  /// Uniform integer in [lo, hi] (lo <= hi).
  int between(int lo, int hi) noexcept {
    return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1)));
  }
  /// True with probability p.
  bool bernoulli(double p) noexcept { return uniform() < p; }
  /// Standard normal by Box-Muller (one value per call; the second is discarded for simplicity).
  double normal() noexcept {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Normal with mean mu and standard deviation sd.
  double normal(double mu, double sd) noexcept { return mu + sd * normal(); }
  /// Poisson(lambda) by inversion (Knuth); intended for lambda < 30.
  int poisson(double lambda) noexcept {
    if (lambda <= 0.0) return 0;
    const double limit = std::exp(-lambda);
    double p = uniform();
    int k = 0;
    while (p > limit && k < 1000) {
      p *= uniform();
      ++k;
    }
    return k;
  }
  /// Geometric number of failures before a success with probability p (p in (0, 1]).
  int geometric(double p) noexcept {
    if (p >= 1.0) return 0;
    return static_cast<int>(std::floor(std::log(1.0 - uniform()) / std::log(1.0 - p)));
  }
  /// Index drawn from unnormalised non-negative weights w[0..n).
  std::size_t categorical(const double* w, std::size_t n) noexcept {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) total += w[i];
    double u = uniform() * total;
    for (std::size_t i = 0; i < n; ++i) {
      if (u < w[i]) return i;
      u -= w[i];
    }
    return n - 1;
  }
  template <std::size_t N>
  std::size_t categorical(const double (&w)[N]) noexcept {
    return categorical(w, N);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
};

}  // namespace earlyhelp::synth::detail
