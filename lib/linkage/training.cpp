// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/training.hpp"

#include "earlyhelp/core/parallel.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace earlyhelp::linkage {

namespace {

constexpr std::size_t kBlocksPerChunk = 32;

using Histogram = std::unordered_map<std::uint64_t, double>;

PatternHistogram sorted(const Histogram& h) {
  PatternHistogram out(h.begin(), h.end());
  std::sort(out.begin(), out.end());
  return out;
}

double all_pairs(const PreparedRecords& r, bool link_only) {
  const double n = static_cast<double>(r.n_identities());
  if (!link_only) return 0.5 * n * (n - 1.0);
  // Pairs across sources, counting each identity under its lowest source bit.
  std::vector<double> per(33, 0.0);
  for (const std::uint32_t m : r.source_mask) {
    std::size_t bit = 0;
    while (bit < 32 && !(m >> bit & 1u)) ++bit;
    per[bit] += 1.0;
  }
  double same = 0;
  for (const double c : per) same += 0.5 * c * (c - 1.0);
  return 0.5 * n * (n - 1.0) - same;
}

}  // namespace

bool is_anchor(const ComparisonVector& v) noexcept {
  return level_of(v, Field::first_name) == levels::FirstName::exact && level_of(v, Field::surname) == levels::Surname::exact &&
         level_of(v, Field::dob) == levels::Dob::exact && level_of(v, Field::sex) != levels::Sex::different &&
         level_of(v, Field::identifier) != levels::Identifier::different;
}

bool town_from_moves(const PatternHistogram& h, ModelParameters& p) {
  // Anchors whose postcodes differ (a move), and of them those whose towns differ too.
  double moves = 0, across = 0;
  for (const auto& [packed, c] : h) {
    const ComparisonVector v = unpack(packed);
    if (!is_anchor(v) || level_of(v, Field::postcode) != levels::Postcode::different) continue;
    const std::uint8_t town = level_of(v, Field::town);
    if (town == null_level) continue;
    moves += c;
    if (town == levels::Town::different) across += c;
  }
  if (moves < kMinAnchorMoves) return false;
  auto& town = p.fields[static_cast<std::size_t>(Field::town)].m;
  const double floor = p.fields[static_cast<std::size_t>(Field::postcode)].m[levels::Postcode::different] *
                       (across + 0.5) / (moves + 1.0);
  const double was = town[levels::Town::different];
  if (was >= floor || was >= 1.0) return false;
  // The other levels give up the difference in proportion.
  for (std::size_t l = 0; l < town.size(); ++l) town[l] = l == levels::Town::different ? floor : town[l] * (1.0 - floor) / (1.0 - was);
  return true;
}

MBounds person_evidence_bounds(double max_m) {
  MBounds b;
  auto& first = b[static_cast<std::size_t>(Field::first_name)];
  first.assign(levels::FirstName::count, 1.0);
  first[levels::FirstName::similar] = first[levels::FirstName::different] = max_m;
  auto& dob = b[static_cast<std::size_t>(Field::dob)];
  dob.assign(levels::Dob::count, 1.0);
  dob[levels::Dob::same_year] = dob[levels::Dob::different] = max_m;
  return b;
}

ModelParameters train(const PreparedRecords& r, const BlockingPlan& plan, const Settings& settings,
                      bool bound_person_evidence) {
  ModelParameters params = ModelParameters::defaults();
  if (r.n_identities() < 2) {
    params.lambda = 0.5;
    params.fitted = true;
    return params;
  }
  const bool link_only = settings.link_type == LinkType::link_only;
  const auto u = estimate_u(r, link_only, settings.u_sample_pairs, settings.seed, settings.n_threads);
  for (std::size_t f = 0; f < n_fields; ++f) params.fields[f].u = u[f];

  // One pass over each rule's (possibly block-subsampled) pairs: the rule's own histogram for
  // EM, and the union histogram (pairs no earlier rule covers) for the match prior.
  Histogram union_hist;
  std::array<std::vector<double>, n_fields> m_sum;
  std::array<std::vector<double>, n_fields> m_fallback;
  std::array<int, n_fields> m_n{}, m_fallback_n{};
  for (std::size_t f = 0; f < n_fields; ++f) {
    m_sum[f].assign(params.fields[f].m.size(), 0.0);
    m_fallback[f].assign(params.fields[f].m.size(), 0.0);
  }
  for (std::size_t k = 0; k < plan.rules.size(); ++k) {
    const RulePlan& rp = plan.rules[k];
    const std::uint64_t stride =
        std::max<std::uint64_t>(1, (rp.pairs + settings.max_training_pairs - 1) / settings.max_training_pairs);
    const std::size_t n_blocks = rp.blocks.size();
    const std::size_t n_chunks = (n_blocks + kBlocksPerChunk - 1) / kBlocksPerChunk;
    std::vector<Histogram> rule_h(n_chunks), uni_h(n_chunks);
    parallel_for_chunks(n_blocks, settings.n_threads, kBlocksPerChunk, [&](std::size_t b, std::size_t e) {
      Histogram& rh = rule_h[b / kBlocksPerChunk];
      Histogram& uh = uni_h[b / kBlocksPerChunk];
      for (std::size_t bi = b; bi < e; ++bi) {
        if (bi % stride != 0) continue;
        for_each_rule_pair(plan, k, rp.blocks[bi], r, link_only, settings.window,
                           [&](std::uint32_t a, std::uint32_t c) {
                             const std::uint64_t p = pack(compare_identities(r, a, c));
                             rh[p] += static_cast<double>(stride);
                             if (!covered_before(plan, k, a, c)) uh[p] += static_cast<double>(stride);
                           });
      }
    });
    Histogram merged;
    for (std::size_t c = 0; c < n_chunks; ++c) {
      for (const auto& [p, cnt] : rule_h[c]) merged[p] += cnt;
      for (const auto& [p, cnt] : uni_h[c]) union_hist[p] += cnt;
    }
    PatternHistogram h = sorted(merged);
    TrainingSession s;
    s.rule = rp.rule.name();
    s.fixed = fixed_fields(rp.rule);
    if (std::find(s.fixed.begin(), s.fixed.end(), Field::address) != s.fixed.end()) {
      // A place-based rule trains person evidence within households: only pairs that also
      // share the surname, so neighbours who happen to share a first name are not taken for
      // one person with a wrong date of birth.
      h.erase(std::remove_if(h.begin(), h.end(),
                             [](const auto& e) { return level_of(unpack(e.first), Field::surname) != levels::Surname::exact; }),
              h.end());
    }
    for (const auto& [p, cnt] : h) s.pairs += cnt;
    if (s.pairs < 10) {
      params.sessions.push_back(s);
      continue;
    }
    std::array<std::vector<double>, n_fields> m;
    double lambda = 0.3;
    const MBounds bounds = person_evidence_bounds(settings.guard_max_m);
    s.iterations = em_estimate_m(h, s.fixed, u, params, m, lambda, settings.em_max_iterations, settings.em_tolerance,
                                 bound_person_evidence ? &bounds : nullptr);
    s.lambda = lambda;
    // Which of this session's estimates to trust (see the file comment).
    auto is_fixed = [&](Field f) { return std::find(s.fixed.begin(), s.fixed.end(), f) != s.fixed.end(); };
    const bool person_fixed = is_fixed(Field::identifier) || (is_fixed(Field::first_name) && is_fixed(Field::dob));
    const bool household_fixed = is_fixed(Field::identifier) || is_fixed(Field::address) || is_fixed(Field::uprn);
    for (std::size_t f = 0; f < n_fields; ++f) {
      const auto field = static_cast<Field>(f);
      if (is_fixed(field)) continue;
      const bool trusted = is_household_field(field) ? person_fixed : household_fixed;
      auto& sum = trusted ? m_sum[f] : m_fallback[f];
      for (std::size_t l = 0; l < m[f].size(); ++l) sum[l] += m[f][l];
      ++(trusted ? m_n : m_fallback_n)[f];
      s.m[f] = m[f];
    }
    params.sessions.push_back(std::move(s));
  }
  for (std::size_t f = 0; f < n_fields; ++f) {
    if (m_n[f] > 0)
      for (std::size_t l = 0; l < m_sum[f].size(); ++l) params.fields[f].m[l] = m_sum[f][l] / m_n[f];
    else if (m_fallback_n[f] > 0)
      for (std::size_t l = 0; l < m_sum[f].size(); ++l) params.fields[f].m[l] = m_fallback[f][l] / m_fallback_n[f];
  }

  const PatternHistogram uh = sorted(union_hist);
  town_from_moves(uh, params);

  // Prior: expected matches among candidate pairs over all possible pairs.
  double candidates = 0;
  for (const auto& [p, c] : uh) candidates += c;
  const double share = em_estimate_lambda(uh, params, 200);
  const double possible = std::max(1.0, all_pairs(r, link_only));
  params.lambda = std::clamp(share * candidates / possible, 1e-12, 0.5);
  params.fitted = true;
  return params;
}

void train_from_labels(const PreparedRecords& r, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& matches,
                       ModelParameters& p) {
  Histogram h;
  for (const auto& [a, b] : matches)
    if (a != b) h[pack(compare_identities(r, a, b))] += 1.0;
  m_from_labels(sorted(h), p);
}

}  // namespace earlyhelp::linkage
