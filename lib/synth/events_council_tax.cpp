// SPDX-License-Identifier: Apache-2.0
// Council tax in the synthetic council: the account at the start and after each move, spells of
// missed instalments (April to January), catching up, and the recovery ladder (reminder, final
// notice, summons, liability order, enforcement agent).
//   council_tax               num[0] account number; code[0] band; code[1] stage; code[2] SPD;
//                             code[3] CTR; amount = {liability, arrears}; num[1] address

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_council_tax(HouseholdSim& s, const Month& month) {
  const int adults_now = [&] {
    int n = 0;
    for (const auto& m : s.members)
      if (s.resident(m, month.d0) && age_at(s.pop.persons[m.id], month.d0) >= 18) ++n;
    return n;
  }();
  double liability = 2100.0 * band_ratio[s.band] * (adults_now <= 1 ? 0.75 : 1.0);
  const bool ctr = (!s.employed && !s.pensioners) || (s.pensioners && s.hh.risk > 0.6);
  if (ctr) liability *= 0.3;
  liability = std::round(liability * 100) / 100;
  if (month.mo == 4) s.ct_prior = s.ct_arrears;
  auto emit_council_tax = [&](Date d) {
    if (adults_now == 0) return;  // no one liable: every resident is under 18
    auto& e = s.emit(StreamId::council_tax, month.ref, d);
    e.num[0] = s.ct_account;
    e.num[1] = static_cast<std::int32_t>(s.hh.address_on(d));
    e.code[0] = static_cast<std::uint8_t>(s.band);
    e.code[1] = static_cast<std::uint8_t>(s.ct_stage);
    e.code[2] = adults_now <= 1 ? 1 : 0;
    e.code[3] = ctr ? 1 : 0;
    e.amount[0] = static_cast<float>(liability);
    e.amount[1] = static_cast<float>(std::round(s.ct_arrears * 100) / 100);
  };
  // The account as at the start of the period, and a new account at the new address on the day
  // of each move.
  if (month.d0.days <= s.cfg.start.days && month.d1 > s.cfg.start) emit_council_tax(Date{std::max(month.d0.days, s.cfg.start.days)});
  if (month.moved) {
    s.ct_account = s.local_ref();
    if (month.moved_on >= s.cfg.start) emit_council_tax(month.moved_on);
  }
  const bool instalment_month = month.mo >= 4 || month.mo == 1;
  int new_ct_stage = s.ct_stage;
  if (instalment_month) {
    const double due = liability / 10.0;
    // Falling behind comes in spells: onset rises with stress and a recent job loss.
    if (!s.ct_spell && s.rng.bernoulli(hazard(cal.ct_miss + 1.1 * month.x + (month.t - s.job_loss_month < 4 ? 1.2 : 0.0)))) s.ct_spell = true;
    else if (s.ct_spell && s.rng.bernoulli(logistic(-1.6 - 0.5 * month.x))) s.ct_spell = false;
    const bool missed = s.ct_spell && s.rng.bernoulli(0.75);
    if (month.window && month.d0 >= s.cfg.start) s.rc.ct_due += due;
    if (missed) {
      s.ct_arrears += due * s.rng.uniform(0.5, 1.0);
      if (s.ct_stage == 0) new_ct_stage = 1;
      else if (s.ct_stage == 1) new_ct_stage = 2;
    }
    const double paid = due - (missed ? due : 0.0);
    if (month.window && month.d0 >= s.cfg.start) s.rc.ct_paid += paid;
  }
  // Catching up: more likely at low stress and early stages.
  if (s.ct_arrears > 0 && s.rng.bernoulli(logistic(-0.6 - 0.6 * month.x + (s.ct_stage >= 4 ? 0.6 : 0.0)))) {
    const double pay = std::min(s.ct_arrears, liability / 10.0 * s.rng.uniform(1.0, 3.0));
    s.ct_arrears -= pay;
    const double to_prior = std::min(s.ct_prior, pay);
    s.ct_prior -= to_prior;
    if (month.window && month.d0 >= s.cfg.start) s.rc.ct_paid += pay - to_prior;  // paid towards this year's bill
    if (s.ct_arrears < 1.0) s.ct_arrears = 0, s.ct_prior = 0, new_ct_stage = 0;
  }
  if (s.ct_arrears > 0 && s.ct_stage >= 1 && s.ct_stage_months >= 1 && new_ct_stage == s.ct_stage) {
    constexpr double advance[] = {0, 0.25, 0.55, 0.75, 0.45, 0.08, 0};
    if (s.rng.bernoulli(advance[s.ct_stage] * std::exp(0.2 * month.x))) new_ct_stage = s.ct_stage + 1;
  }
  if (new_ct_stage != s.ct_stage) {
    if (new_ct_stage >= 4 && s.ct_stage < 4) s.debt_dates.push_back(s.day_in_month(month));
    s.ct_stage_months = 0;
    // Clearing the debt is recorded only after formal recovery (summons or later).
    const bool record = new_ct_stage != 0 || s.ct_stage >= 3;
    s.ct_stage = new_ct_stage;
    if (record && month.window && s.in_window(month.d0)) emit_council_tax(s.day_in_month(month));
  } else {
    ++s.ct_stage_months;
  }
}

}  // namespace earlyhelp::synth::detail
