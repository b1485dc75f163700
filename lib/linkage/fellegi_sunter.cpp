// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/fellegi_sunter.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/linkage/person_rules.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::linkage {

namespace {

constexpr double kMinProb = 1e-6;

std::uint64_t splitmix(std::uint64_t& s) noexcept {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void normalise(std::vector<double>& v) {
  double s = 0;
  for (double& x : v) x = std::max(x, kMinProb), s += x;
  for (double& x : v) x /= s;
}

// The distribution closest to `m` (in likelihood) with m[l] <= cap[l]: capped levels take their
// cap, the others share what is left in proportion.
void cap_probabilities(std::vector<double>& m, const std::vector<double>& cap) {
  std::vector<bool> fixed(m.size(), false);
  for (std::size_t pass = 0; pass < m.size(); ++pass) {
    double excess = 0, free = 0;
    for (std::size_t l = 0; l < m.size(); ++l)
      if (!fixed[l] && m[l] > cap[l]) excess += m[l] - cap[l], m[l] = cap[l], fixed[l] = true;
    if (excess <= 0) return;
    for (std::size_t l = 0; l < m.size(); ++l)
      if (!fixed[l]) free += m[l];
    if (free <= 0) return;
    for (std::size_t l = 0; l < m.size(); ++l)
      if (!fixed[l]) m[l] += excess * m[l] / free;
  }
}

}  // namespace

ModelParameters ModelParameters::defaults() {
  ModelParameters p;
  for (std::size_t f = 0; f < n_fields; ++f) {
    const std::size_t L = n_levels(static_cast<Field>(f));
    auto& fp = p.fields[f];
    fp.m.assign(L, 0.0);
    fp.u.assign(L, 0.0);
    // m: most matches agree exactly; the rest spread over the partial levels.
    fp.m[0] = 0.85;
    for (std::size_t l = 1; l < L; ++l) fp.m[l] = 0.15 / static_cast<double>(L - 1);
    // u: random pairs mostly disagree.
    fp.u[L - 1] = 0.9;
    for (std::size_t l = 0; l + 1 < L; ++l) fp.u[l] = 0.1 / static_cast<double>(L - 1);
  }
  return p;
}

std::array<std::vector<double>, n_fields> estimate_u(const PreparedRecords& r, bool link_only,
                                                     std::size_t sample_pairs, std::uint64_t seed,
                                                     int n_threads) {
  const std::size_t n = r.n_identities();
  std::array<std::vector<double>, n_fields> u;
  for (std::size_t f = 0; f < n_fields; ++f) u[f].assign(n_levels(static_cast<Field>(f)), 0.5);
  if (n < 2) {
    for (auto& v : u) normalise(v);
    return u;
  }
  const double all = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  const bool exhaustive = all <= static_cast<double>(sample_pairs);
  // Fixed chunks with their own seeds: the same sample for any thread count.
  constexpr std::size_t kChunk = 4096;
  const std::size_t total = exhaustive ? n - 1 : sample_pairs;  // exhaustive: one row per chunk item
  const std::size_t n_chunks = (total + kChunk - 1) / kChunk;
  std::vector<std::array<std::vector<double>, n_fields>> counts(n_chunks);
  parallel_for_chunks(total, n_threads, kChunk, [&](std::size_t b, std::size_t e) {
    auto& c = counts[b / kChunk];
    for (std::size_t f = 0; f < n_fields; ++f) c[f].assign(u[f].size(), 0.0);
    auto add = [&](std::uint32_t x, std::uint32_t y) {
      if (link_only) {
        const std::uint32_t mx = r.source_mask[x], my = r.source_mask[y];
        if (mx == my && (mx & (mx - 1)) == 0) return;
      }
      const ComparisonVector v = compare_identities(r, x, y);
      for (std::size_t f = 0; f < n_fields; ++f)
        if (v[f] != null_level) c[f][v[f]] += 1.0;
    };
    if (exhaustive) {
      for (std::size_t i = b; i < e; ++i)
        for (std::size_t j = i + 1; j < n; ++j) add(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      return;
    }
    std::uint64_t state = seed ^ (0xD1B54A32D192ED03ULL * (b / kChunk + 1));
    for (std::size_t i = b; i < e; ++i) {
      const auto x = static_cast<std::uint32_t>(splitmix(state) % n);
      auto y = static_cast<std::uint32_t>(splitmix(state) % (n - 1));
      if (y >= x) ++y;
      add(x, y);
    }
  });
  for (const auto& c : counts)
    for (std::size_t f = 0; f < n_fields; ++f)
      for (std::size_t l = 0; l < u[f].size(); ++l) u[f][l] += c[f][l];
  for (auto& v : u) normalise(v);
  return u;
}

int em_estimate_m(const PatternHistogram& h, const std::vector<Field>& fixed,
                  const std::array<std::vector<double>, n_fields>& u, ModelParameters& p,
                  std::array<std::vector<double>, n_fields>& m_out, double& lambda, int max_iterations,
                  double tolerance, const MBounds* m_max) {
  std::array<bool, n_fields> active{};
  for (std::size_t f = 0; f < n_fields; ++f)
    active[f] = std::find(fixed.begin(), fixed.end(), static_cast<Field>(f)) == fixed.end();
  for (std::size_t f = 0; f < n_fields; ++f) m_out[f] = p.fields[f].m;
  if (h.empty()) return 0;
  std::vector<ComparisonVector> vecs(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) vecs[i] = unpack(h[i].first);
  lambda = std::clamp(lambda, 1e-4, 0.9);
  int it = 0;
  for (; it < max_iterations; ++it) {
    std::array<std::vector<double>, n_fields> acc;
    for (std::size_t f = 0; f < n_fields; ++f) acc[f].assign(m_out[f].size(), 0.0);
    double matched = 0, total = 0;
    for (std::size_t i = 0; i < h.size(); ++i) {
      const ComparisonVector& v = vecs[i];
      double lm = std::log(lambda), lu = std::log1p(-lambda);
      for (std::size_t f = 0; f < n_fields; ++f) {
        if (!active[f] || v[f] == null_level) continue;
        lm += std::log(m_out[f][v[f]]);
        lu += std::log(u[f][v[f]]);
      }
      const double post = 1.0 / (1.0 + std::exp(lu - lm));
      const double w = post * h[i].second;
      matched += w;
      total += h[i].second;
      for (std::size_t f = 0; f < n_fields; ++f)
        if (active[f] && v[f] != null_level) acc[f][v[f]] += w;
    }
    double change = 0;
    for (std::size_t f = 0; f < n_fields; ++f) {
      if (!active[f]) continue;
      double s = 0;
      for (double x : acc[f]) s += x;
      if (s <= 0) continue;
      std::vector<double> nm(acc[f].size());
      for (std::size_t l = 0; l < nm.size(); ++l) nm[l] = std::max(acc[f][l] / s, kMinProb);
      if (m_max != nullptr && !(*m_max)[f].empty()) cap_probabilities(nm, (*m_max)[f]);
      for (std::size_t l = 0; l < nm.size(); ++l) {
        change = std::max(change, std::abs(nm[l] - m_out[f][l]));
        m_out[f][l] = nm[l];
      }
    }
    const double nl = std::clamp(total > 0 ? matched / total : lambda, 1e-9, 1.0 - 1e-9);
    change = std::max(change, std::abs(nl - lambda));
    lambda = nl;
    if (change < tolerance) {
      ++it;
      break;
    }
  }
  return it;
}

double em_estimate_lambda(const PatternHistogram& h, const ModelParameters& p, int max_iterations) {
  if (h.empty()) return 0.0;
  std::vector<double> ratio(h.size());  // m/u likelihood ratio of each pattern
  for (std::size_t i = 0; i < h.size(); ++i) {
    const ComparisonVector v = unpack(h[i].first);
    double lr = 0;
    for (std::size_t f = 0; f < n_fields; ++f)
      if (v[f] != null_level) lr += std::log(p.fields[f].m[v[f]]) - std::log(p.fields[f].u[v[f]]);
    ratio[i] = lr;
  }
  double lambda = 0.1;
  for (int it = 0; it < max_iterations; ++it) {
    double matched = 0, total = 0;
    const double prior = std::log(lambda) - std::log1p(-lambda);
    for (std::size_t i = 0; i < h.size(); ++i) {
      matched += h[i].second / (1.0 + std::exp(-(prior + ratio[i])));
      total += h[i].second;
    }
    const double nl = std::clamp(matched / total, 1e-12, 1.0 - 1e-9);
    const bool done = std::abs(nl - lambda) < 1e-7;
    lambda = nl;
    if (done) break;
  }
  return lambda;
}

void m_from_labels(const PatternHistogram& matches, ModelParameters& p) {
  std::array<std::vector<double>, n_fields> acc;
  for (std::size_t f = 0; f < n_fields; ++f) acc[f].assign(p.fields[f].m.size(), 0.0);
  for (const auto& [packed, count] : matches) {
    const ComparisonVector v = unpack(packed);
    for (std::size_t f = 0; f < n_fields; ++f)
      if (v[f] != null_level) acc[f][v[f]] += count;
  }
  for (std::size_t f = 0; f < n_fields; ++f) {
    double s = 0;
    for (double x : acc[f]) s += x;
    if (s < 5) continue;  // too few labelled pairs observe this field: keep the estimate
    for (std::size_t l = 0; l < acc[f].size(); ++l) acc[f][l] = (acc[f][l] + 0.1) / (s + 0.1 * static_cast<double>(acc[f].size()));
    p.fields[f].m = acc[f];
    normalise(p.fields[f].m);
  }
}

FellegiSunter::FellegiSunter(const ModelParameters& p, const PreparedRecords& r, bool tf_adjust, bool household_guard,
                             double guard_max_m, bool place_once)
    : guard_(household_guard), place_once_(place_once) {
  for (std::size_t f = 0; f < n_fields; ++f) {
    const auto& fp = p.fields[f];
    w_[f].resize(fp.m.size());
    for (std::size_t l = 0; l < fp.m.size(); ++l) {
      w_[f][l] = std::log2(std::max(fp.m[l], kMinProb) / std::max(fp.u[l], kMinProb));
      conflict_level_[f][l] = is_conflict_level(static_cast<Field>(f), static_cast<std::uint8_t>(l)) &&
                              fp.m[l] <= guard_max_m;
    }
  }
  // A different surname on an otherwise matching pair is a surname change or another person
  // (a successive occupant with the same first name, a mother and daughter): when true matches
  // rarely show it, shared household evidence does not count for it either.
  {
    const auto& sm = p.fields[static_cast<std::size_t>(Field::surname)].m;
    surname_discount_ = household_guard && sm.size() == n_levels(Field::surname) && sm[levels::Surname::different] <= guard_max_m;
  }
  const double lambda = std::clamp(p.lambda, 1e-15, 1.0 - 1e-9);
  prior_ = std::log2(lambda / (1.0 - lambda));
  if (!tf_adjust) return;
  // Exact agreement on a value carried by a share tf of identities is as rare among random pairs
  // as tf (not the average u of the exact level): weight log2(m/tf) = log2(m/u) + log2(u/tf).
  auto build = [&](const InternedColumn& col, Field f, std::vector<double>& out) {
    const double u0 = std::max(p.fields[static_cast<std::size_t>(f)].u[0], kMinProb);
    double total = 0;
    for (std::size_t i = 1; i < col.counts.size(); ++i) total += col.counts[i];
    out.assign(col.counts.size(), 0.0);
    if (total <= 0) return;
    // Floor: a value seen once in a small table is not infinitely informative.
    const double floor_tf = std::max(1.0 / total, 1e-5);
    for (std::size_t i = 1; i < col.counts.size(); ++i) {
      const double tf = std::max(static_cast<double>(col.counts[i]) / total, floor_tf);
      out[i] = std::clamp(std::log2(u0 / tf), -10.0, 10.0);
    }
  };
  build(r.first, Field::first_name, tf_first_);
  build(r.surname, Field::surname, tf_surname_);
  build(r.postcode, Field::postcode, tf_postcode_);
  // Full names: the share of identities carrying the combination.
  const double u_names = std::max(p.fields[static_cast<std::size_t>(Field::first_name)].u[0], kMinProb) *
                         std::max(p.fields[static_cast<std::size_t>(Field::surname)].u[0], kMinProb);
  std::unordered_map<std::uint64_t, std::uint32_t> counts;
  double total = 0;
  for (std::size_t x = 0; x < r.n_identities(); ++x) {
    if (r.first_id[x] == 0 || r.surname_id[x] == 0) continue;
    ++counts[(std::uint64_t{r.first_id[x]} << 32) | r.surname_id[x]];
    total += 1;
  }
  if (total <= 0) return;
  const double floor_tf = std::max(1.0 / total, 1e-10);
  tf_full_name_.reserve(counts.size());
  for (const auto& [key, n] : counts) {
    const double tf = std::max(static_cast<double>(n) / total, floor_tf);
    tf_full_name_.emplace(key, std::clamp(std::log2(u_names / tf), -20.0, 20.0));
  }
}

double FellegiSunter::full_name_tf_adjustment(std::uint32_t first_id, std::uint32_t surname_id) const noexcept {
  const auto it = tf_full_name_.find((std::uint64_t{first_id} << 32) | surname_id);
  if (it != tf_full_name_.end()) return it->second;
  return tf_adjustment(Field::first_name, first_id) + tf_adjustment(Field::surname, surname_id);
}

double FellegiSunter::level_weight(Field f, std::uint8_t level) const noexcept {
  if (level == null_level) return 0.0;
  const auto& w = w_[static_cast<std::size_t>(f)];
  return level < w.size() ? w[level] : 0.0;
}

double FellegiSunter::tf_adjustment(Field f, std::uint32_t id) const noexcept {
  const std::vector<double>* t = nullptr;
  if (f == Field::first_name) t = &tf_first_;
  else if (f == Field::surname) t = &tf_surname_;
  else if (f == Field::postcode) t = &tf_postcode_;
  if (t == nullptr || id >= t->size()) return 0.0;
  return (*t)[id];
}

double FellegiSunter::weight(const PreparedRecords& r, std::uint32_t a, std::uint32_t b, const ComparisonVector& v,
                             double& discount) const noexcept {
  WeightParts parts;
  const double w = weight(r, a, b, v, parts);
  discount = parts.discount;
  return w;
}

double FellegiSunter::weight(const PreparedRecords& r, std::uint32_t a, std::uint32_t b, const ComparisonVector& v,
                             WeightParts& parts) const noexcept {
  // Term-frequency adjustments of exact agreement.
  std::array<double, n_fields> tf{};
  double full_name_tf = 0, full_name_household = 0;
  constexpr auto fn = static_cast<std::size_t>(Field::first_name), sn = static_cast<std::size_t>(Field::surname);
  const bool same_first = v[fn] == levels::FirstName::exact && r.first_id[a] == r.first_id[b];
  const bool same_surname = v[sn] == levels::Surname::exact && r.surname_id[a] == r.surname_id[b];
  const bool full_name = same_first && same_surname && !tf_full_name_.empty();
  if (full_name) {
    full_name_tf = full_name_tf_adjustment(r.first_id[a], r.surname_id[a]);
    // The surname's share is household evidence (for the guard), as its single adjustment was.
    full_name_household = std::max(0.0, std::min(full_name_tf, tf_adjustment(Field::surname, r.surname_id[a])));
  } else {
    if (same_first) tf[fn] = tf_adjustment(Field::first_name, r.first_id[a]);
    if (same_surname) tf[sn] = tf_adjustment(Field::surname, r.surname_id[a]);
  }
  constexpr auto pc = static_cast<std::size_t>(Field::postcode);
  if (v[pc] == levels::Postcode::unit) tf[pc] = tf_adjustment(Field::postcode, r.postcode_id[a]);
  const double w = combine(v, tf, full_name_tf, full_name_household, parts);
  if (parts.discount > 0 && short_forms_agree_ && !discount_stands(r, a, b, v)) {
    const double back = parts.discount;
    parts.discount = 0;
    return w + back;
  }
  return w;
}

bool FellegiSunter::discount_stands(const PreparedRecords& r, std::uint32_t a, std::uint32_t b,
                                    const ComparisonVector& v) const {
  constexpr auto fn = static_cast<std::size_t>(Field::first_name), sn = static_cast<std::size_t>(Field::surname);
  // Only a first-name conflict within a family (the surname not different) can be reconciled.
  if (v[fn] == null_level || !conflict_level_[fn][v[fn]]) return true;
  if (v[sn] == levels::Surname::different) return true;
  ComparisonVector rest = v;
  rest[fn] = null_level;
  if (conflict(rest, false)) return true;
  if (dates_of_birth_disagree(r.dob[a], r.dob[b])) return true;
  return !first_names_short_form(r, r.first_id[a], r.first_id[b]);
}

double FellegiSunter::pattern_weight(const ComparisonVector& v, WeightParts& parts) const noexcept {
  return combine(v, {}, 0.0, 0.0, parts);
}

double FellegiSunter::combine(const ComparisonVector& v, const std::array<double, n_fields>& tf, double full_name_tf,
                              double full_name_household, WeightParts& parts) const noexcept {
  double total = prior_ + full_name_tf, household = full_name_household;
  double place_sum = 0, place_lo = 0, place_hi = 0;
  bool any_place = false;
  for (std::size_t f = 0; f < n_fields; ++f) {
    if (v[f] == null_level) continue;
    const double w = w_[f][v[f]] + tf[f];
    const auto field = static_cast<Field>(f);
    if (place_once_ && is_place_field(field)) {
      place_lo = any_place ? std::min(place_lo, w) : w;
      place_hi = any_place ? std::max(place_hi, w) : w;
      place_sum += w;
      any_place = true;
      continue;
    }
    total += w;
    if (is_household_field(field) && w > 0) household += w;
  }
  parts.place_once = 0;
  if (any_place) {
    // One place evidence: the fields' joint weight is bounded by the strongest single one in
    // either direction (a shared home counts once; so does a move).
    const double place = std::clamp(place_sum, place_lo, place_hi);
    parts.place_once = place - place_sum;
    total += place;
    if (place > 0) household += place;
  }
  constexpr auto sn = static_cast<std::size_t>(Field::surname);
  const bool guarded = conflict(v, false) || (surname_discount_ && v[sn] == levels::Surname::different);
  parts.discount = (guard_ && household > 0 && guarded) ? household : 0.0;
  return total - parts.discount;
}

bool FellegiSunter::conflict(const ComparisonVector& v, bool with_identifier) const noexcept {
  // The same person identifier (or one typo away) outweighs the disagreement.
  constexpr auto id = static_cast<std::size_t>(Field::identifier);
  if (v[id] <= levels::Identifier::one_edit) return false;
  for (std::size_t f = 0; f < n_fields; ++f)
    if (v[f] != null_level && conflict_level_[f][v[f]] && (with_identifier || f != id)) return true;
  return false;
}

double probability_from_weight(double w) noexcept {
  if (w > 60) return 1.0;
  if (w < -60) return 0.0;
  const double b = std::exp2(w);
  return b / (1.0 + b);
}

double weight_from_probability(double p) noexcept {
  p = std::clamp(p, 1e-15, 1.0 - 1e-15);
  return std::log2(p / (1.0 - p));
}

}  // namespace earlyhelp::linkage
