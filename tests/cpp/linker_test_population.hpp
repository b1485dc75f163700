// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helpers for the linker's jobs: a small seeded population of households with the hard cases
// of council data, a linker run over it, and maps from record ids to persons and households.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linkage_test_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace eh_test {

using earlyhelp::CivilDate;
using earlyhelp::Date;
using earlyhelp::from_civil;
using earlyhelp::to_civil;
using earlyhelp::linkage::Linker;
using earlyhelp::linkage::Record;
using earlyhelp::linkage::Settings;

// Indices of person evidence in a ComparisonVector or ModelParameters::fields.
constexpr auto kFirst = static_cast<std::size_t>(earlyhelp::linkage::Field::first_name);
constexpr auto kDob = static_cast<std::size_t>(earlyhelp::linkage::Field::dob);

// A small seeded population of households with the hard cases of council data: twins (same
// surname, address, dob), juniors (a son with his father's first name), and records of a person
// that moved, had names swapped, a nickname, an initial, or no date of birth.
struct Population {
  std::vector<Record> records;
  std::vector<std::string> truth;  // person per record
  std::vector<std::pair<std::string, std::string>> twins, juniors;  // person pairs kept apart
  std::map<std::string, std::string> variant;                       // record id -> kind of error
  std::map<std::string, std::string> household;                     // person -> household
};

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() % 10000) < p * 10000; }
};

inline Population make_population(int households, std::uint64_t seed) {
  static const char* male[] = {"william", "robert", "james", "thomas", "richard", "michael", "daniel",
                               "edward", "joseph", "matthew", "anthony", "samuel", "benjamin", "charles",
                               "peter", "andrew", "david", "george", "henry", "oliver"};
  static const char* female[] = {"elizabeth", "margaret", "katherine", "jennifer", "susan", "patricia",
                                 "rebecca", "victoria", "deborah", "alexandra", "jessica", "amelia",
                                 "sophie", "charlotte", "emily", "grace", "hannah", "lucy", "olivia", "ruby"};
  static const char* nick[][2] = {{"william", "bill"}, {"robert", "bob"}, {"james", "jim"}, {"thomas", "tom"},
                                  {"richard", "dick"}, {"michael", "mike"}, {"daniel", "dan"},
                                  {"elizabeth", "liz"}, {"margaret", "peggy"}, {"katherine", "kate"},
                                  {"jennifer", "jenny"}, {"susan", "sue"}, {"patricia", "pat"},
                                  {"rebecca", "becky"}, {"victoria", "vicky"}, {"deborah", "debbie"}};
  static const char* surnames[] = {"smith", "jones", "taylor", "brown", "williams", "wilson", "johnson",
                                   "davies", "robinson", "wright", "thompson", "evans", "walker", "white",
                                   "roberts", "green", "hall", "wood", "jackson", "clarke", "patel", "khan",
                                   "lewis", "harris", "martin", "cooper", "ward", "morris", "king", "baker",
                                   "okafor", "nowak", "kowalski", "murphy", "kelly", "byrne", "ali", "hussain",
                                   "begum", "shah"};
  static const char* streets[] = {"high street", "church road", "station road", "park avenue", "victoria road",
                                  "green lane", "mill lane", "kings road", "queens road", "new street",
                                  "school lane", "the crescent", "north road", "south street", "west way",
                                  "elm grove", "oak close", "ash drive", "beech road", "cedar avenue"};
  static const char* pc_out[] = {"LS1", "LS2", "LS6", "LS7", "LS8", "LS9", "LS11", "LS12"};
  static const char* pc_in[] = {"1AA", "2BB", "3DD", "4EE", "5FF", "6GG", "7HH", "8JJ", "9LL", "2NP"};
  Rng rng{seed};
  Population pop;
  int rid = 0;
  auto dob_str = [](int y, int m, int d) { return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d); };
  auto nickname_of = [&](const std::string& f) -> std::string {
    for (const auto& p : nick)
      if (f == p[0]) return p[1];
    return "";
  };
  for (int h = 0; h < households; ++h) {
    const std::string surname = surnames[rng.pick(std::size(surnames))];
    const std::string address = fmt::format("{} {}", 1 + rng.pick(120), streets[rng.pick(std::size(streets))]);
    const std::string postcode = fmt::format("{} {}", pc_out[rng.pick(std::size(pc_out))], pc_in[rng.pick(std::size(pc_in))]);
    struct P {
      std::string first, dob, sex;
    };
    std::vector<P> members;
    const std::string father = male[rng.pick(std::size(male))];
    members.push_back({father, dob_str(1960 + int(rng.pick(25)), 1 + int(rng.pick(12)), 1 + int(rng.pick(28))), "M"});
    members.push_back({female[rng.pick(std::size(female))],
                       dob_str(1960 + int(rng.pick(25)), 1 + int(rng.pick(12)), 1 + int(rng.pick(28))), "F"});
    // Parents do not give two children the same first name (a junior is added on purpose).
    auto fresh_name = [&](bool boy) {
      for (;;) {
        const std::string n = boy ? male[rng.pick(std::size(male))] : female[rng.pick(std::size(female))];
        if (std::none_of(members.begin(), members.end(), [&](const auto& m) { return m.first == n; })) return n;
      }
    };
    const std::size_t kids = rng.pick(4);
    for (std::size_t k = 0; k < kids; ++k) {
      const bool boy = rng.chance(0.5);
      members.push_back({fresh_name(boy), dob_str(2005 + int(rng.pick(15)), 1 + int(rng.pick(12)), 1 + int(rng.pick(28))),
                         boy ? "M" : "F"});
    }
    const std::string hid = fmt::format("h{}", h);
    std::vector<std::string> pids;
    auto pid_of = [&](std::size_t i) { return fmt::format("h{}p{}", h, i); };
    if (rng.chance(0.04)) {  // twins: same dob, different first names
      const std::string a = fresh_name(false);
      members.push_back({a, "", "F"});  // placeholder so the twin's name differs
      const std::string b = fresh_name(true);
      members.pop_back();
      const std::string d = dob_str(2008 + int(rng.pick(10)), 1 + int(rng.pick(12)), 1 + int(rng.pick(28)));
      members.push_back({a, d, "F"});
      members.push_back({b, d, "M"});
      pop.twins.emplace_back(pid_of(members.size() - 2), pid_of(members.size() - 1));
    }
    if (rng.chance(0.04)) {  // junior: the father's first name, a different dob
      members.push_back({father, dob_str(1992 + int(rng.pick(10)), 1 + int(rng.pick(12)), 1 + int(rng.pick(28))), "M"});
      pop.juniors.emplace_back(pid_of(0), pid_of(members.size() - 1));
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
      const P& m = members[i];
      const std::string pid = pid_of(i);
      pop.household[pid] = hid;
      const int n_rec = 2 + int(rng.pick(2));
      for (int k = 0; k < n_rec; ++k) {
        Record r = person(fmt::format("r{:06d}", rid++), m.first, surname, m.dob, address, postcode, m.sex,
                                   k == 0 ? "social_care" : "housing");
        std::string kind = "clean";
        if (k > 0) {
          switch (rng.pick(7)) {
            case 0: {
              const std::string n = nickname_of(m.first);
              if (!n.empty()) r.first_name = n, kind = "nickname";
              break;
            }
            case 1: r.first_name = m.first.substr(0, 1), kind = "initial"; break;
            case 2: r.dob.clear(), kind = "missing_dob"; break;
            case 3:
              r.address = fmt::format("{} {}", 1 + rng.pick(120), streets[rng.pick(std::size(streets))]);
              r.postcode = fmt::format("{} {}", pc_out[rng.pick(std::size(pc_out))], pc_in[rng.pick(std::size(pc_in))]);
              kind = "moved";
              break;
            case 4: std::swap(r.first_name, r.surname), kind = "swapped"; break;
            case 5: {
              std::string s = surname;
              if (s.size() > 3) std::swap(s[1], s[2]);
              r.surname = s;
              kind = "typo";
              break;
            }
            default: break;
          }
        }
        pop.variant[r.record_id] = kind;
        pop.records.push_back(r);
        pop.truth.push_back(pid);
      }
    }
  }
  return pop;
}

inline Settings fast_settings() {
  Settings s;
  s.u_sample_pairs = 200000;
  s.n_threads = 2;
  return s;
}

// A linker fitted, scored and clustered on `records`.
inline Linker linked(const std::vector<Record>& records, const Settings& settings = fast_settings()) {
  Linker linker(settings);
  linker.add_records(records);
  linker.fit();
  linker.predict();
  linker.cluster();
  return linker;
}

// Appends a dated record of one person at one address.
inline void add_dated(Population& pop, const std::string& id, const std::string& first, const std::string& surname,
               const std::string& dob, const std::string& address, const std::string& postcode, const std::string& source,
               const std::string& date) {
  pop.records.push_back(dated(person(id, first, surname, dob, address, postcode, "", source), date));
}

// Sixty residents who moved, each seen by council tax from the day of the move and by a health
// system months later: enough moves for the linker to learn that council tax dates them.
inline void add_movers(Population& pop) {
  const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
  const char* firsts[] = {"aldous", "bronwen", "cedric", "delphine", "evander", "fenella",
                          "gideon", "honora", "ivor", "jocasta", "lysander", "mirabel"};
  const char* fronts[] = {"ash", "black", "clay", "dun", "fair", "hart"};
  const char* backs[] = {"wood", "field", "ley", "ton", "well", "ford", "by", "worth", "ham", "combe"};
  for (int i = 0; i < 60; ++i) {
    const std::string first = firsts[i % 12], surname = std::string(fronts[i / 10]) + backs[i % 10];
    const std::string dob = fmt::format("{}-{:02d}-{:02d}", 1950 + i % 40, 1 + i % 12, 1 + i % 28);
    const std::string old_home = fmt::format("{} alder road", i + 1), new_home = fmt::format("{} birch lane", i + 1);
    const std::string old_pc = fmt::format("LS{} 1AA", 1 + i % 20), new_pc = fmt::format("LS{} 2BB", 1 + i % 20);
    const auto day = [&](int offset) {
      const CivilDate c = to_civil(Date{from_civil(2023, 3, 1).days + 9 * i + offset});
      return fmt::format("{}-{:02d}-{:02d}", c.year, c.month, c.day);
    };
    const std::string id = fmt::format("m{:02d}", i);
    add(id + "c1", first, surname, dob, old_home, old_pc, "council_tax", "2022-04-01");
    add(id + "c2", first, surname, dob, old_home, old_pc, "council_tax", day(-40));
    add(id + "c3", first, surname, dob, new_home, new_pc, "council_tax", day(0));
    add(id + "c4", first, surname, dob, new_home, new_pc, "council_tax", day(200));
    add(id + "h1", first, surname, dob, old_home, old_pc, "health", day(-100));
    add(id + "h2", first, surname, dob, old_home, old_pc, "health", day(30));
    add(id + "h3", first, surname, dob, new_home, new_pc, "health", day(150));
    add(id + "h4", first, surname, dob, new_home, new_pc, "health", day(300));
  }
}

// record_id -> person_id of a clustered linker.
inline std::map<std::string, std::string> person_by_record(const Linker& linker) {
  std::map<std::string, std::string> out;
  const auto persons = linker.person_ids();
  const auto& ids = linker.records().record_ids;
  for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]] = persons[i];
  return out;
}

// record_id -> household_id on `as_of` of a clustered linker.
inline std::map<std::string, std::string> household_by_record(const Linker& linker, std::int32_t as_of) {
  std::map<std::string, std::string> out;
  const auto households = linker.household_ids(as_of);
  const auto& ids = linker.records().record_ids;
  for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]] = households[i];
  return out;
}

inline std::map<std::string, std::string> person_of(const Population& pop, const std::vector<std::string>& persons) {
  std::map<std::string, std::string> out;  // truth person -> predicted person of its first record
  for (std::size_t i = 0; i < pop.records.size(); ++i) out.emplace(pop.truth[i], persons[i]);
  return out;
}


}  // namespace eh_test
