// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/synth/detail/random.hpp"
#include "earlyhelp/synth/generate.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::synth;

namespace {

Config small(std::size_t persons, std::uint64_t seed, int threads = 1) {
  Config c;
  c.persons = persons;
  c.seed = seed;
  c.n_threads = threads;
  return c;
}

bool nhs_ok(const std::string& s) {
  if (s.size() != 10) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += (s[i] - '0') * static_cast<int>(10 - i);
  const int check = (11 - sum % 11) % 11;
  return check != 10 && check == s[9] - '0';
}

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_SUITE("synth") {
  TEST_CASE("synth.random: splitmix64 and xoshiro256** published values") {
    // splitmix64 from state 0 (Vigna's reference implementation): first output.
    std::uint64_t s = 0;
    CHECK(synth::detail::splitmix64(s) == 0xE220A8397B1DCDAFULL);
    // Same key, same stream; different purposes, different streams.
    auto a = synth::detail::Rng::stream(1, 2, 3), b = synth::detail::Rng::stream(1, 2, 3), c = synth::detail::Rng::stream(1, 3, 3);
    const auto a1 = a.next();
    CHECK(a1 == b.next());
    CHECK(a1 != c.next());
    // Distribution helpers stay in range and are roughly right.
    synth::detail::Rng r(42);
    double sum = 0, sq = 0;
    int pois = 0;
    for (int i = 0; i < 20000; ++i) {
      const double u = r.uniform();
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      CHECK(r.below(7) < 7u);
      const double z = r.normal();
      sum += z;
      sq += z * z;
      pois += r.poisson(2.5);
    }
    CHECK(sum / 20000 == doctest::Approx(0.0).epsilon(0.03));
    CHECK(sq / 20000 == doctest::Approx(1.0).epsilon(0.05));
    CHECK(pois / 20000.0 == doctest::Approx(2.5).epsilon(0.05));
  }

  TEST_CASE("synth.population: households, families, names and identifiers") {
    const Population pop = generate_population(small(6000, 3));
    CHECK(pop.persons.size() == 6000);
    // Mean household size at the end date is about 2.4 (Census 2021).
    std::map<std::uint32_t, int> size;
    for (const auto& p : pop.persons)
      if (p.dob <= pop.config.end && p.household_on(pop.config.end) == p.household) ++size[p.household];
    double total = 0;
    for (auto& kv : size) total += kv.second;
    CHECK(total / static_cast<double>(size.size()) == doctest::Approx(2.4).epsilon(0.08));
    int twins = 0, juniors = 0, hyphenated = 0, multipart = 0, changed = 0, joiners = 0;
    for (const auto& p : pop.persons) {
      CHECK(nhs_ok(p.nhs_number));
      if (p.twin) {
        ++twins;
        // A twin has a sibling with the same birth date, surname and household.
        bool found = false;
        for (const auto& q : pop.persons)
          if (q.id != p.id && q.twin && q.dob == p.dob && q.household == p.household && q.surname == p.surname) found = true;
        CHECK(found);
      }
      if (p.junior) {
        ++juniors;
        REQUIRE(p.father != npos32);
        CHECK(pop.persons[p.father].first_name == p.first_name);
      }
      hyphenated += p.surname.find('-') != std::string::npos;
      multipart += p.surname.find(' ') != std::string::npos;
      changed += !p.new_surname.empty();
      joiners += p.prior_household != npos32;
      for (const auto& m : pop.households[p.household].moves) CHECK(m.address < pop.addresses.size());
    }
    CHECK(twins > 0);
    CHECK(juniors > 0);
    CHECK(hyphenated > 0);
    CHECK(multipart > 0);
    CHECK(changed > 0);
    CHECK(joiners > 0);
    // UPRNs unique and 12 digits; postcodes shared by at most ~15 addresses.
    std::set<std::uint64_t> uprns;
    std::map<std::string, int> per_postcode;
    for (const auto& a : pop.addresses) {
      uprns.insert(a.uprn);
      CHECK(std::to_string(a.uprn).size() == 12);
      ++per_postcode[a.postcode];
    }
    CHECK(uprns.size() == pop.addresses.size());
    for (auto& kv : per_postcode) CHECK(kv.second <= 15);
  }

  TEST_CASE("synth.population: movers take vacant addresses, so an address has one household at a time") {
    const Population pop = generate_population(small(6000, 5));
    // Replay every address's occupancy: on each change date, count households living there.
    std::map<std::uint32_t, std::vector<std::uint32_t>> at;  // address -> households ever there
    int moves = 0;
    for (const auto& h : pop.households) {
      for (const auto& m : h.moves) at[m.address].push_back(h.id);
      moves += static_cast<int>(h.moves.size()) - 1;
    }
    CHECK(moves > 100);
    int successive = 0, shared = 0;
    for (const auto& [address, households] : at) {
      std::set<std::uint32_t> distinct(households.begin(), households.end());
      if (distinct.size() < 2) continue;
      ++successive;
      std::set<std::int32_t> days;
      for (const auto h : distinct)
        for (const auto& m : pop.households[h].moves) days.insert(std::max(m.from.days, pop.config.start.days));
      for (const std::int32_t d : days) {
        int living = 0;
        for (const auto h : distinct) {
          const auto& hh = pop.households[h];
          living += hh.address_on(Date{d}) == address && Date{d} < hh.ends;
        }
        shared += living > 1;
      }
    }
    CHECK(successive > 50);  // addresses with successive occupants exist
    CHECK(shared == 0);
  }

  TEST_CASE("synth.events: property systems record the address the household lives at on the record's date") {
    // Council tax, tenancy and rent records name a property: a move opens the new account at the
    // new address on the day of the move, never at the address being left.
    const Population pop = generate_population(small(6000, 7));
    int checked = 0, after_move = 0, wrong = 0;
    for (std::uint32_t h = 0; h < pop.households.size(); ++h) {
      const auto& hh = pop.households[h];
      for (const Event& e : simulate_household(pop, h).events) {
        if (e.stream != StreamId::council_tax && e.stream != StreamId::rent_arrears && e.stream != StreamId::housing_tenancy) continue;
        if (e.household != h) continue;
        ++checked;
        wrong += static_cast<std::uint32_t>(e.num[1]) != hh.address_on(e.date);
        for (std::size_t k = 1; k < hh.moves.size(); ++k) after_move += e.date == hh.moves[k].from;
      }
    }
    CHECK(checked > 1000);
    CHECK(after_move > 20);  // new accounts and tenancies opened on moving day
    CHECK(wrong == 0);
  }

  TEST_CASE("synth.generate: same seed gives identical bytes for any thread count") {
    const auto one = generate_tables(small(1000, 11, 1));
    const auto two = generate_tables(small(1000, 11, 2));
    const auto other = generate_tables(small(1000, 12, 2));
    REQUIRE(one.size() == two.size());
    for (const auto& kv : one) CHECK_MESSAGE(kv.second == two.at(kv.first), kv.first);
    CHECK(one.at("person_register") != other.at("person_register"));
  }

  TEST_CASE("synth.generate: every record has truth, ids are unique, headers follow the schema") {
    GenerateResult r;
    Config config = small(1500, 5, 2);
    config.early_help = true;  // every stream drawn
    const auto t = generate_tables(config, &r);
    const auto schema = schema::Schema::builtin();
    std::size_t total = 0;
    int non_empty = 0;
    for (std::size_t s = 0; s < n_streams; ++s) {
      const std::string name(stream_name(static_cast<StreamId>(s)));
      const std::string& text = t.at(name);
      const auto& stream = schema.stream(name);
      std::string header;
      for (const auto& f : stream.fields)
        if (f.required) header += (header.empty() ? "" : ",") + f.name;  // optional columns only on request
      CHECK(text.substr(0, text.find('\n')) == header);
      CHECK(count_lines(text) - 1 == r.rows[s]);
      non_empty += r.rows[s] > 0 ? 1 : 0;
      total += r.rows[s];
    }
    // 1,500 persons fill nearly every stream (rare ones such as youth offending may stay empty).
    CHECK(non_empty >= 15);
    const std::string& truth = t.at("truth/records");
    CHECK(count_lines(truth) - 1 == total);
    std::set<std::string> ids;
    std::istringstream in(truth);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto a = line.find(','), b = line.find(',', a + 1);
      ids.insert(line.substr(a + 1, b - a - 1));
    }
    CHECK(ids.size() == total);
    CHECK(r.outcomes > 0);
  }

  TEST_CASE("synth.generate: the early-help stream is drawn on request and changes nothing else") {
    Config with = small(1500, 5, 2);
    with.early_help = true;
    const auto plain = generate_tables(small(1500, 5, 2));
    const auto extra = generate_tables(with);
    CHECK(plain.count("early_help_episodes") == 0);
    REQUIRE(extra.count("early_help_episodes") == 1);
    CHECK(extra.size() == plain.size() + 1);
    for (const auto& kv : plain) {
      if (kv.first == "truth/records" || kv.first == "truth/errors") continue;
      CHECK_MESSAGE(kv.second == extra.at(kv.first), kv.first);
    }
    // The truth files gain the new stream's rows and nothing else.
    for (const char* table : {"truth/records", "truth/errors"}) {
      std::istringstream in(extra.at(table));
      std::string line, kept;
      while (std::getline(in, line))
        if (line.rfind("early_help_episodes,", 0) != 0) kept += line + "\n";
      CHECK_MESSAGE(kept == plain.at(table), table);
    }
    // Episodes: a closure reason exactly when closed, every headline problem column Y or N.
    std::istringstream eh(extra.at("early_help_episodes"));
    std::string header, line;
    std::getline(eh, header);
    CHECK(header.find("family_ref,start_date,end_date,closure_reason,children,problem_crime_asb") != std::string::npos);
    int rows = 0, closed = 0, achieved = 0;
    while (std::getline(eh, line)) {
      ++rows;
      std::vector<std::string> f;
      std::stringstream ss(line);
      for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
      if (line.back() == ',') f.emplace_back();
      REQUIRE(f.size() >= 17);
      const std::string& end = f[f.size() - 9];
      const std::string& reason = f[f.size() - 8];
      CHECK(end.empty() == reason.empty());
      closed += !end.empty();
      achieved += reason == "outcomes_achieved";
      for (std::size_t k = f.size() - 6; k < f.size(); ++k) CHECK((f[k] == "Y" || f[k] == "N"));
    }
    CHECK(rows > 20);
    CHECK(closed > 0);
    CHECK(achieved > 0);
    CHECK(achieved < closed);
  }

  TEST_CASE("synth.generate: optional columns add the placement type and change nothing else") {
    Config with = small(1500, 5, 2);
    with.optional_columns = true;
    const auto plain = generate_tables(small(1500, 5, 2));
    const auto extra = generate_tables(with);
    REQUIRE(plain.size() == extra.size());
    for (const auto& kv : plain)
      if (kv.first != "social_care_episodes") CHECK_MESSAGE(kv.second == extra.at(kv.first), kv.first);
    // The episodes file is the same but for one last column, set exactly on looked-after rows.
    std::istringstream a(plain.at("social_care_episodes")), b(extra.at("social_care_episodes"));
    std::string la, lb;
    std::getline(a, la), std::getline(b, lb);
    CHECK(lb == la + ",placement_type");
    const std::set<std::string> types{"foster_relative", "foster", "residential", "supported", "placed_with_parents",
                                      "placed_for_adoption", "other"};
    int lac = 0, rows = 0;
    while (std::getline(a, la) && std::getline(b, lb)) {
      ++rows;
      const auto cut = lb.rfind(',');
      REQUIRE(cut != std::string::npos);
      CHECK(lb.substr(0, cut) == la);
      const std::string type = lb.substr(cut + 1);
      const bool is_lac = la.find(",lac,") != std::string::npos;
      CHECK(is_lac == !type.empty());
      if (is_lac) {
        CHECK(types.count(type) == 1);
        ++lac;
      }
    }
    CHECK(rows > 0);
    CHECK(lac > 0);
  }

  TEST_CASE("synth.records: the writer fills every field of the built-in catalogue") {
    const Population pop = generate_population(small(200, 1));
    const RecordWriter writer(pop, schema::Schema::builtin());
    for (std::size_t s = 0; s < n_streams; ++s) CHECK_MESSAGE(writer.unmapped(static_cast<StreamId>(s)).empty(), s);
    schema::Schema partial = schema::Schema::builtin();
    partial.streams.pop_back();
    CHECK_THROWS_AS(RecordWriter(pop, partial), SchemaError);
  }

  TEST_CASE("synth.records: injected error rates follow the configuration") {
    GenerateResult clean, noisy;
    Config c = small(2000, 8, 2);
    c.error_scale = 0.0;
    generate_tables(c, &clean);
    c.error_scale = 2.0;
    generate_tables(c, &noisy);
    const auto& reg0 = clean.errors[static_cast<std::size_t>(StreamId::person_register)];
    for (auto k : {ErrorKind::nickname, ErrorKind::initial, ErrorKind::first_name_typo, ErrorKind::surname_typo,
                   ErrorKind::dob_transposed, ErrorKind::postcode_invalid, ErrorKind::sex_unknown})
      CHECK(reg0.by_kind[static_cast<std::size_t>(k)] == 0);
    // person_register: factor 0.8, scale 2 -> first-name typos at 2% * 1.6 = 3.2%.
    const auto& reg = noisy.errors[static_cast<std::size_t>(StreamId::person_register)];
    const double n = static_cast<double>(reg.records);
    CHECK(static_cast<double>(reg.by_kind[static_cast<std::size_t>(ErrorKind::first_name_typo)]) / n == doctest::Approx(0.032).epsilon(0.35));
    CHECK(static_cast<double>(reg.by_kind[static_cast<std::size_t>(ErrorKind::surname_typo)]) / n == doctest::Approx(0.024).epsilon(0.35));
    CHECK(static_cast<double>(reg.by_kind[static_cast<std::size_t>(ErrorKind::postcode_typo)]) / n == doctest::Approx(0.024).epsilon(0.35));
    CHECK(reg.by_kind[static_cast<std::size_t>(ErrorKind::stale_address)] > 0);
  }

  TEST_CASE("synth.config: invalid configurations are rejected") {
    Config c = small(0, 1);
    CHECK_THROWS_AS(generate_population(c), InvalidArgument);
    c = small(100, 1);
    c.end = c.start;
    CHECK_THROWS_AS(generate_population(c), InvalidArgument);
    c = small(100, 1);
    c.error_scale = -1;
    CHECK_THROWS_AS(generate_population(c), InvalidArgument);
  }

  TEST_CASE("synth.write_directory: a bad configuration creates nothing") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("eh_test_synth_bad_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    CHECK_THROWS_AS(write_directory(small(0, 1), dir.string()), InvalidArgument);
    CHECK_FALSE(fs::exists(dir));
  }
}
