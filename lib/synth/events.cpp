// SPDX-License-Identifier: Apache-2.0
// The latent-risk process and every event stream of the synthetic council (events.hpp explains
// the model). One household is simulated month by month from two years before the start (a
// burn-in, so open episodes and arrears exist on day one) to the end date.
//
// Meaning of Event::code / num / amount per stream (the record writer relies on these):
//   person_register           date = known since; code[0] = 1 if the person moved in mid-period
//   school_attendance         date = term end; code[0] term (0 autumn, 1 spring, 2 summer);
//                             code[1] FSM; code[2] SEN (0 none, 1 support, 2 EHC plan);
//                             num = {possible, authorised, unauthorised sessions};
//                             amount[0] = school URN
//   school_exclusions         code[0] 0 suspension / 1 permanent; code[1] reason; amount[0] days;
//                             amount[1] school URN
//   social_care_contacts      code[0] source; code[1] concern; code[2] outcome
//   social_care_episodes      code[0] 0 CIN / 1 CPP / 2 LAC; code[1] need; code[2] abuse;
//                             code[3] legal status; date..end
//   police_domestic_abuse     num[0] incident number; code[0] role; code[1] risk; code[2] crime
//   asb_incidents             num[0] incident number; code[0] role; code[1] type; code[2] action
//   youth_offending           code[0] offence type; code[1] gravity; code[2] outcome
//   housing_tenancy           num[0] tenancy number; code[0] tenure type; code[1] bedrooms;
//                             code[2] household size; date..end; num[1] address
//   rent_arrears              num[0] tenancy number; amount = {balance, weekly rent};
//                             code[0] recovery action; num[1] address
//   homelessness_applications code[0] reason; code[1] duty; code[2] outcome;
//                             code[3] household type; num[1] priority need
//   council_tax               num[0] account number; code[0] band; code[1] stage; code[2] SPD;
//                             code[3] CTR; amount = {liability, arrears}; num[1] address
//   housing_benefit           num[0] claim number; date..end; amount = {HB, CTR weekly};
//                             code[0] passported; code[1] dependants
//   dwp_benefits              code[0] benefit; code[1] work status; code[2] sanction;
//                             code[3] conditionality
//   adult_social_care         code[0] support reason; code[1] service type
//   health_ae                 num[0] minute of day; code[0] arrival; code[1] category; code[2] discharge
//   health_substance_misuse   code[0] substance; code[1] status; code[2] lives with children
//   health_mental_health      code[0] service; code[1] referral source; code[2] contact type
//   social_care_episodes (lac) num[0] placement type (detail/placements.hpp, own random stream)

#include "earlyhelp/synth/events.hpp"

#include "earlyhelp/synth/detail/placements.hpp"
#include "earlyhelp/synth/detail/random.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth {
namespace {

using detail::Rng;

enum Purpose : std::uint64_t { purpose_events = 10, purpose_person_traits = 11 };

// ---- calibrated intercepts (log monthly hazards unless stated) -------------------------------
// Tuned so that the generated rates match base_rates.md (README "Synthetic council" shows both).
struct Calibration {
  double da_onset = -7.6;        // household DA onset
  double da_end = 0.10;          // monthly probability an abusive relationship ends/is disrupted
  double da_notify = 0.2;       // notifications a month while active (grows with duration)
  double job_loss = -5.6;
  double reemploy = 0.06;        // monthly probability
  double referral = -6.33;       // child referral to children's social care
  double contact = -5.9;         // other contacts about a child
  double cin_to_cpp = -4.25;
  double cpp_to_lac = -3.9;
  double cin_exit = 0.125, cpp_exit = 0.11, lac_exit = 0.018;
  double lac_initial = -5.3;      // log share of children already looked after when the burn-in starts
  double absence = -3.2;         // logit of a pupil's absence rate
  double suspension = -4.1;     // per pupil-term (Poisson mean, log)
  double permanent = 0.009;      // share of suspensions that are permanent exclusions
  double asb_perp = -7.5;
  double asb_victim = -8.2;
  double youth_offence = -10.65;
  double youth_reoffence = -3.7;
  double homeless = -7.45;
  double ct_miss = -4.6;         // log monthly hazard of starting to miss council-tax instalments
  double rent_miss = -5.8;       // logit of a short rent month (social tenants)
  double asc = -8.6;
  double ae = -3.65;             // log monthly A&E attendances
  double substance = -8.0;
  double mental_health = -6.4;
};
constexpr Calibration cal{};

double logistic(double v) { return 1.0 / (1.0 + std::exp(-v)); }
double hazard(double log_rate) { return 1.0 - std::exp(-std::exp(log_rate)); }

Date month_start(int year, int month) { return from_civil(year, month, 1); }
Date add_days(Date d, int n) { return Date{d.days + n}; }

// Per-person persistent traits, from the person's own stream (identical in every household the
// person lives in).
struct Traits {
  double attendance = 0;   // > 0: misses more school
  double behaviour = 0;    // > 0: more ASB, offending, exclusions
  double health = 0;       // > 0: more A&E, mental-health contacts
  std::uint8_t sen = 0;
  std::uint32_t primary_urn = 0, secondary_urn = 0;
};

Traits traits_of(const Population& pop, std::uint32_t p) {
  Rng r = Rng::stream(pop.config.seed, purpose_person_traits, p);
  Traits t;
  t.attendance = r.normal();
  t.behaviour = r.normal() + (pop.persons[p].sex == Sex::male ? 0.35 : -0.35);
  t.health = r.normal();
  const double u = r.uniform();
  t.sen = u < 0.025 ? 2 : u < 0.16 ? 1 : 0;
  if (t.sen) t.attendance += 0.4, t.behaviour += 0.3;
  // Schools: a primary and a secondary URN near home (by street), 6 digits.
  const auto street = pop.addresses[pop.households[pop.persons[p].household].moves.front().address].street;
  t.primary_urn = 110000 + (street * 7 + r.below(3)) % 380;
  t.secondary_urn = 140000 + (street * 3 + r.below(2)) % 70;
  return t;
}

struct MemberState {
  std::uint32_t id = 0;
  Traits traits;
  int episode = -1;               // -1 none, 0 CIN, 1 CPP, 2 LAC
  std::size_t episode_event = 0;  // index of the open episode's event
  int last_da_month = -100;
  int last_asb_month = -100;
  int asb_count = 0;
  int offences = 0;
  int substance_end = -1;
  double term_missed = 0, term_possible = 0;
  double year_missed = 0, year_possible = 0;
  int year_terms = 0;
  double last_term_rate = -1;
  std::vector<Date> safeguarding_starts, asb_dates;
};

int age_at(const Person& p, Date d) { return p.age_on(d); }

}  // namespace

std::string_view stream_name(StreamId s) noexcept {
  constexpr std::string_view names[] = {
      "person_register", "school_attendance", "school_exclusions", "social_care_contacts",
      "social_care_episodes", "police_domestic_abuse", "asb_incidents", "youth_offending",
      "housing_tenancy", "rent_arrears", "homelessness_applications", "council_tax",
      "housing_benefit", "dwp_benefits", "adult_social_care", "health_ae",
      "health_substance_misuse", "health_mental_health"};
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
  const Config& cfg = pop.config;
  const Household& hh = pop.households[h];
  HouseholdEvents out;
  RateCounters rc;
  if (hh.n_persons == 0) return out;
  Rng rng = Rng::stream(cfg.seed, purpose_events, h);
  auto& ev = out.events;

  // Members: persons whose household is h at some time.
  std::vector<MemberState> members;
  for (std::uint32_t k = 0; k < hh.n_persons; ++k) {
    MemberState m;
    m.id = hh.first_person + k;
    m.traits = traits_of(pop, m.id);
    members.push_back(std::move(m));
  }
  auto resident = [&](const MemberState& m, Date d) {
    const Person& p = pop.persons[m.id];
    return p.dob <= d && p.household_on(d) == h && d < hh.ends;
  };
  auto in_window = [&](Date d) { return d >= cfg.start && d <= cfg.end; };
  auto emit = [&](StreamId s, std::uint32_t person, Date d) -> Event& {
    Event e;
    e.stream = s;
    e.person = person;
    e.household = h;
    e.date = d;
    ev.push_back(e);
    return ev.back();
  };
  std::int32_t local_counter = 0;
  auto local_ref = [&] { return ++local_counter; };

  // Household-level state.
  const CivilDate sc = to_civil(cfg.start);
  int y = sc.year - 2, mo = sc.month;
  double z = rng.normal(0.0, 0.8), shock = 0.0;
  bool da = false;
  int da_months = 0, da_notifications = 0;
  const bool pensioners = [&] {
    for (const auto& m : members)
      if (pop.persons[m.id].adult && age_at(pop.persons[m.id], cfg.start) < 66) return false;
    return true;
  }();
  bool employed = !pensioners && !rng.bernoulli(logistic(-2.3 + 1.0 * hh.risk));
  int job_loss_month = -100;
  bool on_uc = !employed && !pensioners;
  const bool disability_claim = !pensioners && rng.bernoulli(0.07 + 0.04 * std::max(0.0, hh.risk));
  const std::uint8_t disability_benefit = rng.bernoulli(0.6) ? 4 : 1;  // pip / esa, kept across years
  // Council tax: band by deprivation, Band D 2,100 GBP a year.
  constexpr double band_ratio[] = {6.0 / 9, 7.0 / 9, 8.0 / 9, 1.0, 11.0 / 9, 13.0 / 9, 15.0 / 9, 18.0 / 9};
  const int band = std::clamp(static_cast<int>(std::lround((hh.deprivation_decile - 1) * 0.55 + rng.normal(0.0, 1.0))), 0, 7);
  std::int32_t ct_account = local_ref();
  double ct_arrears = 0, ct_prior = 0;
  bool ct_spell = false;  // a spell of missed instalments (falling behind)
  int ct_stage = 0, ct_stage_months = 0;
  // Rent (social tenants).
  const double weekly_rent = std::clamp(rng.normal(102.0, 14.0), 60.0, 180.0);
  double rent_arrears = 0;
  int rent_stage = 0, rent_stage_months = 0;
  bool eviction_pending = false;
  std::int32_t tenancy = 0;
  std::size_t tenancy_event = 0;
  bool social = hh.tenure == Tenure::social_rent;
  bool in_arrears_this_year = false;
  std::vector<Date> duty_dates, debt_dates;
  int asb_incident_counter = 0;
  bool first_month = true;
  std::size_t move_index = 1;
  int t = 0;

  // The first adult resident on a day: the household's reference person (liable for council tax,
  // the tenant, the claimant), 18 or over when anyone is.
  auto reference_person = [&](Date d) -> std::uint32_t {
    for (const auto& m : members)
      if (pop.persons[m.id].adult && resident(m, d) && age_at(pop.persons[m.id], d) >= 18) return m.id;
    for (const auto& m : members)
      if (resident(m, d) && age_at(pop.persons[m.id], d) >= 18) return m.id;
    for (const auto& m : members)
      if (pop.persons[m.id].adult && resident(m, d)) return m.id;
    for (const auto& m : members)
      if (resident(m, d)) return m.id;
    return npos32;
  };
  auto n_resident = [&](Date d, bool children_only) {
    int n = 0;
    for (const auto& m : members)
      if (resident(m, d) && (!children_only || age_at(pop.persons[m.id], d) < 18)) ++n;
    return n;
  };

  for (;; ++t) {
    const Date d0 = month_start(y, mo);
    // Census day (31 March, checked on 1 April before that month's transitions).
    if (mo == 4 && in_window(Date{d0.days - 1})) {
      const Date census{d0.days - 1};
      bool any = false;
      for (const auto& m : members) {
        if (!resident(m, census)) continue;
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
    const Date d1 = month_start(ny, nm);
    const int month_days = d1.days - d0.days;
    auto day_in_month = [&] { return Date{d0.days + static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(month_days)))}; };
    const bool window = d1 > cfg.start;  // this month overlaps the extract period
    const std::uint32_t ref = reference_person(d0);
    if (ref == npos32 || d0 >= hh.ends) {
      if (d0 >= hh.ends) break;
      mo = nm, y = ny;
      continue;
    }

    // ---- latent process ---------------------------------------------------------------------
    z = 0.9 * z + 0.8 * std::sqrt(1 - 0.81) * rng.normal();
    shock *= 0.85;
    bool moved = false;
    Date moved_on{};  // the day of this month's (last) move
    while (move_index < hh.moves.size() && hh.moves[move_index].from < d1) {
      moved = true;
      moved_on = std::max(hh.moves[move_index].from, d0);
      ++move_index;
    }
    if (moved) shock += 0.6;
    double x = hh.risk - 0.2 + z + shock + (da ? 0.7 : 0.0);

    if (window && d0 >= cfg.start) {
      rc.household_years += 1.0 / 12;
      for (const auto& m : members) {
        if (!resident(m, d0)) continue;
        const int a = age_at(pop.persons[m.id], d0);
        rc.person_years += 1.0 / 12;
        if (a < 18) rc.child_years += 1.0 / 12;
        if (a >= 10 && a < 18) rc.youth_years += 1.0 / 12;
      }
      if (social) rc.social_tenant_years += 1.0 / 12;
    }

    // ---- registers at the start of the period -----------------------------------------------
    if (first_month && window) {
      for (const auto& m : members) {
        const Person& p = pop.persons[m.id];
        if (p.household != h) continue;  // registered where they end up
        const Date known = p.joined > cfg.start ? p.joined : Date{std::max(p.dob.days, cfg.start.days - 1 - static_cast<std::int32_t>(rng.below(3650)))};
        auto& e = emit(StreamId::person_register, m.id, known);
        e.code[0] = p.joined > cfg.start ? 1 : 0;
      }
      first_month = false;
    }

    // ---- tenancy --------------------------------------------------------------------------------
    if (social && (tenancy == 0 || moved) && window) {
      // A tenancy that predates the period began after the tenant's 18th birthday.
      const Date adult_from{pop.persons[ref].dob.days + 6575};
      // A move starts the new tenancy on the day of the move, at the new address.
      const Date start = tenancy == 0 ? Date{std::max(adult_from.days, cfg.start.days - 30 - static_cast<std::int32_t>(rng.below(5000)))}
                                      : moved_on;
      if (tenancy != 0) ev[tenancy_event].end = Date{start.days - 1};
      tenancy = local_ref();
      auto& e = emit(StreamId::housing_tenancy, ref, start);
      e.num[0] = tenancy;
      e.num[1] = static_cast<std::int32_t>(hh.address_on(Date{std::max(start.days, d0.days)}));
      e.code[0] = static_cast<std::uint8_t>(rng.bernoulli(0.9) ? 0 : rng.bernoulli(0.6) ? 1 : 2);
      e.code[2] = static_cast<std::uint8_t>(std::max(1, n_resident(d0, false)));
      e.code[1] = static_cast<std::uint8_t>(std::clamp(e.code[2] - (rng.bernoulli(0.5) ? 1 : 0), 1, 5));
      tenancy_event = ev.size() - 1;
      rent_arrears = std::max(0.0, rent_arrears * 0.2);
    }

    // ---- work and benefits ------------------------------------------------------------------------
    const bool claimant = age_at(pop.persons[ref], d0) >= 16;  // a benefit claim needs someone 16 or over
    if (!pensioners) {
      if (employed && rng.bernoulli(hazard(cal.job_loss + 0.5 * x))) {
        employed = false;
        job_loss_month = t;
        shock += 1.2;
        if (window && in_window(d0) && claimant) {
          auto& e = emit(StreamId::dwp_benefits, ref, day_in_month());
          e.code[0] = 0;  // uc
          e.code[1] = 1;  // out_of_work
          e.code[3] = 0;  // all work-related requirements
        }
        on_uc = true;
      } else if (!employed && rng.bernoulli(cal.reemploy * std::exp(-0.3 * x))) {
        employed = true;
        if (on_uc && window && in_window(d0) && rng.bernoulli(0.5) && claimant) {
          auto& e = emit(StreamId::dwp_benefits, ref, day_in_month());
          e.code[0] = 0;
          e.code[1] = 0;  // in_work
          e.code[3] = 4;  // working enough
        }
        on_uc = false;
      }
    }
    // Annual snapshots of ongoing claims (April) and the first month of the period.
    if ((mo == 4 || (d0.days <= cfg.start.days && d1 > cfg.start)) && in_window(Date{std::max(d0.days, cfg.start.days)})) {
      const Date snap{std::max(d0.days, cfg.start.days)};
      if (on_uc && claimant) {
        auto& e = emit(StreamId::dwp_benefits, ref, snap);
        e.code[0] = 0;
        e.code[1] = employed ? 0 : 1;
        e.code[2] = rng.bernoulli(0.03) ? 1 : 0;
        e.code[3] = employed ? 4 : static_cast<std::uint8_t>(rng.bernoulli(0.7) ? 0 : 3);
      }
      if (disability_claim && claimant) {
        auto& e = emit(StreamId::dwp_benefits, ref, snap);
        e.code[0] = disability_benefit;
        e.code[1] = 2;
        e.code[3] = 5;
      }
      if (pensioners && hh.risk > 0.6 && rng.bernoulli(0.8)) {
        auto& e = emit(StreamId::dwp_benefits, ref, snap);
        e.code[0] = 7;  // pension credit
        e.code[1] = 2;
        e.code[3] = 5;
      }
    }
    // Housing benefit: pensioner renters with low income (claims older than the period).
    if (d0.days <= cfg.start.days && d1 > cfg.start && hh.tenure != Tenure::owner && pensioners && hh.risk > 0.2 && rng.bernoulli(0.6)) {
      auto& e = emit(StreamId::housing_benefit, ref, Date{cfg.start.days - 60 - static_cast<std::int32_t>(rng.below(3000))});
      e.num[0] = local_ref();
      e.amount[0] = static_cast<float>(std::round(weekly_rent * rng.uniform(0.6, 1.0) * 100) / 100);
      e.amount[1] = static_cast<float>(std::round(2100.0 * band_ratio[band] / 52 * 0.8 * 100) / 100);
      e.code[0] = rng.bernoulli(0.5) ? 1 : 0;
    }

    // ---- domestic abuse ---------------------------------------------------------------------
    std::uint32_t victim = npos32, perpetrator = npos32;
    for (const auto& m : members) {
      const Person& p = pop.persons[m.id];
      if (!resident(m, d0) || age_at(p, d0) < 16) continue;
      if (p.sex == Sex::female && victim == npos32) victim = m.id;
      else if (p.sex == Sex::male && perpetrator == npos32) perpetrator = m.id;
    }
    if (!da && victim != npos32 && rng.bernoulli(hazard(cal.da_onset + 0.8 * x))) da = true, da_months = 0;
    else if (da && rng.bernoulli(cal.da_end)) da = false;
    if (da) {
      ++da_months;
      const int n = std::min(3, rng.poisson(cal.da_notify * (1.0 + 0.12 * da_months)));
      for (int k = 0; k < n; ++k) {
        ++da_notifications;
        const Date d = day_in_month();
        const std::uint8_t risk = static_cast<std::uint8_t>(da_notifications >= 4 || rng.bernoulli(0.1) ? 2 : da_notifications >= 2 ? 1 : 0);
        const std::int32_t incident = local_ref();
        if (in_window(d)) rc.da_incidents += 1;
        auto record = [&](std::uint32_t person, std::uint8_t role) {
          if (!in_window(d)) return;
          auto& e = emit(StreamId::police_domestic_abuse, person, d);
          e.num[0] = incident;
          e.code[0] = role;
          e.code[1] = risk;
          e.code[2] = rng.bernoulli(0.58) ? 1 : 0;  // ~58% of police DA records are crimes (ONS)
        };
        record(victim, 0);
        if (perpetrator != npos32 && rng.bernoulli(0.85)) record(perpetrator, 1);
        for (auto& m : members) {
          if (!resident(m, d) || age_at(pop.persons[m.id], d) >= 16 || !rng.bernoulli(0.7)) continue;
          record(m.id, 2);
          m.last_da_month = t;
          // A police notification with a child present goes to children's social care.
          if (rng.bernoulli(0.55) && in_window(d)) {
            auto& c = emit(StreamId::social_care_contacts, m.id, add_days(d, static_cast<int>(rng.below(5))));
            c.code[0] = 3;  // police
            c.code[1] = 0;  // domestic abuse
            const bool refer = m.episode < 0 && rng.bernoulli(logistic(-2.4 + 0.6 * x + 0.5 * risk));
            c.code[2] = refer ? 4 : static_cast<std::uint8_t>(rng.below(4));
            if (refer) m.episode = -2;  // referral: assessed below
          }
        }
      }
    }
    x = hh.risk - 0.2 + z + shock + (da ? 0.7 : 0.0);

    // ---- council tax (April to January instalments) -------------------------------------------
    const int adults_now = [&] {
      int n = 0;
      for (const auto& m : members)
        if (resident(m, d0) && age_at(pop.persons[m.id], d0) >= 18) ++n;
      return n;
    }();
    double liability = 2100.0 * band_ratio[band] * (adults_now <= 1 ? 0.75 : 1.0);
    const bool ctr = (!employed && !pensioners) || (pensioners && hh.risk > 0.6);
    if (ctr) liability *= 0.3;
    liability = std::round(liability * 100) / 100;
    if (mo == 4) ct_prior = ct_arrears;
    auto emit_council_tax = [&](Date d) {
      if (adults_now == 0) return;  // no one liable: every resident is under 18
      auto& e = emit(StreamId::council_tax, ref, d);
      e.num[0] = ct_account;
      e.num[1] = static_cast<std::int32_t>(hh.address_on(d));
      e.code[0] = static_cast<std::uint8_t>(band);
      e.code[1] = static_cast<std::uint8_t>(ct_stage);
      e.code[2] = adults_now <= 1 ? 1 : 0;
      e.code[3] = ctr ? 1 : 0;
      e.amount[0] = static_cast<float>(liability);
      e.amount[1] = static_cast<float>(std::round(ct_arrears * 100) / 100);
    };
    // The account as at the start of the period, and a new account at the new address on the day
    // of each move.
    if (d0.days <= cfg.start.days && d1 > cfg.start) emit_council_tax(Date{std::max(d0.days, cfg.start.days)});
    if (moved) {
      ct_account = local_ref();
      if (moved_on >= cfg.start) emit_council_tax(moved_on);
    }
    const bool instalment_month = mo >= 4 || mo == 1;
    int new_ct_stage = ct_stage;
    if (instalment_month) {
      const double due = liability / 10.0;
      // Falling behind comes in spells: onset rises with stress and a recent job loss.
      if (!ct_spell && rng.bernoulli(hazard(cal.ct_miss + 1.1 * x + (t - job_loss_month < 4 ? 1.2 : 0.0)))) ct_spell = true;
      else if (ct_spell && rng.bernoulli(logistic(-1.6 - 0.5 * x))) ct_spell = false;
      const bool missed = ct_spell && rng.bernoulli(0.75);
      if (window && d0 >= cfg.start) rc.ct_due += due;
      if (missed) {
        ct_arrears += due * rng.uniform(0.5, 1.0);
        if (ct_stage == 0) new_ct_stage = 1;
        else if (ct_stage == 1) new_ct_stage = 2;
      }
      const double paid = due - (missed ? due : 0.0);
      if (window && d0 >= cfg.start) rc.ct_paid += paid;
    }
    // Catching up: more likely at low stress and early stages.
    if (ct_arrears > 0 && rng.bernoulli(logistic(-0.6 - 0.6 * x + (ct_stage >= 4 ? 0.6 : 0.0)))) {
      const double pay = std::min(ct_arrears, liability / 10.0 * rng.uniform(1.0, 3.0));
      ct_arrears -= pay;
      const double to_prior = std::min(ct_prior, pay);
      ct_prior -= to_prior;
      if (window && d0 >= cfg.start) rc.ct_paid += pay - to_prior;  // paid towards this year's bill
      if (ct_arrears < 1.0) ct_arrears = 0, ct_prior = 0, new_ct_stage = 0;
    }
    if (ct_arrears > 0 && ct_stage >= 1 && ct_stage_months >= 1 && new_ct_stage == ct_stage) {
      constexpr double advance[] = {0, 0.25, 0.55, 0.75, 0.45, 0.08, 0};
      if (rng.bernoulli(advance[ct_stage] * std::exp(0.2 * x))) new_ct_stage = ct_stage + 1;
    }
    if (new_ct_stage != ct_stage) {
      if (new_ct_stage >= 4 && ct_stage < 4) debt_dates.push_back(day_in_month());
      ct_stage_months = 0;
      // Clearing the debt is recorded only after formal recovery (summons or later).
      const bool record = new_ct_stage != 0 || ct_stage >= 3;
      ct_stage = new_ct_stage;
      if (record && window && in_window(d0)) emit_council_tax(day_in_month());
    } else {
      ++ct_stage_months;
    }

    // ---- rent arrears (social tenants) ------------------------------------------------------------
    if (social) {
      const double monthly = weekly_rent * 52 / 12;
      if (rng.bernoulli(logistic(cal.rent_miss + 0.9 * x + (t - job_loss_month < 3 ? 1.5 : 0.0))))
        rent_arrears += monthly * rng.uniform(0.3, 1.0);
      if (rent_arrears > 0 && rng.bernoulli(logistic(-0.4 - 0.5 * x)))
        rent_arrears = std::max(0.0, rent_arrears - monthly * rng.uniform(0.3, 1.5));
      if (rent_arrears < 5) rent_arrears = 0;
      if (rent_arrears > 0) in_arrears_this_year = true;
      const double weeks = rent_arrears / weekly_rent;
      int stage = rent_stage;
      if (rent_arrears == 0) stage = 0;
      else if (rent_stage == 0 && weeks >= 2) stage = 1;
      else if (rent_stage == 1 && weeks >= 4 && rent_stage_months >= 1) stage = 2;
      else if (rent_stage == 2 && weeks >= 8 && rent_stage_months >= 2 && rng.bernoulli(0.5)) stage = 3;
      else if (rent_stage == 3 && weeks >= 8 && rent_stage_months >= 3 && rng.bernoulli(0.15)) stage = 4;
      const bool quarter_end = mo == 3 || mo == 6 || mo == 9 || mo == 12;
      if (stage != rent_stage || (quarter_end && rent_arrears > 0)) {
        if (stage == 3 && rent_stage < 3) debt_dates.push_back(day_in_month());
        if (stage == 4) eviction_pending = true;
        if (window && in_window(d0)) {
          const Date on = stage != rent_stage ? day_in_month() : Date{d1.days - 1};
          auto& e = emit(StreamId::rent_arrears, ref, on);
          e.num[0] = tenancy;
          e.num[1] = static_cast<std::int32_t>(hh.address_on(on));
          e.code[0] = static_cast<std::uint8_t>(stage);
          e.amount[0] = static_cast<float>(std::round(rent_arrears * 100) / 100);
          e.amount[1] = static_cast<float>(std::round(weekly_rent * 100) / 100);
        }
      }
      rent_stage_months = stage != rent_stage ? 0 : rent_stage_months + 1;
      rent_stage = stage;
      if (mo == 3 && window && d0 >= cfg.start) {
        if (in_arrears_this_year) rc.social_tenants_in_arrears += 1;
        in_arrears_this_year = false;
      }
    }

    // ---- homelessness -----------------------------------------------------------------------------
    {
      const double lh = cal.homeless + 0.75 * x + (hh.tenure == Tenure::private_rent ? 0.9 : 0.0) + (da ? 1.3 : 0.0) +
                        (eviction_pending ? 2.5 : 0.0);
      if (rng.bernoulli(hazard(lh))) {
        const Date d = day_in_month();
        const int kids = n_resident(d0, true);
        const int adults = n_resident(d0, false) - kids;
        std::uint8_t reason = 8;
        if (da && rng.bernoulli(0.8)) reason = 2;
        else if (eviction_pending) reason = 4;
        else if (hh.tenure == Tenure::private_rent && rng.bernoulli(0.55)) reason = 1;
        else if (rng.bernoulli(0.5)) reason = 0;
        else reason = static_cast<std::uint8_t>(rng.bernoulli(0.5) ? 3 : 8);
        const double u = rng.uniform();
        const std::uint8_t duty = u < 0.12 ? 0 : u < 0.12 + 0.40 ? 1 : 2;
        const bool priority = kids > 0 || rng.bernoulli(0.15);
        if (duty > 0) {
          duty_dates.push_back(d);
          if (in_window(d)) rc.duties += 1;
        }
        if (in_window(d)) {
          auto& e = emit(StreamId::homelessness_applications, ref, d);
          e.code[0] = reason;
          e.code[1] = duty;
          e.code[2] = static_cast<std::uint8_t>(rng.bernoulli(0.4) ? 0 : rng.categorical({0.6, 0.15, 0.1, 0.05, 0.02, 0.03, 0.05}) + 1);
          e.code[3] = static_cast<std::uint8_t>(kids > 0 ? (adults >= 2 ? 2 : 1) : adults == 1 ? 0 : adults == 2 ? 3 : 4);
          e.num[1] = priority ? 1 : 0;
          // Relief for a family in priority need often leads to the main duty a few months later.
          const Date main_date = add_days(d, 56 + static_cast<int>(rng.below(90)));
          if (duty == 2 && priority && rng.bernoulli(0.45) && in_window(main_date)) {
            auto& m = emit(StreamId::homelessness_applications, ref, main_date);
            m.code[0] = reason;
            m.code[1] = 3;
            m.code[2] = static_cast<std::uint8_t>(rng.bernoulli(0.5) ? 0 : 1);
            m.code[3] = ev[ev.size() - 2].code[3];
            m.num[1] = 1;
            if (social || rng.bernoulli(0.5)) {  // temporary accommodation
              auto& ta = emit(StreamId::housing_tenancy, ref, add_days(main_date, 3));
              ta.num[0] = local_ref();
              ta.num[1] = static_cast<std::int32_t>(hh.address_on(main_date));
              ta.code[0] = 3;
              ta.code[2] = static_cast<std::uint8_t>(std::max(1, kids + adults));
              ta.code[1] = static_cast<std::uint8_t>(std::clamp(kids, 1, 4));
              ta.end = add_days(main_date, 60 + static_cast<int>(rng.below(300)));
              if (ta.end > cfg.end) ta.end = no_date;
            }
          }
        }
        shock += 0.8;
        eviction_pending = false;
      }
    }

    // ---- persons ---------------------------------------------------------------------------------
    const int academic_year = mo >= 9 ? y : y - 1;
    for (auto& m : members) {
      const Person& p = pop.persons[m.id];
      if (!resident(m, d0)) continue;
      const int age = age_at(p, d0);
      const double xp = x;  // persons share the household's stress; their traits add to it below
      const bool male = p.sex == Sex::male;

      // School (compulsory age on 1 September: 5 to 15).
      const int age_sept = age_at(p, month_start(academic_year, 9));
      const bool pupil = age_sept >= 4 && age_sept <= 15 && !p.upn.empty();
      if (pupil && mo != 8) {
        const double days = month_days * (mo == 12 ? 0.6 : mo == 4 ? 0.7 : mo == 7 ? 0.65 : 1.0);
        const double possible = std::round(days * 2 * 5 / 7);
        const double rate = logistic(cal.absence + 0.75 * m.traits.attendance + 0.45 * xp + (age >= 12 ? 0.35 : 0.0) +
                                     (m.last_da_month > t - 3 ? 0.5 : 0.0) + rng.normal(0.0, 0.25));
        m.term_possible += possible;
        m.term_missed += std::round(possible * rate);
        const bool term_end = mo == 12 || mo == 3 || mo == 7;
        if (term_end) {
          const Date end_date = mo == 12 ? from_civil(y, 12, 20) : mo == 3 ? from_civil(y, 3, 31) : from_civil(y, 7, 21);
          const std::uint8_t term = static_cast<std::uint8_t>(mo == 12 ? 0 : mo == 3 ? 1 : 2);
          const int missed = static_cast<int>(m.term_missed);
          const double unauth_share = std::clamp(0.25 + 0.12 * xp + 0.1 * m.traits.attendance, 0.05, 0.9);
          const int unauth = static_cast<int>(std::lround(missed * unauth_share));
          if (in_window(end_date) && m.term_possible > 0) {
            auto& e = emit(StreamId::school_attendance, m.id, end_date);
            e.code[0] = term;
            e.code[1] = (on_uc || !employed) && !pensioners ? 1 : 0;
            e.code[2] = m.traits.sen;
            e.num = {static_cast<std::int32_t>(m.term_possible), missed - unauth, unauth};
            e.amount[0] = static_cast<float>(age_sept >= 11 ? m.traits.secondary_urn : m.traits.primary_urn);
          }
          m.last_term_rate = m.term_possible > 0 ? m.term_missed / m.term_possible : -1;
          if (in_window(end_date)) {
            m.year_missed += m.term_missed;
            m.year_possible += m.term_possible;
            ++m.year_terms;
          }
          if (term == 2) {
            if (m.year_terms == 3 && age_sept >= 5) {
              rc.pupils_year += 1;
              if (m.year_missed >= 0.1 * m.year_possible) rc.persistent_absentees += 1;
            }
            m.year_missed = m.year_possible = 0;
            m.year_terms = 0;
          }
          m.term_missed = m.term_possible = 0;
          // Suspensions during the term.
          const int n_susp = rng.poisson(std::exp(cal.suspension + 0.8 * m.traits.behaviour + 0.45 * xp + (age >= 11 ? 0.9 : -0.8)));
          for (int k = 0; k < std::min(n_susp, 4); ++k) {
            const Date d = Date{end_date.days - static_cast<std::int32_t>(rng.below(70))};
            const bool permanent = rng.bernoulli(cal.permanent * std::exp(0.3 * m.traits.behaviour));
            if (!in_window(d)) continue;
            if (permanent) rc.permanent_exclusions += 1;
            else rc.suspensions += 1;
            auto& e = emit(StreamId::school_exclusions, m.id, d);
            e.code[0] = permanent ? 1 : 0;
            constexpr double reasons[] = {0.14, 0.1, 0.06, 0.12, 0.02, 0.02, 0.02, 0.05, 0.03, 0.01, 0.33, 0.03, 0.02, 0.05};
            e.code[1] = static_cast<std::uint8_t>(rng.categorical(reasons));
            e.amount[0] = permanent ? 0.0f : static_cast<float>(rng.between(1, 5) - (rng.bernoulli(0.2) ? 0.5 : 0.0));
            e.amount[1] = static_cast<float>(age_sept >= 11 ? m.traits.secondary_urn : m.traits.primary_urn);
            if (permanent) break;
          }
        }
      }

      // Children's social care.
      if (age < 18) {
        if (t == 0 && m.episode == -1 && rng.bernoulli(hazard(cal.lac_initial + 0.8 * xp))) {
          // Looked-after episodes last years: start the burn-in with the stock already in care.
          const Date d{std::max(p.dob.days, d0.days - static_cast<std::int32_t>(rng.below(1800)))};
          auto& e = emit(StreamId::social_care_episodes, m.id, d);
          e.code[0] = 2;
          e.code[1] = 0;
          e.code[3] = static_cast<std::uint8_t>(rng.categorical({0.0, 0.3, 0.35, 0.25, 0.05, 0.02, 0.02, 0.01}));
          m.episode = 2;
          m.episode_event = ev.size() - 1;
        }
        if (m.episode == -1) {
          const double attendance_falling = m.last_term_rate > 0.12 ? 0.5 : 0.0;
          const double lr = cal.referral + 0.9 * xp + (m.last_da_month > t - 3 ? 1.0 : 0.0) + attendance_falling + (age < 1 ? 0.7 : 0.0);
          const double lc = cal.contact + 0.6 * xp + attendance_falling;
          const bool refer = rng.bernoulli(hazard(lr));
          if (refer || rng.bernoulli(hazard(lc))) {
            const Date d = day_in_month();
            if (in_window(d)) {
              auto& c = emit(StreamId::social_care_contacts, m.id, d);
              constexpr double sources[] = {0.08, 0.2, 0.15, 0.28, 0.05, 0.12, 0.03, 0.02, 0.07};
              c.code[0] = static_cast<std::uint8_t>(rng.categorical(sources));
              constexpr double concerns[] = {0.2, 0.2, 0.1, 0.1, 0.04, 0.1, 0.07, 0.08, 0.03, 0.03, 0.05};
              c.code[1] = static_cast<std::uint8_t>(rng.categorical(concerns));
              c.code[2] = refer ? 4 : static_cast<std::uint8_t>(rng.below(4));
            }
            if (refer) m.episode = -2;
          }
        }
        if (m.episode == -2) {  // referred: assessment decides whether the child is in need
          const Date d = add_days(day_in_month(), 0);
          if (in_window(d)) rc.referrals += 1;
          if (rng.bernoulli(0.72)) {
            auto& e = emit(StreamId::social_care_episodes, m.id, d);
            e.code[0] = 0;
            e.code[1] = static_cast<std::uint8_t>(m.last_da_month > t - 3 ? 0 : rng.categorical({0.5, 0.05, 0.04, 0.1, 0.14, 0.03, 0.01, 0.05, 0.0}));
            e.code[3] = 0;
            m.episode = 0;
            m.episode_event = ev.size() - 1;
            m.safeguarding_starts.push_back(d);
          } else {
            m.episode = -1;
          }
        } else if (m.episode >= 0) {
          const int type = m.episode;
          double p_exit = type == 0 ? cal.cin_exit : type == 1 ? cal.cpp_exit : cal.lac_exit;
          int next = type;
          if (type == 0 && rng.bernoulli(hazard(cal.cin_to_cpp + 0.5 * xp + (m.last_da_month > t - 3 ? 0.6 : 0.0)))) next = 1;
          else if (type == 1 && rng.bernoulli(hazard(cal.cpp_to_lac + 0.5 * xp))) next = 2;
          else if (rng.bernoulli(p_exit)) next = (type == 1 && rng.bernoulli(0.5)) ? 0 : -1;
          if (next != type) {
            const Date d = day_in_month();
            ev[m.episode_event].end = d;
            if (next >= 0) {
              auto& e = emit(StreamId::social_care_episodes, m.id, Date{d.days + 1});
              e.code[0] = static_cast<std::uint8_t>(next);
              e.code[1] = 0;
              e.code[2] = static_cast<std::uint8_t>(rng.categorical({0.5, 0.08, 0.35, 0.04, 0.03}));
              e.code[3] = static_cast<std::uint8_t>(next == 2 ? rng.categorical({0.0, 0.3, 0.35, 0.25, 0.05, 0.02, 0.02, 0.01}) : 0);
              m.episode_event = ev.size() - 1;
            }
            m.episode = next;
          }
        }
      } else if (m.episode >= 0) {  // turned 18: the episode closes
        ev[m.episode_event].end = d0;
        m.episode = -1;
      }

      // ASB (perpetrators aged 10-64; victims adults).
      if (age >= 10 && age < 65) {
        const double age_term = age < 14 ? -0.3 : age < 25 ? 0.6 : age < 40 ? 0.0 : -0.8;
        if (rng.bernoulli(hazard(cal.asb_perp + 0.6 * xp + 0.9 * m.traits.behaviour + age_term + (male ? 0.5 : -0.3)))) {
          const Date d = day_in_month();
          ++m.asb_count;
          m.last_asb_month = t;
          m.asb_dates.push_back(d);
          if (in_window(d)) {
            rc.asb_perpetrator_incidents += 1;
            auto& e = emit(StreamId::asb_incidents, m.id, d);
            e.num[0] = ++asb_incident_counter;
            e.code[0] = 0;
            e.code[1] = static_cast<std::uint8_t>(rng.categorical({0.2, 0.2, 0.1, 0.12, 0.06, 0.12, 0.08, 0.04, 0.08}));
            e.code[2] = static_cast<std::uint8_t>(std::min(7, std::max(0, m.asb_count - 1 + (rng.bernoulli(0.3) ? 1 : 0))));
          }
        }
        if (age >= 18 && rng.bernoulli(hazard(cal.asb_victim + 0.3 * xp))) {
          const Date d = day_in_month();
          if (in_window(d)) {
            auto& e = emit(StreamId::asb_incidents, m.id, d);
            e.num[0] = ++asb_incident_counter;
            e.code[0] = static_cast<std::uint8_t>(rng.bernoulli(0.8) ? 1 : 2);
            e.code[1] = static_cast<std::uint8_t>(rng.categorical({0.3, 0.25, 0.1, 0.05, 0.05, 0.15, 0.05, 0.03, 0.02}));
            e.code[2] = 0;
          }
        }
      }
      // Youth offending (10-17).
      // Once known, children reoffend far more often (YJB: about a third within a year).
      const double offence_rate = m.offences > 0
                                      ? cal.youth_reoffence + 0.5 * xp + 0.5 * m.traits.behaviour
                                      : cal.youth_offence + 0.8 * xp + 1.0 * m.traits.behaviour + (male ? 0.7 : -0.5) +
                                            (m.last_asb_month > t - 6 ? 1.0 : 0.0);
      if (age >= 10 && age < 18 && rng.bernoulli(hazard(offence_rate))) {
        const Date d = day_in_month();
        ++m.offences;
        if (in_window(d)) {
          if (m.offences == 1) rc.first_time_entrants += 1;
          auto& e = emit(StreamId::youth_offending, m.id, d);
          e.code[0] = static_cast<std::uint8_t>(rng.categorical({0.3, 0.05, 0.12, 0.05, 0.1, 0.12, 0.05, 0.08, 0.03, 0.05, 0.05}));
          e.code[1] = static_cast<std::uint8_t>(std::clamp(2 + m.offences / 2 + static_cast<int>(rng.below(3)), 1, 8));
          const int outcome_code = std::min(6, m.offences + static_cast<int>(rng.below(2)));
          e.code[2] = static_cast<std::uint8_t>(outcome_code);
        }
      }
      // Adult social care.
      if (age >= 18 && rng.bernoulli(hazard(cal.asc + 0.075 * std::max(0, age - 60) + 0.3 * xp))) {
        const Date d = day_in_month();
        if (in_window(d)) {
          auto& e = emit(StreamId::adult_social_care, m.id, d);
          e.code[0] = static_cast<std::uint8_t>(age >= 65 ? rng.categorical({0.55, 0.05, 0.15, 0.02, 0.05, 0.13, 0.05})
                                                          : rng.categorical({0.25, 0.04, 0.05, 0.2, 0.3, 0.11, 0.05}));
          e.code[1] = static_cast<std::uint8_t>(rng.categorical({0.1, 0.3, 0.2, 0.2, 0.06, 0.03, 0.06, 0.05}));
        }
      }
      // A&E: young children, young adults and the old attend most.
      {
        const double age_term = age < 5 ? 0.5 : age < 15 ? -0.2 : age < 25 ? 0.3 : age < 65 ? 0.0 : age < 80 ? 0.25 : 0.8;
        const int n = std::min(3, rng.poisson(std::exp(cal.ae + 0.25 * xp + 0.3 * m.traits.health + age_term)));
        for (int k = 0; k < n; ++k) {
          const Date d = day_in_month();
          if (!in_window(d)) continue;
          rc.ae_attendances += 1;
          auto& e = emit(StreamId::health_ae, m.id, d);
          e.num[0] = static_cast<std::int32_t>(rng.below(1440));
          e.code[0] = static_cast<std::uint8_t>(rng.categorical({0.25, 0.7, 0.02, 0.03}));
          const bool assault = da && (m.id == victim) && rng.bernoulli(0.2);
          const double sh = (age >= 12 && age < 30) ? 0.04 * std::exp(0.5 * xp) : 0.01;
          e.code[1] = static_cast<std::uint8_t>(assault ? 4 : rng.bernoulli(sh) ? 1 : rng.categorical({0.35, 0.0, 0.03, 0.02, 0.02, 0.03, 0.45, 0.1}));
          e.code[2] = static_cast<std::uint8_t>(rng.categorical({0.65, 0.22, 0.08, 0.05}));
        }
      }
      // Substance misuse treatment (18-64): referral, treatment, exit.
      if (age >= 18 && age < 65 && m.substance_end < t &&
          rng.bernoulli(hazard(cal.substance + 0.8 * xp + (male ? 0.5 : -0.3)))) {
        const Date d = day_in_month();
        const std::uint8_t substance = static_cast<std::uint8_t>(rng.categorical({0.25, 0.1, 0.1, 0.15, 0.38, 0.01, 0.005, 0.005}));
        const int length = 1 + rng.geometric(0.15);
        m.substance_end = t + length;
        const std::uint8_t kids = n_resident(d0, true) > 0 ? 1 : 0;
        const Date dates[3] = {d, add_days(d, 14 + static_cast<int>(rng.below(30))), add_days(d, 30 * length)};
        const std::uint8_t status[3] = {0, 1, static_cast<std::uint8_t>(rng.bernoulli(0.5) ? 2 : 3)};
        for (int k = 0; k < 3; ++k) {
          if (!in_window(dates[k])) continue;
          auto& e = emit(StreamId::health_substance_misuse, m.id, dates[k]);
          e.code = {substance, status[k], kids, 0};
        }
      }
      // Mental health (10+): referral then assessment and treatment contacts.
      if (age >= 10 && rng.bernoulli(hazard(cal.mental_health + 0.5 * xp + 0.3 * m.traits.health + (p.sex == Sex::female ? 0.2 : -0.1)))) {
        const Date d = day_in_month();
        std::uint8_t service = static_cast<std::uint8_t>(age < 18 ? 0 : rng.categorical({0.0, 0.45, 0.1, 0.38, 0.0, 0.03, 0.04}));
        const int n_contacts = 1 + static_cast<int>(rng.below(4));
        for (int k = 0; k < n_contacts; ++k) {
          const Date dk = add_days(d, k * (14 + static_cast<int>(rng.below(21))));
          if (!in_window(dk)) continue;
          auto& e = emit(StreamId::health_mental_health, m.id, dk);
          e.code[0] = service;
          e.code[1] = static_cast<std::uint8_t>(age < 18 ? rng.categorical({0.4, 0.3, 0.05, 0.1, 0.1, 0.02, 0.03})
                                                         : rng.categorical({0.55, 0.0, 0.25, 0.1, 0.03, 0.04, 0.03}));
          e.code[2] = static_cast<std::uint8_t>(k == 0 ? 0 : k == n_contacts - 1 && k > 1 ? 3 : k == 1 ? 1 : 2);
        }
      }
    }
    mo = nm, y = ny;
  }
  detail::assign_placements(ev, pop, h);  // draws from its own stream only

  // ---- outcomes at the as-of dates -------------------------------------------------------------
  auto any_in = [](const std::vector<Date>& ds, Date from, int days) {
    for (auto d : ds)
      if (d > from && d.days <= from.days + days) return true;
    return false;
  };
  for (const Date as_of : as_of_dates(cfg)) {
    const std::uint32_t refp = reference_person(as_of);
    if (refp == npos32) continue;
    out.outcomes.push_back({refp, Domain::homelessness, as_of, static_cast<std::uint8_t>(any_in(duty_dates, as_of, 183))});
    out.outcomes.push_back({refp, Domain::debt, as_of, static_cast<std::uint8_t>(any_in(debt_dates, as_of, 183))});
    for (const auto& m : members) {
      if (!resident(m, as_of)) continue;
      const int age = age_at(pop.persons[m.id], as_of);
      if (age < 18 && as_of.days + 273 <= cfg.end.days) {
        // Eligible only when not already in an episode on the as-of date.
        bool open = false;
        for (const auto& e : ev)
          if (e.stream == StreamId::social_care_episodes && e.person == m.id && e.date <= as_of && (e.end == no_date || e.end >= as_of)) open = true;
        if (!open)
          out.outcomes.push_back({m.id, Domain::safeguarding, as_of, static_cast<std::uint8_t>(any_in(m.safeguarding_starts, as_of, 273))});
      }
      if (age >= 10 && age < 65)
        out.outcomes.push_back({m.id, Domain::asb, as_of, static_cast<std::uint8_t>(any_in(m.asb_dates, as_of, 183))});
    }
  }
  // Episodes that closed before the period are not in the extract.
  ev.erase(std::remove_if(ev.begin(), ev.end(), [&](const Event& e) {
             return e.date > cfg.end || (e.stream == StreamId::social_care_episodes && e.end != no_date && e.end < cfg.start) ||
                    (e.stream == StreamId::housing_tenancy && e.end != no_date && e.end < cfg.start);
           }),
           ev.end());
  for (auto& e : ev)
    if (e.end != no_date && e.end > cfg.end) e.end = no_date;
  if (counters) *counters = rc;
  return out;
}

}  // namespace earlyhelp::synth
