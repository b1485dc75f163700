// SPDX-License-Identifier: Apache-2.0
// Stochastic month-by-month projection of the care population (forecast/projection.hpp).

#include "earlyhelp/forecast/projection.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace earlyhelp::forecast {
namespace {

using Row = std::array<double, n_states>;

std::uint64_t splitmix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Scales the moves of a row by mult[to]; staying takes what is left (moves are renormalised if
// they would exceed one).
void adjust(Row& p, int from, const Row& mult) {
  double moves = 0;
  for (int t = 0; t < n_states; ++t)
    if (t != from) moves += (p[static_cast<std::size_t>(t)] *= mult[static_cast<std::size_t>(t)]);
  if (moves > 1) {
    for (int t = 0; t < n_states; ++t)
      if (t != from) p[static_cast<std::size_t>(t)] /= moves;
    moves = 1;
  }
  p[static_cast<std::size_t>(from)] = 1 - moves;
}

double lac_share(const Row& p) {
  double s = 0;
  for (int t = state_lac0; t < n_states; ++t) s += p[static_cast<std::size_t>(t)];
  return s;
}

double uniform(std::mt19937_64& rng) noexcept { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// A binomial draw. Small means (most cells of a county hold a handful of children) use inversion
// of the distribution function (Kachitvichyanukul & Schmeiser's BINV, 1988): one uniform and on
// average n*p + 1 multiplications, where the standard library's waiting-time method takes a
// logarithm per success; larger means use std::binomial_distribution.
long long binomial(std::mt19937_64& rng, long long n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n == 1) return uniform(rng) < p ? 1 : 0;
  if (p > 0.5) return n - binomial(rng, n, 1.0 - p);
  const double mean = static_cast<double>(n) * p;
  if (mean >= 10) return std::binomial_distribution<long long>(n, p)(rng);
  const double q = 1.0 - p, ratio = p / q, a = static_cast<double>(n + 1) * ratio;
  auto n_bits = static_cast<unsigned long long>(n);
  double r = 1.0;  // P(X = 0) = q^n, by squaring
  for (double base = q; ; base *= base) {
    if (n_bits & 1) r *= base;
    if ((n_bits >>= 1) == 0) break;
  }
  double u = uniform(rng);
  long long x = 0;
  while (u > r) {
    u -= r;
    ++x;
    if (x > n) return n;  // rounding left a sliver of probability past n
    r *= a / static_cast<double>(x) - ratio;
  }
  return x;
}

// Draws a multinomial split of n over the destinations of p into out (added). The destination
// `rest` (the row's own state, usually by far the likeliest) takes what the others leave, which
// saves its draw; a single child is one categorical draw.
void multinomial(std::mt19937_64& rng, long long n, const Row& p, int rest_at, Row& out) {
  if (n <= 0) return;
  if (n == 1) {
    double u = uniform(rng);
    for (int t = 0; t < n_states; ++t) {
      if (t == rest_at) continue;
      u -= p[static_cast<std::size_t>(t)];
      if (u < 0) {
        out[static_cast<std::size_t>(t)] += 1;
        return;
      }
    }
    out[static_cast<std::size_t>(rest_at)] += 1;
    return;
  }
  double rest = 1.0;
  for (int t = 0; t < n_states && n > 0; ++t) {
    if (t == rest_at) continue;
    const double q = p[static_cast<std::size_t>(t)];
    if (q <= 0) continue;
    const long long k = rest <= q ? n : binomial(rng, n, q / rest);
    out[static_cast<std::size_t>(t)] += static_cast<double>(k);
    n -= k;
    rest -= q;
  }
  out[static_cast<std::size_t>(rest_at)] += static_cast<double>(n);
}

// Looked-after children of one simulation by (age, sex, placement) cell and months in care, with
// a bit per occupied month: a county's children sit in few of the cells and months, and empty
// ones then cost nothing.
static_assert(n_care_months <= 32, "one bit per month in care");
struct CareCounts {
  CareDurations n;
  std::vector<std::uint32_t> occupied;

  explicit CareCounts(const CareDurations& from) : n(from), occupied(from.size(), 0) {
    for (std::size_t c = 0; c < n.size(); ++c)
      for (int d = 0; d < n_care_months; ++d)
        if (n[c][static_cast<std::size_t>(d)] > 0) occupied[c] |= 1u << d;
  }
  void add(std::size_t c, int d, double v) {
    n[c][static_cast<std::size_t>(d)] += v;
    occupied[c] |= 1u << d;
  }
  void clear() {
    for (std::size_t c = 0; c < n.size(); ++c)
      if (occupied[c] != 0) n[c].fill(0.0), occupied[c] = 0;
  }
  // Calls f(d, count) for each occupied month of cell c (the count may have fallen to 0).
  template <class F>
  void each(std::size_t c, F&& f) const {
    for (std::uint32_t m = occupied[c]; m != 0; m &= m - 1) {
      const int d = __builtin_ctz(m);
      f(d, n[c][static_cast<std::size_t>(d)]);
    }
  }
  double total(std::size_t c) const {
    double t = 0;
    each(c, [&](int, double v) { t += v; });
    return t;
  }
};

long long count_of(double v) noexcept { return static_cast<long long>(v + 0.5); }

}  // namespace

std::string output_name(int o) {
  if (o == 0) return "cin";
  if (o == 1) return "cpp";
  if (o == 2) return "lac";
  return state_name(state_lac0 + o - 3);
}

CareDurations care_durations_at(const History& history, int month) {
  CareDurations d(static_cast<std::size_t>(n_ages * n_sexes * n_placements), std::array<double, n_care_months>{});
  const ChildStates cs = child_states(history, month, month);
  for (std::size_t c = 0; c < cs.states.size(); ++c) {
    const int st = cs.states[c][0];
    const int age = age_years(cs.dob[c], month_end(month));
    if (!is_lac(st) || age < 0 || age >= n_ages) continue;
    const int months = std::clamp(cs.lac_months[c][0], 0, n_care_months - 1);
    d[care_cell(age, cs.sex[c], st - state_lac0)][static_cast<std::size_t>(months)] += 1;
  }
  return d;
}

Stock stock_at(const History& history, int month) {
  Stock s{};
  const ChildStates cs = child_states(history, month, month);
  for (std::size_t c = 0; c < cs.states.size(); ++c) {
    const int st = cs.states[c][0];
    const int age = age_years(cs.dob[c], month_end(month));
    if (st == state_not_known || age < 0 || age >= n_ages) continue;
    s[static_cast<std::size_t>(age)][static_cast<std::size_t>(cs.sex[c])][static_cast<std::size_t>(st)] += 1;
  }
  return s;
}

Projection project(const TransitionModel& model, const PopulationSeries& population, const Stock& stock, int start_month,
                   const Scenario& scenario, const UnitCosts& costs, const ProjectionOptions& options, const CareDurations* durations) {
  EH_CHECK(options.months >= 1 && options.months <= 12 * 50, "forecast: horizon of {} months (expected 1 to 600)", options.months);
  EH_CHECK(options.simulations >= 1 && options.simulations <= 100000, "forecast: {} simulations (expected 1 to 100,000)", options.simulations);
  if (scenario.kind == ScenarioKind::target)
    EH_CHECK(!population.is_notional(), "forecast: scenario '{}' needs a child population (a projection CSV or a person register)", scenario.name);
  Projection out;
  out.start_month = start_month;
  const auto n_sims = static_cast<std::size_t>(options.simulations);
  const auto n_months = static_cast<std::size_t>(options.months);
  out.counts.assign(n_sims, std::vector<std::array<float, n_outputs>>(n_months));
  out.costs.assign(n_sims, std::vector<std::array<float, n_outputs>>(n_months));
  if (scenario.kind == ScenarioKind::intervention) {
    out.programme_families_per_month = scenario.flagged_per_year / 12.0;
    out.programme_cost_per_month = scenario.flagged_per_year * scenario.cost_per_flagged / 12.0;
  }
  // The fitted rates are an average over the window: the trend is measured from its middle.
  const double window_half_years = (model.last_month - model.first_month) / 24.0;
  double lac0 = 0;
  for (const auto& a : stock)
    for (const auto& s : a)
      for (int t = state_lac0; t < n_states; ++t) lac0 += s[static_cast<std::size_t>(t)];
  const double children0 = population.total_at_month(start_month);
  const double rate0 = children0 > 0 ? 1e4 * lac0 / children0 : 0.0;
  const std::size_t n_cells = model.alpha.size();
  // Looked-after children by months in care: given, or all taken as two years or more.
  const std::size_t n_care_cells = static_cast<std::size_t>(n_ages * n_sexes * n_placements);
  CareDurations care0(n_care_cells, std::array<double, n_care_months>{});
  if (durations != nullptr) {
    EH_CHECK(durations->size() == n_care_cells, "forecast: {} cells of durations in care (expected {})", durations->size(), n_care_cells);
    care0 = *durations;
  } else {
    for (int a = 0; a < n_ages; ++a)
      for (int s = 0; s < n_sexes; ++s)
        for (int pl = 0; pl < n_placements; ++pl)
          care0[care_cell(a, s, pl)][n_care_months - 1] =
              stock[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)][static_cast<std::size_t>(state_lac0 + pl)];
  }

  parallel_for(n_sims, options.n_threads, [&](std::size_t sim) {
    std::mt19937_64 rng(splitmix(options.seed * 0x9E3779B97F4A7C15ULL + sim + 1));
    // This simulation's rates: a draw from each cell's Dirichlet posterior.
    std::vector<Row> P(n_cells);
    for (std::size_t c = 0; c < n_cells; ++c) {
      double total = 0;
      for (int t = 0; t < n_states; ++t) {
        const double a = model.alpha[c][static_cast<std::size_t>(t)];
        const double g = a > 0 ? std::gamma_distribution<double>(a, 1.0)(rng) : 0.0;
        P[c][static_cast<std::size_t>(t)] = g;
        total += g;
      }
      const int from = static_cast<int>(c % static_cast<std::size_t>(n_states));
      if (total > 0)
        for (auto& v : P[c]) v /= total;
      else
        P[c][static_cast<std::size_t>(from)] = 1.0;
    }
    Stock cur = stock;
    CareCounts care(care0), care_next(care0);
    care_next.clear();
    // Looked-after totals of each (age, sex, placement) from the durations.
    auto lac_totals = [&](Stock& st, const CareCounts& cd) {
      for (int a = 0; a < n_ages; ++a)
        for (int s = 0; s < n_sexes; ++s)
          for (int pl = 0; pl < n_placements; ++pl)
            st[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)][static_cast<std::size_t>(state_lac0 + pl)] = cd.total(care_cell(a, s, pl));
    };
    lac_totals(cur, care);
    for (std::size_t k = 0; k < n_months; ++k) {
      const int month = start_month + 1 + static_cast<int>(k);
      const double years_on = (static_cast<double>(k) + 1) / 12.0;
      const AgeSexCounts pop = population.at_month(month - 1);
      // Scenario multipliers on entries (from not_known), escalations into care, and leaving care.
      Row entry_mult, into_lac_mult, leave_mult;
      entry_mult.fill(1.0), into_lac_mult.fill(1.0), leave_mult.fill(1.0);
      if (scenario.kind == ScenarioKind::trend) {
        for (int t = 1; t < n_states; ++t) {
          const int g = t == state_cin ? 0 : t == state_cpp ? 1 : 2;
          const double slope = std::clamp(model.trend_per_year[static_cast<std::size_t>(g)], -0.15, 0.15);
          entry_mult[static_cast<std::size_t>(t)] = std::clamp(std::exp(slope * (years_on + window_half_years)), 0.5, 2.0);
        }
      }
      double lac_factor = 1.0, leave_factor = 1.0;
      if (scenario.kind == ScenarioKind::intervention) lac_factor = 1.0 - scenario.prevent * scenario.recall;
      if (scenario.kind == ScenarioKind::target) {
        // Expected looked-after children next month with this month's rates, against the line.
        const double share = std::min(1.0, years_on / scenario.target_years);
        const double target = (rate0 + (scenario.target_per_10k - rate0) * share) * population.total_at_month(month) / 1e4;
        double stay = 0, in = 0, lac_n = 0, leave = 0, max_leave = 0;
        for (int a = 0; a < n_ages; ++a)
          for (int s = 0; s < n_sexes; ++s) {
            double in_care = 0;
            for (int f = 1; f < n_states; ++f) {
              const double n = cur[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)][static_cast<std::size_t>(f)];
              in_care += n;
              if (n <= 0) continue;
              const Row& p = P[TransitionModel::cell(age_band(a), s, f)];
              if (is_lac(f)) {
                const double q = 1.0 - lac_share(p);
                stay += n * (1 - q), lac_n += n, leave += n * q, max_leave = std::max(max_leave, q);
              } else {
                in += n * lac_share(p);
              }
            }
            const double nk = std::max(0.0, pop[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)] - in_care);
            in += nk * lac_share(P[TransitionModel::cell(age_band(a), s, state_not_known)]);
          }
        if (in > 0 && target >= stay) {
          lac_factor = std::min(5.0, (target - stay) / in);
        } else {
          lac_factor = 0.0;
          if (leave > 0 && max_leave > 0) leave_factor = std::clamp((lac_n - target) / leave, 1.0, 1.0 / max_leave);
        }
      }
      for (int t = state_lac0; t < n_states; ++t) {
        entry_mult[static_cast<std::size_t>(t)] *= lac_factor;
        into_lac_mult[static_cast<std::size_t>(t)] = lac_factor;
      }
      for (int t = 0; t < state_lac0; ++t) leave_mult[static_cast<std::size_t>(t)] = leave_factor;

      Stock next{};
      care_next.clear();
      // Moves of `moved` (children leaving state `from` of age a, sex s; `months` in care before,
      // or -1) into next month's stock: looked-after destinations by months in care.
      auto place = [&](int a, int s, const Row& moved, int months) {
        const auto ai = static_cast<std::size_t>(a), si = static_cast<std::size_t>(s);
        for (int t = 1; t < n_states; ++t) {
          const double v = moved[static_cast<std::size_t>(t)];
          if (v <= 0) continue;
          if (is_lac(t))
            care_next.add(care_cell(a, s, t - state_lac0), months < 0 ? 0 : std::min(months + 1, n_care_months - 1), v);
          else
            next[ai][si][static_cast<std::size_t>(t)] += v;
        }
      };
      std::array<std::array<long long, n_sexes>, n_ages> not_known{};
      for (int a = 0; a < n_ages; ++a)
        for (int s = 0; s < n_sexes; ++s) {
          const auto ai = static_cast<std::size_t>(a), si = static_cast<std::size_t>(s);
          double in_care = 0;
          for (int f = 1; f < n_states; ++f) in_care += cur[ai][si][static_cast<std::size_t>(f)];
          for (int f = state_cin; f < state_lac0; ++f) {
            const double n = cur[ai][si][static_cast<std::size_t>(f)];
            if (n <= 0) continue;
            Row p = P[TransitionModel::cell(age_band(a), s, f)];
            adjust(p, f, into_lac_mult);
            Row moved{};
            multinomial(rng, count_of(n), p, f, moved);
            place(a, s, moved, -1);
          }
          // Looked after: leaving depends on the months in care.
          for (int pl = 0; pl < n_placements; ++pl) {
            const int f = state_lac0 + pl;
            if (cur[ai][si][static_cast<std::size_t>(f)] <= 0) continue;
            const std::size_t cell = TransitionModel::cell(age_band(a), s, f);
            care.each(care_cell(a, s, pl), [&](int d, double n) {
              if (n <= 0) return;
              Row mult = leave_mult;
              const double h = model.leave_multiplier(cell, d);
              for (int t = 0; t < state_lac0; ++t) mult[static_cast<std::size_t>(t)] *= h;
              Row p = P[cell];
              adjust(p, f, mult);
              Row moved{};
              multinomial(rng, count_of(n), p, f, moved);
              place(a, s, moved, d);
            });
          }
          not_known[ai][si] = count_of(std::max(0.0, pop[ai][si] - in_care));
        }
      // Entries from the children not known. The rates are per age bracket, so the entries of a
      // bracket are drawn at once and shared among its ages in proportion to their children not
      // known (exact but for drawing the share with replacement: entries are a tiny fraction).
      for (int b = 0; b < n_age_bands; ++b)
        for (int s = 0; s < n_sexes; ++s) {
          const auto si = static_cast<std::size_t>(s);
          int a0 = n_ages, a1 = -1;
          long long n = 0;
          for (int a = 0; a < n_ages; ++a)
            if (age_band(a) == b) a0 = std::min(a0, a), a1 = std::max(a1, a), n += not_known[static_cast<std::size_t>(a)][si];
          if (n <= 0) continue;
          Row p = P[TransitionModel::cell(b, s, state_not_known)];
          adjust(p, state_not_known, entry_mult);
          Row moved{};
          multinomial(rng, n, p, state_not_known, moved);
          for (int t = 1; t < n_states; ++t) {
            long long entries = count_of(moved[static_cast<std::size_t>(t)]), left = n;
            for (int a = a0; a <= a1 && entries > 0; ++a) {
              const long long here = not_known[static_cast<std::size_t>(a)][si];
              const long long share = a == a1 ? entries : binomial(rng, entries, static_cast<double>(here) / static_cast<double>(left));
              left -= here, entries -= share;
              if (share == 0) continue;
              Row one{};
              one[static_cast<std::size_t>(t)] = static_cast<double>(share);
              place(a, s, one, -1);
            }
          }
        }
      // Birthdays: one in twelve of each age moves up a year; those reaching 18 exit.
      for (int a = n_ages - 1; a >= 0; --a)
        for (int s = 0; s < n_sexes; ++s) {
          for (int t = 1; t < state_lac0; ++t) {
            auto& n = next[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)][static_cast<std::size_t>(t)];
            const long long up = binomial(rng, count_of(n), 1.0 / 12.0);
            n -= static_cast<double>(up);
            if (a + 1 < n_ages) next[static_cast<std::size_t>(a + 1)][static_cast<std::size_t>(s)][static_cast<std::size_t>(t)] += static_cast<double>(up);
          }
          for (int pl = 0; pl < n_placements; ++pl) {
            const std::size_t c = care_cell(a, s, pl);
            for (std::uint32_t bits = care_next.occupied[c]; bits != 0; bits &= bits - 1) {
              const int d = __builtin_ctz(bits);
              double& n = care_next.n[c][static_cast<std::size_t>(d)];
              const long long up = binomial(rng, count_of(n), 1.0 / 12.0);
              if (up == 0) continue;
              n -= static_cast<double>(up);
              if (a + 1 < n_ages) care_next.add(care_cell(a + 1, s, pl), d, static_cast<double>(up));
            }
          }
        }
      lac_totals(next, care_next);
      cur = next;
      std::swap(care, care_next);
      // Record counts and costs.
      std::array<double, n_states> by_state{};
      for (const auto& aa : cur)
        for (const auto& ss : aa)
          for (int t = 1; t < n_states; ++t) by_state[static_cast<std::size_t>(t)] += ss[static_cast<std::size_t>(t)];
      const double weeks = month_days(month) / 7.0;
      auto& oc = out.counts[sim][k];
      auto& oo = out.costs[sim][k];
      double lac = 0, lac_cost = 0;
      for (int t = 1; t < n_states; ++t) {
        const double n = by_state[static_cast<std::size_t>(t)];
        const double cost = n * costs.weekly[static_cast<std::size_t>(t)] * weeks;
        const int o = t == state_cin ? 0 : t == state_cpp ? 1 : 3 + (t - state_lac0);
        oc[static_cast<std::size_t>(o)] = static_cast<float>(n);
        oo[static_cast<std::size_t>(o)] = static_cast<float>(cost);
        if (is_lac(t)) lac += n, lac_cost += cost;
      }
      oc[2] = static_cast<float>(lac);
      oo[2] = static_cast<float>(lac_cost);
    }
  });
  return out;
}

}  // namespace earlyhelp::forecast
