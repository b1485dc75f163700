// SPDX-License-Identifier: Apache-2.0
// The synthetic county: streets and addresses, planned households, then persons filled in
// parallel from per-household random streams (see include/earlyhelp/synth/population.hpp).

#include "earlyhelp/synth/population.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/synth/detail/random.hpp"
#include "earlyhelp/synth/detail/tables.hpp"
#include "synth/purposes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <utility>

namespace earlyhelp::synth {
namespace {

using detail::Rng;

// Purposes of the derived random streams (never reuse a number for a new purpose).

constexpr std::string_view postcode_unit_letters = "ABDEFGHJLNPQRSTUWXYZ";  // 20 letters


// ---- county layout -------------------------------------------------------------------------
void build_county(Population& pop, std::size_t n_addresses, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, detail::purpose_streets);
  std::size_t n_towns = 0;
  const detail::Town* towns = detail::towns(n_towns);
  const auto stems = detail::street_stems();
  const auto suffixes = detail::street_suffixes();
  // Next free unit index per (area, district) and sector, so every unit postcode is unique even
  // where two towns share a district.
  std::map<std::string, std::array<int, 10>> next_unit;
  std::vector<double> street_score;
  for (std::size_t t = 0; t < n_towns; ++t) {
    const auto& town = towns[t];
    const auto target = static_cast<std::size_t>(std::ceil(town.weight * static_cast<double>(n_addresses)));
    std::size_t made = 0;
    std::set<std::string> names;
    while (made < target) {
      Street st;
      st.town = static_cast<std::uint16_t>(t);
      st.urban = std::clamp(town.urban + rng.normal(0.0, 0.15), 0.0, 1.0);
      for (int attempt = 0; attempt < 50; ++attempt) {
        st.name = fmt::format("{} {}", stems[rng.below(static_cast<std::uint32_t>(stems.size))],
                              suffixes[rng.below(static_cast<std::uint32_t>(suffixes.size))]);
        if (names.insert(st.name).second) break;
        if (attempt == 49) st.name = fmt::format("{} {}", st.name, names.size());  // "Mill Lane 2" is rare but unique
      }
      const bool flats = rng.bernoulli(0.12 + 0.2 * st.urban);
      const int n_numbers = flats ? rng.between(2, 10) : rng.between(8, 90);
      const auto street_index = static_cast<std::uint32_t>(pop.streets.size());
      // Postcode units: ~15 consecutive addresses share one.
      int district = town.first_district + static_cast<int>(rng.below(static_cast<std::uint32_t>(town.n_districts)));
      int sector = static_cast<int>(rng.below(10));
      int in_unit = 99;
      std::string unit;
      auto new_unit = [&] {
        auto& sectors = next_unit.try_emplace(fmt::format("{}{}", town.area, district), std::array<int, 10>{}).first->second;
        auto& counter = sectors[static_cast<std::size_t>(sector)];
        if (counter >= 400) {  // sector full: move to the next sector
          sector = (sector + 1) % 10;
          return false;
        }
        const int u = counter++;
        unit = fmt::format("{}{} {}{}{}", town.area, district, sector,
                           postcode_unit_letters[static_cast<std::size_t>(u / 20)],
                           postcode_unit_letters[static_cast<std::size_t>(u % 20)]);
        in_unit = 0;
        return true;
      };
      for (int number = 1; number <= n_numbers; ++number) {
        const int n_flats = flats ? rng.between(4, 16) : (rng.bernoulli(0.04) ? rng.between(2, 3) : 0);
        for (int f = (n_flats > 0 ? 1 : 0); f <= n_flats; ++f) {
          if (in_unit >= 15) {
            for (int tries = 0; tries < 10 && !new_unit(); ++tries) {
            }
          }
          ++in_unit;
          Address a;
          a.house_number = number;
          a.flat = f;
          a.street = street_index;
          a.postcode = unit;
          pop.addresses.push_back(std::move(a));
          ++made;
        }
      }
      street_score.push_back(-1.6 * st.urban + rng.normal());
      pop.streets.push_back(std::move(st));
    }
  }
  // Deprivation deciles: rank streets by score, cut by cumulative share of addresses.
  std::vector<std::size_t> count(pop.streets.size(), 0);
  for (const auto& a : pop.addresses) ++count[a.street];
  std::vector<std::size_t> order(pop.streets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return street_score[a] < street_score[b]; });
  std::size_t cum = 0;
  for (std::size_t i : order) {
    const double mid = (static_cast<double>(cum) + 0.5 * static_cast<double>(count[i])) / static_cast<double>(pop.addresses.size());
    pop.streets[i].deprivation_decile = static_cast<std::uint8_t>(std::clamp(1 + static_cast<int>(mid * 10.0), 1, 10));
    cum += count[i];
  }
  // UPRNs: increasing with small gaps, 12 digits.
  std::uint64_t uprn = 100090000000ULL;
  for (auto& a : pop.addresses) {
    uprn += 1 + rng.below(4);
    a.uprn = uprn;
  }
}

// ---- household plan (sequential, cheap) ------------------------------------------------------
struct Plan {
  HouseholdType type;
  int adults;
  int children;
  bool joiner_in_period;  // step-family partner joins during the period from a prior household
};

// Census-2021-like shares of household types (England & Wales, ONS TS003), shaped so the mean
// household size is about 2.4.
constexpr double type_weights[] = {0.27, 0.25, 0.22, 0.075, 0.03, 0.09, 0.04, 0.025};

Plan draw_plan(Rng& rng) {
  Plan p{static_cast<HouseholdType>(rng.categorical(type_weights)), 1, 0, false};
  constexpr double kids[] = {0.40, 0.40, 0.15, 0.05};
  switch (p.type) {
    case HouseholdType::one_person: break;
    case HouseholdType::couple: p.adults = 2; break;
    case HouseholdType::couple_children: p.adults = 2; p.children = 1 + static_cast<int>(rng.categorical(kids)); break;
    case HouseholdType::lone_parent: p.children = 1 + static_cast<int>(rng.categorical(kids)); break;
    case HouseholdType::step_family:
      p.adults = 2;
      p.children = 2 + static_cast<int>(rng.categorical(kids));
      p.joiner_in_period = rng.bernoulli(0.5);
      break;
    case HouseholdType::adult_children: p.adults = 2 - (rng.bernoulli(0.3) ? 1 : 0); p.children = 1 + (rng.bernoulli(0.35) ? 1 : 0); break;
    case HouseholdType::sharers: p.adults = 2 + static_cast<int>(rng.below(3)); break;
    case HouseholdType::multigenerational: p.adults = 3 + (rng.bernoulli(0.5) ? 1 : 0); p.children = 1 + static_cast<int>(rng.below(3)); break;
    case HouseholdType::prior: break;
  }
  return p;
}

// ---- identifiers -----------------------------------------------------------------------------
std::string make_nhs_number(Rng& rng) {
  for (;;) {
    std::array<int, 10> d{};
    d[0] = 4 + static_cast<int>(rng.below(3));
    for (std::size_t i = 1; i < 9; ++i) d[i] = static_cast<int>(rng.below(10));
    int sum = 0;
    for (std::size_t i = 0; i < 9; ++i) sum += d[i] * static_cast<int>(10 - i);
    const int check = 11 - sum % 11;
    if (check == 10) continue;
    d[9] = check == 11 ? 0 : check;
    std::string s(10, '0');
    for (std::size_t i = 0; i < 10; ++i) s[i] = static_cast<char>('0' + d[i]);
    return s;
  }
}

constexpr std::string_view upn_check_letters = "ABCDEFGHJKLMNPQRTUVWXYZ";  // 23 letters

char upn_check(std::string_view body12) {
  int sum = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    const char c = body12[i];
    int v = 0;
    if (c >= '0' && c <= '9') v = c - '0';
    else {
      const auto pos = upn_check_letters.find(c);
      v = pos == std::string_view::npos ? 0 : static_cast<int>(pos);
    }
    sum += v * static_cast<int>(i + 2);
  }
  return upn_check_letters[static_cast<std::size_t>(sum % 23)];
}

std::string make_upn(Rng& rng, int entry_year) {
  // LA code 881 (an Essex-like county), a school number, the entry year, a serial.
  std::string body = fmt::format("881{:04}{:02}{:03}", 2000 + rng.below(600), entry_year % 100, rng.below(1000));
  return std::string(1, upn_check(body)) + body;
}

std::string make_ni_number(Rng& rng) {
  constexpr std::string_view first = "ABCEGHJKLMNOPRSTWXYZ";
  constexpr std::string_view second = "ABCEGHJKLMNPRSTWXYZ";
  constexpr std::string_view suffix = "ABCD";
  for (;;) {
    const char a = first[rng.below(static_cast<std::uint32_t>(first.size()))];
    const char b = second[rng.below(static_cast<std::uint32_t>(second.size()))];
    const std::string pre{a, b};
    if (pre == "BG" || pre == "GB" || pre == "NK" || pre == "KN" || pre == "TN" || pre == "NT" || pre == "ZZ") continue;
    return fmt::format("{}{:06}{}", pre, rng.below(1000000), suffix[rng.below(4)]);
  }
}

// ---- filling one household ---------------------------------------------------------------------
// Shares before the urban/deprivation weighting (England, Census 2021 TS021, roughly): White
// British, other White, Pakistani/Bangladeshi, Black, East Asian, Arab, Indian Hindu, Indian Sikh.
constexpr double community_base[] = {0.745, 0.07, 0.05, 0.045, 0.03, 0.02, 0.025, 0.015};

Ethnicity ethnicity_of(int community) {
  switch (community) {
    case detail::community_white_british:
    case detail::community_white_other: return Ethnicity::white;
    case detail::community_south_asian:
    case detail::community_indian_hindu:
    case detail::community_indian_sikh:
    case detail::community_east_asian: return Ethnicity::asian;
    case detail::community_black: return Ethnicity::black;
    default: return Ethnicity::other;
  }
}

struct Filler {
  Population& pop;
  const Config& cfg;
  std::uint32_t hh_index;
  Rng rng;
  int community = 0;
  double urban = 0.5;

  int draw_community() {
    const Street& st = pop.streets[pop.addresses[pop.households[hh_index].moves.front().address].street];
    double w[detail::n_communities];
    for (int c = 0; c < detail::n_communities; ++c) {
      w[c] = community_base[c];
      // Minority communities concentrate in urban and more deprived streets.
      if (c != 0) w[c] *= (0.3 + 2.2 * st.urban) * (1.0 + 0.12 * (10 - st.deprivation_decile));
    }
    return static_cast<int>(rng.categorical(w, detail::n_communities));
  }
  std::string first_name(int comm, Sex sex, Date dob) {
    const int cohort = to_civil(dob).year >= 1985 ? 1 : 0;
    const auto t = detail::first_names(comm, sex == Sex::male ? 1 : 0, cohort);
    return std::string(t[rng.below(static_cast<std::uint32_t>(t.size))]);
  }
  std::string surname(int comm) {
    const auto t = detail::surnames(comm);
    return std::string(t[rng.below(static_cast<std::uint32_t>(t.size))]);
  }
  Date dob_for_age(double age_at_end) {
    // Age in years at the end date plus a uniform day within the year.
    return Date{cfg.end.days - static_cast<std::int32_t>(std::floor(age_at_end * 365.2425)) - static_cast<std::int32_t>(rng.below(365))};
  }

  Person& add(std::uint32_t pid, Sex sex, Date dob, int comm, bool adult) {
    Person& p = pop.persons[pid];
    p.id = pid;
    p.household = hh_index;
    p.sex = sex;
    p.dob = dob;
    p.community = static_cast<std::uint8_t>(comm);
    p.ethnicity = ethnicity_of(comm);
    p.adult = adult;
    p.first_name = first_name(comm, sex, dob);
    const double p_middle = comm == detail::community_white_british ? 0.65 : 0.3;
    if (rng.bernoulli(p_middle)) {
      for (int tries = 0; tries < 3 && (p.middle_name.empty() || p.middle_name == p.first_name); ++tries)
        p.middle_name = first_name(comm, sex, dob);
      if (p.middle_name == p.first_name) p.middle_name.clear();
    }
    p.joined = dob > cfg.start ? dob : Date{std::min(cfg.start.days - 1, dob.days + 1)};
    p.nhs_number = make_nhs_number(rng);
    return p;
  }

  void finish_identifiers(Person& p) {
    const int age_end = p.age_on(cfg.end);
    if (age_end >= 16) p.ni_number = make_ni_number(rng);
    const int age_start = p.age_on(cfg.start);
    if (age_end >= 4 && age_start <= 16) {
      const int reception_year = to_civil(p.dob).year + 4 + (to_civil(p.dob).month >= 9 ? 1 : 0);
      p.upn = make_upn(rng, reception_year);
    }
  }

  void run(const Plan& plan, std::uint32_t first_person, std::uint32_t prior_hh) {
    Household& hh = pop.households[hh_index];
    const Street& st = pop.streets[pop.addresses[hh.moves.front().address].street];
    urban = st.urban;
    hh.deprivation_decile = st.deprivation_decile;
    community = draw_community();
    const int d = st.deprivation_decile;
    std::uint32_t next = first_person;
    auto take = [&] { return next++; };
    std::vector<std::uint32_t> adults, children;

    auto new_adult = [&](Sex sex, double age, int comm, const std::string& sname) -> Person& {
      Person& p = add(take(), sex, dob_for_age(age), comm, true);
      p.surname = sname;
      adults.push_back(p.id);
      return p;
    };
    const std::string family_surname = surname(community);
    const int other_comm = rng.bernoulli(0.08) ? draw_community() : community;
    const bool mixed_couple = other_comm != community;

    // Parents' ages and children's ages (at the end date).
    auto add_children = [&](int n, double eldest_age, std::uint32_t mother, std::uint32_t father,
                            const std::string& sname, bool mixed) {
      // Room for every planned child: siblings at least 1.2 years apart (twins share a year).
      double age = std::max(eldest_age, 1.2 * (n - 1) + 0.3 * rng.uniform());
      for (int k = 0; k < n && age >= 0.0; ++k) {
        const Sex sex = rng.bernoulli(0.512) ? Sex::male : Sex::female;
        const int comm = (mixed && father != npos32) ? static_cast<int>(pop.persons[father].community) : community;
        Person& c = add(take(), sex, dob_for_age(age), comm, false);
        if (mixed) c.ethnicity = Ethnicity::mixed;
        c.surname = sname;
        c.mother = mother;
        c.father = father;
        if (sex == Sex::male && father != npos32 && rng.bernoulli(comm == 0 || comm == 3 ? 0.05 : 0.02)) {
          c.first_name = pop.persons[father].first_name;
          c.junior = true;
        }
        children.push_back(c.id);
        // Twins: about 1.6% of maternities (ONS birth characteristics).
        if (k + 1 < n && rng.bernoulli(0.016)) {
          const Sex sex2 = rng.bernoulli(0.5) ? sex : (rng.bernoulli(0.512) ? Sex::male : Sex::female);
          Person& t = add(take(), sex2, c.dob, comm, false);
          if (mixed) t.ethnicity = Ethnicity::mixed;
          t.surname = sname;
          t.mother = mother;
          t.father = father;
          pop.persons[c.id].twin = true;
          t.twin = true;
          children.push_back(t.id);
          ++k;
        }
        const double room = age - 1.2 * (n - k - 2);  // keep space for the children still to come
        age = std::max(0.0, age - std::min(1.0 + rng.uniform() * 4.0, std::max(0.3, room)));
      }
    };

    hh.type = plan.type;
    switch (plan.type) {
      case HouseholdType::one_person: {
        constexpr double bands[] = {0.22, 0.36, 0.42};
        const auto b = rng.categorical(bands);
        const double age = b == 0 ? rng.uniform(19, 35) : b == 1 ? rng.uniform(35, 65) : rng.uniform(65, 95);
        new_adult(rng.bernoulli(age > 65 ? 0.38 : 0.55) ? Sex::male : Sex::female, age, community, family_surname);
        break;
      }
      case HouseholdType::couple: {
        const double age = rng.uniform(20, 88);
        auto& man = new_adult(Sex::male, age + rng.normal(1.5, 2.5), community, family_surname);
        const bool married = rng.bernoulli(age < 35 ? 0.35 : 0.75);
        const std::uint32_t man_id = man.id;
        auto& woman = new_adult(Sex::female, age, other_comm, married ? family_surname : surname(other_comm));
        if (!married && age < 45 && rng.bernoulli(0.12)) {
          woman.new_surname = pop.persons[man_id].surname;
          woman.surname_changed = Date{cfg.start.days + static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(cfg.end.days - cfg.start.days)))};
        }
        break;
      }
      case HouseholdType::couple_children:
      case HouseholdType::lone_parent:
      case HouseholdType::multigenerational: {
        const double eldest = rng.uniform(0.0, 17.9);
        const double mother_age = eldest + std::clamp(rng.normal(29.0, 5.0), 17.0, 44.0);
        std::uint32_t grand = npos32;
        if (plan.type == HouseholdType::multigenerational) {
          auto& g = new_adult(Sex::male, mother_age + rng.uniform(22, 32), community, family_surname);
          grand = g.id;
          if (plan.adults >= 4) new_adult(Sex::female, mother_age + rng.uniform(20, 30), community, family_surname);
        }
        std::uint32_t father = npos32;
        const bool lone = plan.type == HouseholdType::lone_parent;
        const bool lone_father = lone && rng.bernoulli(0.1);
        if (!lone || lone_father) {
          auto& f = new_adult(Sex::male, mother_age + rng.normal(2.0, 3.0), community, family_surname);
          father = f.id;
          f.father = grand;
          if (grand != npos32 && rng.bernoulli(0.08)) {  // named after his father
            f.first_name = pop.persons[grand].first_name;
            f.junior = true;
          }
        }
        std::uint32_t mother = npos32;
        std::string child_surname = family_surname;
        if (!lone_father) {
          const bool married = !lone && rng.bernoulli(0.7);
          auto& m = new_adult(Sex::female, mother_age, lone ? community : other_comm,
                              married || lone ? family_surname : surname(other_comm));
          mother = m.id;
          // A lone mother's children often carry their absent father's surname.
          if (lone && rng.bernoulli(0.4)) child_surname = surname(community);
        }
        if (rng.bernoulli(0.03) && mother != npos32)
          child_surname = pop.persons[mother].surname + "-" + surname(other_comm);  // double-barrelled
        add_children(plan.children, eldest, mother, father, child_surname, mixed_couple && !lone);
        break;
      }
      case HouseholdType::step_family: {
        const double eldest = rng.uniform(2.0, 17.9);
        const double mother_age = eldest + std::clamp(rng.normal(27.0, 5.0), 17.0, 42.0);
        auto& m = new_adult(Sex::female, mother_age, community, family_surname);
        const std::uint32_t mother = m.id;
        const std::string old_father_surname = rng.bernoulli(0.6) ? surname(community) : family_surname;
        const int n_first = std::max(1, plan.children - (rng.bernoulli(0.4) ? 1 : 0));
        add_children(n_first, eldest, mother, npos32, old_father_surname, false);
        // The new partner.
        auto& s = new_adult(Sex::male, mother_age + rng.normal(2.0, 4.0), other_comm, surname(other_comm));
        const std::uint32_t step = s.id;
        Date joined = plan.joiner_in_period
                          ? Date{cfg.start.days + 30 + static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(std::max(1, cfg.end.days - cfg.start.days - 60))))}
                          : Date{cfg.start.days - 30 - static_cast<std::int32_t>(rng.below(1500))};
        s.joined = joined;
        if (plan.joiner_in_period && prior_hh != npos32) {
          s.prior_household = prior_hh;
          Household& ph = pop.households[prior_hh];
          ph.type = HouseholdType::prior;
          ph.tenure = rng.bernoulli(0.6) ? Tenure::private_rent : (rng.bernoulli(0.5) ? Tenure::owner : Tenure::social_rent);
          ph.ends = joined;
          ph.first_person = step;
          ph.n_persons = 1;
          ph.deprivation_decile = pop.streets[pop.addresses[ph.moves.front().address].street].deprivation_decile;
        }
        // Marriage: the mother (and sometimes her children) take the partner's surname.
        if (rng.bernoulli(0.45)) {
          const Date wed{std::max(joined.days, cfg.start.days - 400) + static_cast<std::int32_t>(rng.below(700))};
          m.new_surname = pop.persons[step].surname;
          m.surname_changed = wed;
          if (rng.bernoulli(0.3))
            for (auto c : children) {
              pop.persons[c].new_surname = pop.persons[step].surname;
              pop.persons[c].surname_changed = Date{wed.days + 30};
            }
        }
        // A baby of the new couple, possibly born during the period.
        if (plan.children > n_first) {
          const double age_at_end = std::max(0.0, (cfg.end.days - joined.days) / 365.2425 - 1.0) * rng.uniform();
          add_children(1, age_at_end, mother, step, pop.persons[step].surname, false);
        }
        break;
      }
      case HouseholdType::adult_children: {
        const double child_age = rng.uniform(18.0, 32.0);
        const double mother_age = child_age + std::clamp(rng.normal(28.0, 5.0), 17.0, 44.0);
        std::uint32_t father = npos32;
        if (plan.adults == 2) father = new_adult(Sex::male, mother_age + rng.normal(2.0, 3.0), community, family_surname).id;
        const std::uint32_t mother = new_adult(Sex::female, mother_age, community, family_surname).id;
        add_children(plan.children, child_age, mother, father, family_surname, false);
        for (auto c : children) pop.persons[c].adult = true;
        break;
      }
      case HouseholdType::sharers: {
        for (int k = 0; k < plan.adults; ++k) {
          const int comm = k == 0 ? community : draw_community();
          new_adult(rng.bernoulli(0.5) ? Sex::male : Sex::female, rng.uniform(19, 42), comm, surname(comm));
        }
        break;
      }
      case HouseholdType::prior: break;
    }
    // Whatever was planned, exactly [first_person, next) are ours.
    hh.first_person = first_person;
    hh.n_persons = next - first_person;
    for (std::uint32_t pid = first_person; pid < next; ++pid) finish_identifiers(pop.persons[pid]);

    // Tenure: social renting concentrates in deprived streets, private renting in towns and young
    // households (EHS 2022/23: owners ~64%, private renters ~19%, social renters ~17%).
    const double youngest_adult = [&] {
      double a = 200;
      for (auto id : adults) a = std::min(a, static_cast<double>(pop.persons[id].age_on(cfg.end)));
      return a;
    }();
    const double p_social = std::clamp(0.015 + 0.034 * (10 - d) + (plan.type == HouseholdType::lone_parent ? 0.15 : 0.0), 0.0, 0.9);
    const double p_private = std::clamp(0.08 + 0.12 * urban + (youngest_adult < 35 ? 0.25 : 0.0) +
                                            (plan.type == HouseholdType::sharers ? 0.45 : 0.0), 0.0, 0.95);
    const double u = rng.uniform();
    hh.tenure = u < p_social ? Tenure::social_rent : (u < p_social + p_private * (1 - p_social) ? Tenure::private_rent : Tenure::owner);

    // Moves during the period: private renters move most (EHS: ~1 in 5 a year).
    const double move_rate = hh.tenure == Tenure::private_rent ? 0.17 : hh.tenure == Tenure::social_rent ? 0.05 : 0.045;
    const double years = (cfg.end.days - cfg.start.days) / 365.2425;
    const int n_moves = std::min(3, rng.poisson(move_rate * years));
    std::vector<std::int32_t> when;
    for (int k = 0; k < n_moves; ++k)
      when.push_back(cfg.start.days + static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(cfg.end.days - cfg.start.days))));
    std::sort(when.begin(), when.end());
    for (auto w : when) hh.moves.push_back(Move{Date{w}, rng.below(static_cast<std::uint32_t>(pop.addresses.size()))});

    // Persistent latent risk (documented in events.hpp): deprivation, renting, lone parenthood.
    const bool lone_or_step = plan.type == HouseholdType::lone_parent || plan.type == HouseholdType::step_family;
    hh.risk = 0.45 * (5.5 - d) / 4.5 + (hh.tenure == Tenure::social_rent ? 0.45 : hh.tenure == Tenure::private_rent ? 0.25 : 0.0) +
              (lone_or_step ? 0.35 : 0.0) + rng.normal(0.0, 0.75);
  }
};

// Moves go to vacant addresses. Every move and every dissolved household is replayed in date
// order (ties by household): a mover takes a vacant address at random and leaves its old one
// vacant for later movers, so an address has one household at a time and successive occupants
// follow each other. Sequential and seeded: identical for any thread count.
void assign_vacant_moves(Population& pop, std::uint64_t seed) {
  const std::size_t n_addresses = pop.addresses.size();
  std::vector<std::uint8_t> occupied(n_addresses, 0);
  for (const Household& h : pop.households) occupied[h.moves.front().address] = 1;
  std::vector<std::uint32_t> vacant;
  for (std::uint32_t a = 0; a < n_addresses; ++a)
    if (!occupied[a]) vacant.push_back(a);
  struct Change {
    std::int32_t day;
    std::uint32_t household, move;  // move 0: the household dissolves
  };
  std::vector<Change> changes;
  const Date never = from_civil(9999, 12, 31);
  for (std::uint32_t h = 0; h < pop.households.size(); ++h) {
    const Household& hh = pop.households[h];
    for (std::uint32_t k = 1; k < hh.moves.size(); ++k) changes.push_back({hh.moves[k].from.days, h, k});
    if (hh.ends < never) changes.push_back({hh.ends.days, h, 0});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& x, const Change& y) {
    return std::tie(x.day, x.household, x.move) < std::tie(y.day, y.household, y.move);
  });
  Rng rng = Rng::stream(seed, detail::purpose_moves);
  for (const Change& c : changes) {
    Household& hh = pop.households[c.household];
    if (c.move == 0) {
      vacant.push_back(hh.address_on(Date{c.day - 1}));
      continue;
    }
    // With no vacancy (a tiny county) the randomly drawn address is kept: two households share.
    if (vacant.empty()) continue;
    const std::uint32_t from = hh.moves[c.move - 1].address;
    const std::size_t i = rng.below(static_cast<std::uint32_t>(vacant.size()));
    hh.moves[c.move].address = vacant[i];
    vacant[i] = vacant.back();
    vacant.pop_back();
    vacant.push_back(from);
  }
}

}  // namespace

int Person::age_on(Date d) const noexcept {
  const CivilDate b = to_civil(dob), c = to_civil(d);
  int age = c.year - b.year;
  if (c.month < b.month || (c.month == b.month && c.day < b.day)) --age;
  return age;
}

std::string Population::address_line(std::uint32_t address) const {
  const Address& a = addresses[address];
  const Street& s = streets[a.street];
  if (a.flat > 0) return fmt::format("Flat {}, {} {}", a.flat, a.house_number, s.name);
  return fmt::format("{} {}", a.house_number, s.name);
}

std::string_view Population::town_of(std::uint32_t address) const noexcept {
  std::size_t n = 0;
  return detail::towns(n)[streets[addresses[address].street].town].name;
}

void check_config(const Config& config) {
  EH_CHECK(config.persons > 0 && config.persons <= 50000000, "synth: persons must be in 1..50000000 (got {})", config.persons);
  EH_CHECK(config.end > config.start, "synth: end {} is not after start {}", format_date(config.end), format_date(config.start));
  EH_CHECK(config.error_scale >= 0.0 && config.error_scale <= 10.0, "synth: error_scale must be in 0..10 (got {})", config.error_scale);
}

Population generate_population(const Config& config) {
  check_config(config);
  Population pop;
  pop.config = config;
  build_county(pop, config.persons * 10 / 23 + 64, config.seed);

  // Plan households until the persons are used up; the last is trimmed to fit exactly.
  Rng rng = Rng::stream(config.seed, detail::purpose_plan);
  std::vector<Plan> plans;
  std::vector<std::uint32_t> first;
  std::vector<std::uint32_t> prior;
  std::size_t planned = 0;
  std::uint32_t n_households = 0;
  while (planned < config.persons) {
    Plan p = draw_plan(rng);
    // Twins add a person; reserve one spare slot per household with children.
    const std::size_t size = static_cast<std::size_t>(p.adults + p.children);
    if (planned + size > config.persons) {
      p = Plan{HouseholdType::sharers, static_cast<int>(config.persons - planned), 0, false};
      if (p.adults == 1) p.type = HouseholdType::one_person;
    }
    first.push_back(static_cast<std::uint32_t>(planned));
    planned += static_cast<std::size_t>(p.adults + p.children);
    plans.push_back(p);
    ++n_households;
  }
  // Prior households (step-parents who join during the period) come after all the others.
  std::uint32_t n_total = n_households;
  for (const auto& p : plans) {
    prior.push_back(p.joiner_in_period ? n_total : npos32);
    if (p.joiner_in_period) ++n_total;
  }
  // Households take addresses in a shuffled order (a few addresses stay empty).
  std::vector<std::uint32_t> perm(pop.addresses.size());
  std::iota(perm.begin(), perm.end(), 0u);
  for (std::size_t i = perm.size() - 1; i > 0; --i)
    std::swap(perm[i], perm[rng.below(static_cast<std::uint32_t>(i + 1))]);
  pop.households.resize(n_total);
  for (std::uint32_t h = 0; h < n_total; ++h) {
    pop.households[h].id = h;
    pop.households[h].moves.push_back(Move{Date{-100000}, perm[h % perm.size()]});
  }
  pop.persons.resize(planned);
  parallel_for(n_households, config.n_threads, [&](std::size_t h) {
    Filler f{pop, config, static_cast<std::uint32_t>(h), Rng::stream(config.seed, detail::purpose_household, h)};
    f.run(plans[h], first[h], prior[h]);
  });
  assign_vacant_moves(pop, config.seed);
  // Drop the spare slots no twin used: compact persons and renumber (sequential, cheap).
  std::vector<std::uint32_t> new_id(pop.persons.size(), npos32);
  std::vector<std::uint8_t> used(pop.persons.size(), 0);
  for (std::uint32_t h = 0; h < n_households; ++h)
    for (std::uint32_t k = 0; k < pop.households[h].n_persons; ++k) used[pop.households[h].first_person + k] = 1;
  std::uint32_t n_used = 0;
  for (std::size_t i = 0; i < used.size(); ++i)
    if (used[i]) new_id[i] = n_used++;
  std::vector<Person> persons;
  persons.reserve(n_used);
  for (std::size_t i = 0; i < used.size(); ++i)
    if (used[i]) {
      Person p = std::move(pop.persons[i]);
      p.id = new_id[i];
      if (p.mother != npos32) p.mother = new_id[p.mother];
      if (p.father != npos32) p.father = new_id[p.father];
      persons.push_back(std::move(p));
    }
  for (auto& h : pop.households) h.first_person = h.n_persons ? new_id[h.first_person] : 0;
  pop.persons = std::move(persons);
  return pop;
}

std::string_view age_band(int age) noexcept {
  if (age < 5) return "0-4";
  if (age < 10) return "5-9";
  if (age < 16) return "10-15";
  if (age < 18) return "16-17";
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 50) return "35-49";
  if (age < 65) return "50-64";
  return "65+";
}

std::string_view to_string(Sex s) noexcept { return s == Sex::male ? "M" : "F"; }
std::string_view to_string(Ethnicity e) noexcept {
  constexpr std::string_view names[] = {"White", "Mixed", "Asian", "Black", "Other"};
  return names[static_cast<int>(e)];
}
std::string_view to_string(Tenure t) noexcept {
  constexpr std::string_view names[] = {"owner", "social_rent", "private_rent"};
  return names[static_cast<int>(t)];
}
std::string_view to_string(HouseholdType t) noexcept {
  constexpr std::string_view names[] = {"one_person", "couple", "couple_children", "lone_parent", "step_family",
                                        "adult_children", "sharers", "multigenerational", "prior"};
  return names[static_cast<int>(t)];
}

}  // namespace earlyhelp::synth
