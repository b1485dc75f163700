// SPDX-License-Identifier: Apache-2.0
// Fitting monthly transition probabilities by age bracket and sex (forecast/transitions.hpp).

#include "earlyhelp/forecast/transitions.hpp"

#include "earlyhelp/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace earlyhelp::forecast {
namespace {

constexpr std::size_t n_cells = static_cast<std::size_t>(n_age_bands * n_sexes * n_states);

// Entry group of a destination: 0 cin, 1 cpp, 2 lac.
int group_of(int state) { return state == state_cin ? 0 : state == state_cpp ? 1 : 2; }

void wilson(double k, double n, double& lo, double& hi) {
  if (n <= 0) {
    lo = 0, hi = 1;
    return;
  }
  constexpr double z = 1.959963984540054;
  const double p = k / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  lo = std::max(0.0, centre - half), hi = std::min(1.0, centre + half);
}

// Proportional hazard of leaving care by band of months in care: leaving moves of cell c in
// band b ~ Poisson(exposure[c][b] * rate[c] * h[b]), fitted by alternating the two sets of
// maximum-likelihood equations (iterative proportional fitting), h shrunk towards 1 by `prior`
// child-months at the overall leaving rate.
void fit_leave_hazard(TransitionModel& m, const std::vector<std::array<double, n_care_bands>>& exposure,
                      const std::vector<double>& moves, double prior) {
  const std::size_t n = exposure.size();
  double all_moves = 0, all_exposure = 0;
  for (std::size_t c = 0; c < n; ++c) {
    all_moves += moves[c];
    for (int b = 0; b < n_care_bands; ++b) {
      all_exposure += exposure[c][static_cast<std::size_t>(b)];
      m.leave_exposure[static_cast<std::size_t>(b)] += exposure[c][static_cast<std::size_t>(b)];
    }
  }
  if (all_moves <= 0 || all_exposure <= 0) return;  // nothing to learn: ratios stay 1
  const double pseudo = prior * all_moves / all_exposure;  // prior leaving moves per band
  std::array<double, n_care_bands> h;
  h.fill(1.0);
  std::vector<double> rate(n, 0.0);
  for (int iter = 0; iter < 50; ++iter) {
    for (std::size_t c = 0; c < n; ++c) {
      double e = 0;
      for (int b = 0; b < n_care_bands; ++b) e += exposure[c][static_cast<std::size_t>(b)] * h[static_cast<std::size_t>(b)];
      rate[c] = e > 0 ? moves[c] / e : 0.0;
    }
    double change = 0;
    for (int b = 0; b < n_care_bands; ++b) {
      double expected = 0;
      for (std::size_t c = 0; c < n; ++c) expected += exposure[c][static_cast<std::size_t>(b)] * rate[c];
      const double v = (m.leave_moves[static_cast<std::size_t>(b)] + pseudo) / (expected + pseudo);
      change = std::max(change, std::abs(v - h[static_cast<std::size_t>(b)]));
      h[static_cast<std::size_t>(b)] = v;
    }
    // Scale: mean 1 over the window's looked-after child-months (the ratio is relative).
    double mean_h = 0;
    for (int b = 0; b < n_care_bands; ++b) mean_h += m.leave_exposure[static_cast<std::size_t>(b)] * h[static_cast<std::size_t>(b)];
    mean_h /= all_exposure;
    for (auto& v : h) v /= mean_h;
    if (change < 1e-9) break;
  }
  m.leave_hazard = h;
  m.leave_mean_hazard.assign(n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    double e = 0, eh = 0;
    for (int b = 0; b < n_care_bands; ++b) {
      e += exposure[c][static_cast<std::size_t>(b)];
      eh += exposure[c][static_cast<std::size_t>(b)] * h[static_cast<std::size_t>(b)];
    }
    // A cell never looked after in the window: its rate is the prior's, for the window's mix.
    m.leave_mean_hazard[c] = e > 0 ? eh / e : 1.0;
  }
}

}  // namespace

double TransitionModel::probability(int band, int sex, int from, int to) const {
  const auto& a = alpha[cell(band, sex, from)];
  double total = 0;
  for (double v : a) total += v;
  return total > 0 ? a[static_cast<std::size_t>(to)] / total : (from == to ? 1.0 : 0.0);
}

std::vector<TransitionRow> TransitionModel::table() const {
  std::vector<TransitionRow> out;
  for (int b = 0; b < n_age_bands; ++b)
    for (int s = 0; s < n_sexes; ++s)
      for (int f = 0; f < n_states; ++f) {
        const std::size_t c = cell(b, s, f);
        for (int t = 0; t < n_states; ++t) {
          if (t == f) continue;
          const double k = counts[c][static_cast<std::size_t>(t)];
          const double p = probability(b, s, f, t);
          if (k <= 0 && p < 1e-12) continue;
          TransitionRow r;
          r.band = b, r.sex = s, r.from = f, r.to = t;
          r.count = k, r.exposure = exposure[c];
          r.rate = exposure[c] > 0 ? k / exposure[c] : 0.0;
          wilson(k, exposure[c], r.low, r.high);
          r.probability = p;
          out.push_back(r);
        }
      }
  return out;
}

TransitionModel fit_transitions(const History& full, const PopulationSeries& population, Date as_of, const FitOptions& options) {
  const History history = history_as_of(full, as_of);
  const int last = month_number(as_of) - 1;  // the last month end strictly before as_of
  const int data_first = month_number(history.data_start);
  const int first = std::max(last - options.fit_months, data_first);
  EH_CHECK(last - first >= options.min_months,
           "forecast: {} month ends of history before the as-of date {} (data from {}); at least {} are needed", std::max(0, last - first),
           format_date(as_of), format_date(history.data_start), options.min_months);
  TransitionModel m;
  m.first_month = first, m.last_month = last;
  m.counts.assign(n_cells, std::array<double, n_states>{});
  m.exposure.assign(n_cells, 0.0);
  const int n = last - first + 1;
  // Care-state children by month, age bracket and sex: subtracted from the population to get the
  // children not known.
  std::vector<std::array<std::array<double, n_sexes>, n_age_bands>> in_care(static_cast<std::size_t>(n));
  const int n_blocks = (last - first) / 12;
  std::vector<std::array<double, 3>> block_entries(static_cast<std::size_t>(n_blocks), std::array<double, 3>{});
  std::vector<double> block_exposure(static_cast<std::size_t>(n_blocks), 0.0);
  auto block_of = [&](int mm) { return n_blocks - 1 - (last - mm) / 12; };  // blocks end at `last`

  // Leaving care by band of months in care: child-months and leaving moves per looked-after cell and band.
  std::vector<std::array<double, n_care_bands>> leave_exposure(n_cells, std::array<double, n_care_bands>{});
  std::vector<double> leave_moves(n_cells, 0.0);

  const ChildStates cs = child_states(history, first, last);
  for (std::size_t c = 0; c < cs.states.size(); ++c) {
    const auto& st = cs.states[c];
    const int sex = cs.sex[c];
    for (int k = 0; k < n; ++k) {
      const int mm = first + k;
      const int age = age_years(cs.dob[c], month_end(mm));
      if (age < 0 || age >= n_ages) continue;
      const int s = st[static_cast<std::size_t>(k)];
      if (s != state_not_known) in_care[static_cast<std::size_t>(k)][static_cast<std::size_t>(age_band(age))][static_cast<std::size_t>(sex)] += 1;
      if (k == 0) continue;
      const int from = st[static_cast<std::size_t>(k - 1)];
      const int age0 = age_years(cs.dob[c], month_end(mm - 1));
      if (age0 < 0 || age0 >= n_ages || age >= n_ages) continue;  // born this month or aged out: not a transition
      if (from != state_not_known) {
        const std::size_t cell = TransitionModel::cell(age_band(age0), sex, from);
        m.exposure[cell] += 1;
        m.counts[cell][static_cast<std::size_t>(s)] += 1;
        if (is_lac(from)) {
          const int band = care_band(std::max(0, cs.lac_months[c][static_cast<std::size_t>(k - 1)]));
          leave_exposure[cell][static_cast<std::size_t>(band)] += 1;
          if (!is_lac(s)) {
            leave_moves[cell] += 1;
            m.leave_moves[static_cast<std::size_t>(band)] += 1;
          }
        }
      } else if (s != state_not_known) {
        // Entries are per child of the population, which has no unknown sex: a child recorded
        // with sex U counts half to each.
        for (int sx = 0; sx < 2; ++sx)
          if (sex == sx || sex == 2)
            m.counts[TransitionModel::cell(age_band(age0), sx, from)][static_cast<std::size_t>(s)] += sex == 2 ? 0.5 : 1.0;
      }
      if (from == state_not_known && s != state_not_known) {
        const int b = block_of(mm);
        if (b >= 0) block_entries[static_cast<std::size_t>(b)][static_cast<std::size_t>(group_of(s))] += 1;
      }
    }
  }
  // Children not known: the population less those in care, at each month end that starts a move.
  for (int k = 1; k < n; ++k) {
    const AgeSexCounts pop = population.at_month(first + k - 1);
    double month_total = 0;
    for (int b = 0; b < n_age_bands; ++b)
      for (int s = 0; s < n_sexes; ++s) {
        double p = 0;
        for (int a = 0; a < n_ages; ++a)
          if (age_band(a) == b) p += pop[static_cast<std::size_t>(a)][static_cast<std::size_t>(s)];
        const double nk = std::max(0.0, p - in_care[static_cast<std::size_t>(k - 1)][static_cast<std::size_t>(b)][static_cast<std::size_t>(s)]);
        m.exposure[TransitionModel::cell(b, s, state_not_known)] += nk;
        month_total += nk;
      }
    const int b = block_of(first + k);
    if (b >= 0) block_exposure[static_cast<std::size_t>(b)] += month_total;
  }
  // "Stayed" counts complete each row: exposure minus the moves out.
  for (std::size_t c = 0; c < n_cells; ++c) {
    const int from = static_cast<int>(c % static_cast<std::size_t>(n_states));
    double moves = 0;
    for (int t = 0; t < n_states; ++t)
      if (t != from) moves += m.counts[c][static_cast<std::size_t>(t)];
    m.counts[c][static_cast<std::size_t>(from)] = std::max(0.0, m.exposure[c] - moves);
  }
  // Dirichlet posterior: counts plus a prior centred on the bracket's rates pooled over sexes
  // (or over all brackets when the bracket has no exposure in that state).
  m.alpha.assign(n_cells, std::array<double, n_states>{});
  for (int f = 0; f < n_states; ++f) {
    std::array<double, n_states> all_counts{};
    double all_exp = 0;
    for (int b = 0; b < n_age_bands; ++b)
      for (int s = 0; s < n_sexes; ++s) {
        const std::size_t c = TransitionModel::cell(b, s, f);
        for (int t = 0; t < n_states; ++t) all_counts[static_cast<std::size_t>(t)] += m.counts[c][static_cast<std::size_t>(t)];
        all_exp += m.exposure[c];
      }
    for (int b = 0; b < n_age_bands; ++b) {
      std::array<double, n_states> pooled{};
      double pooled_exp = 0;
      for (int s = 0; s < n_sexes; ++s) {
        const std::size_t c = TransitionModel::cell(b, s, f);
        for (int t = 0; t < n_states; ++t) pooled[static_cast<std::size_t>(t)] += m.counts[c][static_cast<std::size_t>(t)];
        pooled_exp += m.exposure[c];
      }
      if (pooled_exp <= 0) pooled = all_counts, pooled_exp = all_exp;
      std::array<double, n_states> q{};
      if (pooled_exp > 0)
        for (int t = 0; t < n_states; ++t) q[static_cast<std::size_t>(t)] = pooled[static_cast<std::size_t>(t)] / pooled_exp;
      else
        q[static_cast<std::size_t>(f)] = 1.0;  // never observed anywhere: children stay
      for (int s = 0; s < n_sexes; ++s) {
        const std::size_t c = TransitionModel::cell(b, s, f);
        for (int t = 0; t < n_states; ++t)
          m.alpha[c][static_cast<std::size_t>(t)] = m.counts[c][static_cast<std::size_t>(t)] + options.prior_months * q[static_cast<std::size_t>(t)];
      }
    }
  }
  fit_leave_hazard(m, leave_exposure, leave_moves, options.prior_months);
  // Trend of entry rates over the 12-month blocks.
  for (int b = 0; b < n_blocks; ++b) {
    std::array<double, 3> r{};
    for (int g = 0; g < 3; ++g)
      r[static_cast<std::size_t>(g)] = block_exposure[static_cast<std::size_t>(b)] > 0
                                          ? 12000.0 * block_entries[static_cast<std::size_t>(b)][static_cast<std::size_t>(g)] / block_exposure[static_cast<std::size_t>(b)]
                                          : 0.0;
    m.yearly_entry_rates.push_back(r);
  }
  if (n_blocks >= 2) {
    for (int g = 0; g < 3; ++g) {
      double sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
      for (int b = 0; b < n_blocks; ++b) {
        const double v = m.yearly_entry_rates[static_cast<std::size_t>(b)][static_cast<std::size_t>(g)];
        if (v <= 0) continue;
        const double x = b, y = std::log(v);
        sx += x, sy += y, sxx += x * x, sxy += x * y, k += 1;
      }
      const double den = k * sxx - sx * sx;
      m.trend_per_year[static_cast<std::size_t>(g)] = (k >= 2 && den > 0) ? (k * sxy - sx * sy) / den : 0.0;
    }
  } else {
    m.warnings.push_back(fmt::format("under two years of history before {}: the trend scenario holds the rates", format_date(as_of)));
  }
  return m;
}

}  // namespace earlyhelp::forecast
