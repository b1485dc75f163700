// SPDX-License-Identifier: Apache-2.0
// Work and benefit streams of the synthetic council: job loss and re-employment (the latent
// shock), UC and other DWP claims with their annual snapshots, and pensioners' housing benefit.
//   housing_benefit           num[0] claim number; date..end; amount = {HB, CTR weekly};
//                             code[0] passported; code[1] dependants
//   dwp_benefits              code[0] benefit; code[1] work status; code[2] sanction;
//                             code[3] conditionality

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_work_and_benefits(HouseholdSim& s, const Month& month) {
  const bool claimant = age_at(s.pop.persons[month.ref], month.d0) >= 16;  // a benefit claim needs someone 16 or over
  if (!s.pensioners) {
    if (s.employed && s.rng.bernoulli(hazard(cal.job_loss + 0.5 * month.x))) {
      s.employed = false;
      s.job_loss_month = month.t;
      s.shock += 1.2;
      if (month.window && s.in_window(month.d0) && claimant) {
        auto& e = s.emit(StreamId::dwp_benefits, month.ref, s.day_in_month(month));
        e.code[0] = 0;  // uc
        e.code[1] = 1;  // out_of_work
        e.code[3] = 0;  // all work-related requirements
      }
      s.on_uc = true;
    } else if (!s.employed && s.rng.bernoulli(cal.reemploy * std::exp(-0.3 * month.x))) {
      s.employed = true;
      if (s.on_uc && month.window && s.in_window(month.d0) && s.rng.bernoulli(0.5) && claimant) {
        auto& e = s.emit(StreamId::dwp_benefits, month.ref, s.day_in_month(month));
        e.code[0] = 0;
        e.code[1] = 0;  // in_work
        e.code[3] = 4;  // working enough
      }
      s.on_uc = false;
    }
  }
  // Annual snapshots of ongoing claims (April) and the first month of the period.
  if ((month.mo == 4 || (month.d0.days <= s.cfg.start.days && month.d1 > s.cfg.start)) && s.in_window(Date{std::max(month.d0.days, s.cfg.start.days)})) {
    const Date snap{std::max(month.d0.days, s.cfg.start.days)};
    if (s.on_uc && claimant) {
      auto& e = s.emit(StreamId::dwp_benefits, month.ref, snap);
      e.code[0] = 0;
      e.code[1] = s.employed ? 0 : 1;
      e.code[2] = s.rng.bernoulli(0.03) ? 1 : 0;
      e.code[3] = s.employed ? 4 : static_cast<std::uint8_t>(s.rng.bernoulli(0.7) ? 0 : 3);
    }
    if (s.disability_claim && claimant) {
      auto& e = s.emit(StreamId::dwp_benefits, month.ref, snap);
      e.code[0] = s.disability_benefit;
      e.code[1] = 2;
      e.code[3] = 5;
    }
    if (s.pensioners && s.hh.risk > 0.6 && s.rng.bernoulli(0.8)) {
      auto& e = s.emit(StreamId::dwp_benefits, month.ref, snap);
      e.code[0] = 7;  // pension credit
      e.code[1] = 2;
      e.code[3] = 5;
    }
  }
  // Housing benefit: pensioner renters with low income (claims older than the period).
  if (month.d0.days <= s.cfg.start.days && month.d1 > s.cfg.start && s.hh.tenure != Tenure::owner && s.pensioners && s.hh.risk > 0.2 && s.rng.bernoulli(0.6)) {
    auto& e = s.emit(StreamId::housing_benefit, month.ref, Date{s.cfg.start.days - 60 - static_cast<std::int32_t>(s.rng.below(3000))});
    e.num[0] = s.local_ref();
    e.amount[0] = static_cast<float>(std::round(s.weekly_rent * s.rng.uniform(0.6, 1.0) * 100) / 100);
    e.amount[1] = static_cast<float>(std::round(2100.0 * band_ratio[s.band] / 52 * 0.8 * 100) / 100);
    e.code[0] = s.rng.bernoulli(0.5) ? 1 : 0;
  }
}

}  // namespace earlyhelp::synth::detail
