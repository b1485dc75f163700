// SPDX-License-Identifier: Apache-2.0
// The latent-risk process and the month loop of the synthetic council (events.hpp explains the
// model). One household is simulated month by month from two years before the start (a burn-in,
// so open episodes and arrears exist on day one) to the end date; each stream family lives in its
// own file (events_<family>.cpp, which also documents the meaning of Event::code / num / amount
// of its streams for the record writer), sharing the household's state (household_sim.hpp).
//   person_register           date = known since; code[0] = 1 if the person moved in mid-period

#include "earlyhelp/synth/events.hpp"

#include "earlyhelp/synth/detail/placements.hpp"
#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth {

std::string_view stream_name(StreamId s) noexcept {
  constexpr std::string_view names[] = {
      "person_register", "school_attendance", "school_exclusions", "social_care_contacts",
      "social_care_episodes", "police_domestic_abuse", "asb_incidents", "youth_offending",
      "housing_tenancy", "rent_arrears", "homelessness_applications", "council_tax",
      "housing_benefit", "dwp_benefits", "adult_social_care", "health_ae",
      "health_substance_misuse", "health_mental_health", "early_help_episodes"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view to_string(Domain d) noexcept {
  constexpr std::string_view names[] = {"safeguarding", "homelessness", "asb", "debt"};
  return names[static_cast<std::size_t>(d)];
}

void RateCounters::add(const RateCounters& o) noexcept {
  child_days += o.child_days; cin_days += o.cin_days; cpp_days += o.cpp_days; lac_days += o.lac_days;
  children_census += o.children_census; persons_census += o.persons_census; households_census += o.households_census;
  pupils_year += o.pupils_year; persistent_absentees += o.persistent_absentees;
  suspensions += o.suspensions; permanent_exclusions += o.permanent_exclusions;
  person_years += o.person_years; household_years += o.household_years; child_years += o.child_years;
  youth_years += o.youth_years; da_incidents += o.da_incidents; asb_perpetrator_incidents += o.asb_perpetrator_incidents;
  duties += o.duties; referrals += o.referrals; first_time_entrants += o.first_time_entrants;
  ct_due += o.ct_due; ct_paid += o.ct_paid; social_tenant_years += o.social_tenant_years;
  social_tenants_in_arrears += o.social_tenants_in_arrears; ae_attendances += o.ae_attendances;
}

std::vector<Date> as_of_dates(const Config& config) {
  std::vector<Date> out;
  const CivilDate s = to_civil(config.start);
  int y = s.year + 1, m = s.month;
  for (;;) {
    const Date d = from_civil(y, m, 1);
    if (d.days + 183 > config.end.days) break;
    out.push_back(d);
    m += 6;
    if (m > 12) m -= 12, ++y;
  }
  return out;
}

HouseholdEvents simulate_household(const Population& pop, std::uint32_t h, RateCounters* counters) {
  using namespace detail;
  if (pop.households[h].n_persons == 0) return {};
  HouseholdSim s(pop, h);
  const Config& cfg = s.cfg;
  const Household& hh = s.hh;
  auto& ev = s.out.events;
  auto& rc = s.rc;

  const CivilDate sc = to_civil(cfg.start);
  int y = sc.year - 2, mo = sc.month;
  bool first_month = true;
  std::size_t move_index = 1;
  for (int t = 0;; ++t) {
    const Date d0 = month_start(y, mo);
    // Census day (31 March, checked on 1 April before that month's transitions).
    if (mo == 4 && s.in_window(Date{d0.days - 1})) {
      const Date census{d0.days - 1};
      bool any = false;
      for (const auto& m : s.members) {
        if (!s.resident(m, census)) continue;
        any = true;
        rc.persons_census += 1;
        if (age_at(pop.persons[m.id], census) < 18) {
          rc.children_census += 1;
          if (m.episode >= 0) rc.cin_days += 1;
          if (m.episode == 1) rc.cpp_days += 1;
          if (m.episode == 2) rc.lac_days += 1;
        }
      }
      if (any) rc.households_census += 1;
    }
    if (d0 > cfg.end) break;
    const int ny = mo == 12 ? y + 1 : y, nm = mo == 12 ? 1 : mo + 1;
    Month month;
    month.y = y, month.mo = mo, month.t = t;
    month.d0 = d0;
    month.d1 = month_start(ny, nm);
    month.month_days = month.d1.days - d0.days;
    month.academic_year = mo >= 9 ? y : y - 1;
    month.window = month.d1 > cfg.start;
    month.ref = s.reference_person(d0);
    if (month.ref == npos32 || d0 >= hh.ends) {
      if (d0 >= hh.ends) break;
      mo = nm, y = ny;
      continue;
    }

    // ---- latent process ---------------------------------------------------------------------
    s.z = 0.9 * s.z + 0.8 * std::sqrt(1 - 0.81) * s.rng.normal();
    s.shock *= 0.85;
    while (move_index < hh.moves.size() && hh.moves[move_index].from < month.d1) {
      month.moved = true;
      month.moved_on = std::max(hh.moves[move_index].from, d0);  // the day of this month's (last) move
      ++move_index;
    }
    if (month.moved) s.shock += 0.6;
    month.x = hh.risk - 0.2 + s.z + s.shock + (s.da ? 0.7 : 0.0);

    if (month.window && d0 >= cfg.start) {
      rc.household_years += 1.0 / 12;
      for (const auto& m : s.members) {
        if (!s.resident(m, d0)) continue;
        const int a = age_at(pop.persons[m.id], d0);
        rc.person_years += 1.0 / 12;
        if (a < 18) rc.child_years += 1.0 / 12;
        if (a >= 10 && a < 18) rc.youth_years += 1.0 / 12;
      }
      if (s.social) rc.social_tenant_years += 1.0 / 12;
    }

    // ---- registers at the start of the period -----------------------------------------------
    if (first_month && month.window) {
      for (const auto& m : s.members) {
        const Person& p = pop.persons[m.id];
        if (p.household != h) continue;  // registered where they end up
        const Date known = p.joined > cfg.start ? p.joined : Date{std::max(p.dob.days, cfg.start.days - 1 - static_cast<std::int32_t>(s.rng.below(3650)))};
        auto& e = s.emit(StreamId::person_register, m.id, known);
        e.code[0] = p.joined > cfg.start ? 1 : 0;
      }
      first_month = false;
    }

    // ---- household streams, in the order of their draws ----------------------------------------
    simulate_tenancy(s, month);
    simulate_work_and_benefits(s, month);
    simulate_domestic_abuse(s, month);
    month.x = hh.risk - 0.2 + s.z + s.shock + (s.da ? 0.7 : 0.0);
    simulate_council_tax(s, month);
    simulate_rent_arrears(s, month);
    simulate_homelessness(s, month);

    // ---- persons ---------------------------------------------------------------------------------
    for (auto& m : s.members) {
      const Person& p = pop.persons[m.id];
      if (!s.resident(m, d0)) continue;
      const PersonMonth pm{p, age_at(p, d0), month.x, p.sex == Sex::male};
      simulate_school(s, month, m, pm);
      simulate_social_care(s, month, m, pm);
      simulate_asb(s, month, m, pm);
      simulate_youth_offending(s, month, m, pm);
      simulate_adult_social_care(s, month, m, pm);
      simulate_ae(s, month, m, pm);
      simulate_substance_misuse(s, month, m, pm);
      simulate_mental_health(s, month, m, pm);
    }
    if (cfg.early_help) record_needs(s, month);
    mo = nm, y = ny;
  }
  assign_placements(ev, pop, h);  // draws from its own stream only
  if (cfg.early_help) simulate_early_help(s);  // likewise


  // ---- outcomes at the as-of dates -------------------------------------------------------------
  auto any_in = [](const std::vector<Date>& ds, Date from, int days) {
    for (auto d : ds)
      if (d > from && d.days <= from.days + days) return true;
    return false;
  };
  for (const Date as_of : as_of_dates(cfg)) {
    const std::uint32_t refp = s.reference_person(as_of);
    if (refp == npos32) continue;
    s.out.outcomes.push_back({refp, Domain::homelessness, as_of, static_cast<std::uint8_t>(any_in(s.duty_dates, as_of, 183))});
    s.out.outcomes.push_back({refp, Domain::debt, as_of, static_cast<std::uint8_t>(any_in(s.debt_dates, as_of, 183))});
    for (const auto& m : s.members) {
      if (!s.resident(m, as_of)) continue;
      const int age = age_at(pop.persons[m.id], as_of);
      if (age < 18 && as_of.days + 273 <= cfg.end.days) {
        // Eligible only when not already in an episode on the as-of date.
        bool open = false;
        for (const auto& e : ev)
          if (e.stream == StreamId::social_care_episodes && e.person == m.id && e.date <= as_of && (e.end == no_date || e.end >= as_of)) open = true;
        if (!open)
          s.out.outcomes.push_back({m.id, Domain::safeguarding, as_of, static_cast<std::uint8_t>(any_in(m.safeguarding_starts, as_of, 273))});
      }
      if (age >= 10 && age < 65)
        s.out.outcomes.push_back({m.id, Domain::asb, as_of, static_cast<std::uint8_t>(any_in(m.asb_dates, as_of, 183))});
    }
  }
  // Episodes that closed before the period are not in the extract.
  ev.erase(std::remove_if(ev.begin(), ev.end(), [&](const Event& e) {
             return e.date > cfg.end || (e.stream == StreamId::social_care_episodes && e.end != no_date && e.end < cfg.start) ||
                    (e.stream == StreamId::housing_tenancy && e.end != no_date && e.end < cfg.start) ||
                    (e.stream == StreamId::early_help_episodes && e.end != no_date && e.end < cfg.start);
           }),
           ev.end());
  for (auto& e : ev)
    if (e.end != no_date && e.end > cfg.end) {
      e.end = no_date;
      if (e.stream == StreamId::early_help_episodes) e.code[0] = 255;  // still open: no closure yet
    }
  if (counters) *counters = rc;
  return std::move(s.out);
}

}  // namespace earlyhelp::synth
