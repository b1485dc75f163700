// SPDX-License-Identifier: Apache-2.0
// Housing streams of the synthetic council: social tenancies, rent arrears and their recovery
// actions, and homelessness approaches with their duties (plus temporary accommodation).
//   housing_tenancy           num[0] tenancy number; code[0] tenure type; code[1] bedrooms;
//                             code[2] household size; date..end; num[1] address
//   rent_arrears              num[0] tenancy number; amount = {balance, weekly rent};
//                             code[0] recovery action; num[1] address
//   homelessness_applications code[0] reason; code[1] duty; code[2] outcome;
//                             code[3] household type; num[1] priority need

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_tenancy(HouseholdSim& s, const Month& month) {
  if (s.social && (s.tenancy == 0 || month.moved) && month.window) {
    // A tenancy that predates the period began after the tenant's 18th birthday.
    const Date adult_from{s.pop.persons[month.ref].dob.days + 6575};
    // A move starts the new tenancy on the day of the move, at the new address.
    const Date start = s.tenancy == 0 ? Date{std::max(adult_from.days, s.cfg.start.days - 30 - static_cast<std::int32_t>(s.rng.below(5000)))}
                                    : month.moved_on;
    if (s.tenancy != 0) s.out.events[s.tenancy_event].end = Date{start.days - 1};
    s.tenancy = s.local_ref();
    auto& e = s.emit(StreamId::housing_tenancy, month.ref, start);
    e.num[0] = s.tenancy;
    e.num[1] = static_cast<std::int32_t>(s.hh.address_on(Date{std::max(start.days, month.d0.days)}));
    e.code[0] = static_cast<std::uint8_t>(s.rng.bernoulli(0.9) ? 0 : s.rng.bernoulli(0.6) ? 1 : 2);
    e.code[2] = static_cast<std::uint8_t>(std::max(1, s.n_resident(month.d0, false)));
    e.code[1] = static_cast<std::uint8_t>(std::clamp(e.code[2] - (s.rng.bernoulli(0.5) ? 1 : 0), 1, 5));
    s.tenancy_event = s.out.events.size() - 1;
    s.rent_arrears = std::max(0.0, s.rent_arrears * 0.2);
  }
}

void simulate_rent_arrears(HouseholdSim& s, const Month& month) {
  if (s.social) {
    const double monthly = s.weekly_rent * 52 / 12;
    if (s.rng.bernoulli(logistic(cal.rent_miss + 0.9 * month.x + (month.t - s.job_loss_month < 3 ? 1.5 : 0.0))))
      s.rent_arrears += monthly * s.rng.uniform(0.3, 1.0);
    if (s.rent_arrears > 0 && s.rng.bernoulli(logistic(-0.4 - 0.5 * month.x)))
      s.rent_arrears = std::max(0.0, s.rent_arrears - monthly * s.rng.uniform(0.3, 1.5));
    if (s.rent_arrears < 5) s.rent_arrears = 0;
    if (s.rent_arrears > 0) s.in_arrears_this_year = true;
    const double weeks = s.rent_arrears / s.weekly_rent;
    int stage = s.rent_stage;
    if (s.rent_arrears == 0) stage = 0;
    else if (s.rent_stage == 0 && weeks >= 2) stage = 1;
    else if (s.rent_stage == 1 && weeks >= 4 && s.rent_stage_months >= 1) stage = 2;
    else if (s.rent_stage == 2 && weeks >= 8 && s.rent_stage_months >= 2 && s.rng.bernoulli(0.5)) stage = 3;
    else if (s.rent_stage == 3 && weeks >= 8 && s.rent_stage_months >= 3 && s.rng.bernoulli(0.15)) stage = 4;
    const bool quarter_end = month.mo == 3 || month.mo == 6 || month.mo == 9 || month.mo == 12;
    if (stage != s.rent_stage || (quarter_end && s.rent_arrears > 0)) {
      if (stage == 3 && s.rent_stage < 3) s.debt_dates.push_back(s.day_in_month(month));
      if (stage == 4) s.eviction_pending = true;
      if (month.window && s.in_window(month.d0)) {
        const Date on = stage != s.rent_stage ? s.day_in_month(month) : Date{month.d1.days - 1};
        auto& e = s.emit(StreamId::rent_arrears, month.ref, on);
        e.num[0] = s.tenancy;
        e.num[1] = static_cast<std::int32_t>(s.hh.address_on(on));
        e.code[0] = static_cast<std::uint8_t>(stage);
        e.amount[0] = static_cast<float>(std::round(s.rent_arrears * 100) / 100);
        e.amount[1] = static_cast<float>(std::round(s.weekly_rent * 100) / 100);
      }
    }
    s.rent_stage_months = stage != s.rent_stage ? 0 : s.rent_stage_months + 1;
    s.rent_stage = stage;
    if (month.mo == 3 && month.window && month.d0 >= s.cfg.start) {
      if (s.in_arrears_this_year) s.rc.social_tenants_in_arrears += 1;
      s.in_arrears_this_year = false;
    }
  }
}

void simulate_homelessness(HouseholdSim& s, const Month& month) {
  {
    const double lh = cal.homeless + 0.75 * month.x + (s.hh.tenure == Tenure::private_rent ? 0.9 : 0.0) + (s.da ? 1.3 : 0.0) +
                      (s.eviction_pending ? 2.5 : 0.0);
    if (s.rng.bernoulli(hazard(lh))) {
      const Date d = s.day_in_month(month);
      const int kids = s.n_resident(month.d0, true);
      const int adults = s.n_resident(month.d0, false) - kids;
      std::uint8_t reason = 8;
      if (s.da && s.rng.bernoulli(0.8)) reason = 2;
      else if (s.eviction_pending) reason = 4;
      else if (s.hh.tenure == Tenure::private_rent && s.rng.bernoulli(0.55)) reason = 1;
      else if (s.rng.bernoulli(0.5)) reason = 0;
      else reason = static_cast<std::uint8_t>(s.rng.bernoulli(0.5) ? 3 : 8);
      const double u = s.rng.uniform();
      const std::uint8_t duty = u < 0.12 ? 0 : u < 0.12 + 0.40 ? 1 : 2;
      const bool priority = kids > 0 || s.rng.bernoulli(0.15);
      if (duty > 0) {
        s.duty_dates.push_back(d);
        if (s.in_window(d)) s.rc.duties += 1;
      }
      if (s.in_window(d)) {
        auto& e = s.emit(StreamId::homelessness_applications, month.ref, d);
        e.code[0] = reason;
        e.code[1] = duty;
        e.code[2] = static_cast<std::uint8_t>(s.rng.bernoulli(0.4) ? 0 : s.rng.categorical({0.6, 0.15, 0.1, 0.05, 0.02, 0.03, 0.05}) + 1);
        e.code[3] = static_cast<std::uint8_t>(kids > 0 ? (adults >= 2 ? 2 : 1) : adults == 1 ? 0 : adults == 2 ? 3 : 4);
        e.num[1] = priority ? 1 : 0;
        // Relief for a family in priority need often leads to the main duty a few months later.
        const Date main_date = add_days(d, 56 + static_cast<int>(s.rng.below(90)));
        if (duty == 2 && priority && s.rng.bernoulli(0.45) && s.in_window(main_date)) {
          auto& m = s.emit(StreamId::homelessness_applications, month.ref, main_date);
          m.code[0] = reason;
          m.code[1] = 3;
          m.code[2] = static_cast<std::uint8_t>(s.rng.bernoulli(0.5) ? 0 : 1);
          m.code[3] = s.out.events[s.out.events.size() - 2].code[3];
          m.num[1] = 1;
          if (s.social || s.rng.bernoulli(0.5)) {  // temporary accommodation
            auto& ta = s.emit(StreamId::housing_tenancy, month.ref, add_days(main_date, 3));
            ta.num[0] = s.local_ref();
            ta.num[1] = static_cast<std::int32_t>(s.hh.address_on(main_date));
            ta.code[0] = 3;
            ta.code[2] = static_cast<std::uint8_t>(std::max(1, kids + adults));
            ta.code[1] = static_cast<std::uint8_t>(std::clamp(kids, 1, 4));
            ta.end = add_days(main_date, 60 + static_cast<int>(s.rng.below(300)));
            if (ta.end > s.cfg.end) ta.end = no_date;
          }
        }
      }
      s.shock += 0.8;
      s.eviction_pending = false;
    }
  }
}

}  // namespace earlyhelp::synth::detail
