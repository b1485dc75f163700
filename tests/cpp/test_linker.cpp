// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/evaluate.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/synth/generate.hpp"
#include "linkage_test_data.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("linker") {
  TEST_CASE("linker.evaluate: pairwise and B-cubed on a known example") {
    // truth {1,2,3} {4,5}; predicted {1,2} {3,4,5}
    const std::vector<std::string> truth{"a", "a", "a", "b", "b"};
    const std::vector<std::string> pred{"x", "x", "y", "y", "y"};
    const Evaluation ev = evaluate_clusters(pred, truth);
    CHECK(ev.true_pairs == 4);
    CHECK(ev.predicted_pairs == 4);
    CHECK(ev.true_positives == 2);  // (1,2) and (4,5)
    CHECK(ev.precision == doctest::Approx(0.5));
    CHECK(ev.recall == doctest::Approx(0.5));
    // B-cubed precision: records 1,2 -> 1; 3 -> 1/3; 4,5 -> 2/3.
    CHECK(ev.bcubed_precision == doctest::Approx((1 + 1 + 1.0 / 3 + 2.0 / 3 + 2.0 / 3) / 5));
    CHECK_THROWS_AS(evaluate_clusters(pred, {"a"}), InvalidArgument);
    // Linking two sources counts only cross-source pairs.
    const std::vector<std::string> src{"s", "t", "s", "s", "t"};
    const Evaluation cross = evaluate_clusters(pred, truth, &src);
    CHECK(cross.true_pairs == 3);  // (1,2) (2,3) (4,5)
  }

  TEST_CASE("linker.evaluate: households correct when the member sets agree") {
    // Truth {a,b} {c} {d,e}; predicted {a,b} {c,d} {e}: only a and b are right.
    CHECK(households_correct({"x", "x", "y", "y", "z"}, {"1", "1", "2", "3", "3"}) == doctest::Approx(0.4));
    CHECK(households_correct({"q", "q", "r"}, {"1", "1", "2"}) == 1.0);  // labels need not match
    CHECK(households_correct({}, {}) == 1.0);
    CHECK_THROWS_AS(households_correct({"x"}, {}), InvalidArgument);
  }

  TEST_CASE("linker.extracts: a folder of stream extracts is read in batches with record dates") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / fmt::format("eh_extracts_{}", std::chrono::steady_clock::now().time_since_epoch().count());
    synth::Config config;
    config.persons = 400;
    config.seed = 9;
    synth::write_directory(config, dir.string());
    const schema::Schema& schema = schema::Schema::builtin();
    const Extracts all = read_extracts(dir.string(), schema);
    REQUIRE(all.records.size() > 1000);
    std::size_t seen = 0, largest = 0, dated = 0, current = 0;
    for_each_extract_batch(dir.string(), schema, [&](std::vector<Record>& batch) {
      largest = std::max(largest, batch.size());
      for (const Record& r : batch) {
        CHECK(r.record_id == all.records[seen].record_id);
        const auto [stream, local] = split_extract_record_id(r.record_id);
        CHECK(stream == all.stream[seen]);
        CHECK(local == all.local_id[seen]);
        if (stream == "person_register") current += r.record_date == "current";
        else dated += parse_dob(r.record_date) % 100 != 0;
        ++seen;
      }
    }, 250);
    CHECK(seen == all.records.size());
    CHECK(largest == 250);
    CHECK(current == 400);  // the register shows everyone as they are now
    CHECK(dated > all.records.size() / 2);
    fs::remove_all(dir);
    CHECK_THROWS_AS(read_extracts((dir / "missing").string(), schema), IOError);
  }

  TEST_CASE("linker.febrl: dataset1 and dataset2 de-duplication without labels") {
    for (const char* name : {"dataset1.csv", "dataset2.csv"}) {
      const std::string path = eh_test::febrl_path(name);
      if (path.empty()) {
        MESSAGE("skipped: FEBRL data not found (set EARLYHELP_SHARED_DATA)");
        return;
      }
      const auto recs = read_records_csv(path, eh_test::febrl_map());
      // Batched reading hands over the same records, in order, never more than a batch at once.
      std::vector<Record> batched;
      std::size_t largest = 0;
      const std::size_t n = for_each_records_batch(path, eh_test::febrl_map(), [&](std::vector<Record>& b) {
        largest = std::max(largest, b.size());
        batched.insert(batched.end(), b.begin(), b.end());
      }, 333);
      CHECK(n == recs.size());
      CHECK(largest == 333);
      CHECK(parse_column_map(" rec_id = record_id , date=record_date") ==
            ColumnMap{{"rec_id", "record_id"}, {"date", "record_date"}});
      CHECK_THROWS_WITH_AS(parse_column_map("x=birthday"),
                           doctest::Contains("expected one of record_id, source, first_name"), InvalidArgument);
      CHECK_THROWS_WITH_AS(parse_column_map("x=birthday"), doctest::Contains("record_date, subject_min_age)"),
                           InvalidArgument);
      REQUIRE(batched.size() == recs.size());
      CHECK(batched.back().record_id == recs.back().record_id);
      CHECK(batched[500].address == recs[500].address);
      const auto persons = link(recs, fast_settings());
      std::vector<std::string> truth;
      for (const auto& r : recs) truth.push_back(eh_test::febrl_entity(r.record_id));
      const Evaluation ev = evaluate_clusters(persons, truth);
      INFO(name << " F1 " << ev.f1);
      CHECK(ev.f1 >= 0.99);
      CHECK(ev.precision >= 0.995);
    }
  }

  TEST_CASE("linker.families: twins and juniors stay apart, and moved, swapped, nickname, initial, missing dob join") {
    const Population pop = make_population(450, 7);
    Linker linker = linked(pop.records);
    const auto persons = linker.person_ids();
    const auto by_truth = person_of(pop, persons);
    REQUIRE(pop.twins.size() >= 10);
    REQUIRE(pop.juniors.size() >= 10);
    for (const auto& [a, b] : pop.twins) CHECK_MESSAGE(by_truth.at(a) != by_truth.at(b), "twins merged: " << a);
    for (const auto& [a, b] : pop.juniors) CHECK_MESSAGE(by_truth.at(a) != by_truth.at(b), "junior merged: " << a);
    std::map<std::string, std::pair<int, int>> joined;  // kind -> (joined, total)
    for (std::size_t i = 0; i < pop.records.size(); ++i) {
      auto& j = joined[pop.variant.at(pop.records[i].record_id)];
      ++j.second;
      j.first += persons[i] == by_truth.at(pop.truth[i]) ? 1 : 0;
    }
    for (const char* kind : {"nickname", "initial", "missing_dob", "moved", "swapped", "typo"}) {
      const auto [ok, total] = joined[kind];
      INFO(std::string(kind) << ": " << ok << " of " << total);
      REQUIRE(total >= 20);
      CHECK(static_cast<double>(ok) / total >= 0.9);
    }
    const Evaluation ev = evaluate_clusters(persons, pop.truth);
    INFO("F1 " << ev.f1);
    CHECK(ev.f1 >= 0.95);
    CHECK(ev.precision >= 0.98);
  }

  TEST_CASE("linker.labels: m from labelled matching pairs") {
    const Population pop = make_population(120, 13);
    std::vector<std::pair<std::string, std::string>> labels;
    for (std::size_t i = 1; i < pop.records.size() && labels.size() < 150; ++i)
      if (pop.truth[i] == pop.truth[i - 1]) labels.emplace_back(pop.records[i - 1].record_id, pop.records[i].record_id);
    Linker linker(fast_settings());
    linker.add_records(pop.records);
    linker.fit_with_labels(labels);
    // Labelled matches agree on dates of birth far more often than they differ.
    const auto& dob = linker.parameters().fields[static_cast<std::size_t>(Field::dob)].m;
    CHECK(dob[0] > 0.8);
    linker.predict();
    linker.cluster();
    const Evaluation ev = evaluate_clusters(linker.person_ids(), pop.truth);
    CHECK(ev.f1 >= 0.95);
    Linker other(fast_settings());
    other.add_records(pop.records);
    CHECK_THROWS_AS(other.fit_with_labels({{"r000000", "no-such-id"}}), InvalidArgument);
  }

  TEST_CASE("linker.families: an adults-only record without a date of birth is not the child's, and a successive occupant with the same first name is not the same person") {
    Population pop = make_population(30, 23);
    auto add = [&](const std::string& id, const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& date, const std::string& min_age, const std::string& source) {
      Record r = eh_test::person(id, first, surname, dob, "21 mill mews", "LS8 3BE", "", source);
      r.uprn = "100090230069";
      r.record_date = date;
      r.subject_min_age = min_age;
      pop.records.push_back(r);
    };
    // Karim Mahmoud senior (1982) owes the council tax; Karim junior (2011) goes to school.
    add("ct1", "karim", "mahmoud", "", "2022-04-01", "18", "council_tax");
    add("ct2", "karim", "mahmoud", "", "2023-04-01", "18", "council_tax");
    add("sr2", "karim", "mahmoud", "2011-02-05", "current", "", "register");
    add("sa1", "karim", "mahmoud", "2011-02-05", "2023-07-21", "", "school");
    add("sr1", "karim", "mahmoud", "1982-12-31", "current", "", "register");
    // Stephen King owed council tax at 21 Mill Mews until 2023; Stephen Chapman lives there now.
    add("ck1", "stephen", "king", "", "2022-04-01", "18", "council_tax");
    add("ck2", "stephen", "king", "", "2023-01-01", "18", "council_tax");
    add("cc1", "stephen", "chapman", "1980-07-22", "current", "", "register");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    CHECK(p["ct1"] == p["ct2"]);
    CHECK(p["sr2"] == p["sa1"]);
    CHECK(p["sr1"] != p["sr2"]);
    CHECK(p["ct1"] != p["sa1"]);  // the council tax is not the eleven-year-old's
    CHECK(p["ck1"] != p["cc1"]);
    const Explanation why = linker.explain("ct1", "sa1");
    CHECK(why.probability < 0.5);
    bool dob_term = false;
    for (const auto& t : why.terms) dob_term = dob_term || (t.name == "dob" && t.level == "different");
    CHECK(dob_term);
    Record bad = eh_test::person("b1", "x", "y", "");
    bad.record_date = "2024-01-01";
    bad.subject_min_age = "adult";
    CHECK_THROWS_WITH_AS(link({bad}), doctest::Contains("subject_min_age"), InvalidArgument);
  }

  TEST_CASE("linker.names: an ambiguous nickname matches each of its full names, and a swapped pair of letters is a typo, however short the name") {
    Population pop = make_population(40, 47);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    // Edward Stevens is "Ed" at A&E ("Ed" is short for Edmund, Edward or Edwin); his council tax
    // record has no date of birth, and his wife Tracey lives with him.
    add("es-reg", "edward", "stevens", "1963-08-06", "28 ash lane", "SS9 8AS", "register", "current");
    add("es-ct", "edward", "stevens", "", "28 ash lane", "SS9 8AS", "council_tax", "2022-04-01");
    for (const char* d : {"2022-06-30", "2022-10-01", "2024-01-16", "2025-02-20"})
      add(fmt::format("es-ae{}", d), "ed", "stevens", "1963-08-06", "", "SS9 8AS", "health", d);
    add("ts-reg", "tracey", "stevens", "1964-03-01", "28 ash lane", "SS9 8AS", "register", "current");
    // Hao Zhou is "Hoa" at A&E.
    add("hz-reg", "hao", "zhou", "1975-02-21", "5 westfield hill", "CO9 0BA", "register", "current");
    add("hz-ct", "hao", "zhou", "", "5 westfield hill", "CO9 0BA", "council_tax", "2022-04-01");
    for (const char* d : {"2023-01-13", "2025-03-23"})
      add(fmt::format("hz-ae{}", d), "hoa", "zhou", "1975-02-21", "", "CO9 0BA", "health", d);
    add("tz-reg", "thi", "zhou", "1973-11-08", "5 westfield hill", "CO9 0BA", "register", "current");
    Linker linker = linked(pop.records);
    auto level = [&](const char* a, const char* b) {
      for (const auto& t : linker.explain(a, b).terms)
        if (t.name == "first_name") return t.level;
      return std::string();
    };
    CHECK(level("es-reg", "es-ae2022-06-30") == "nickname");
    CHECK(level("hz-reg", "hz-ae2023-01-13") == "jaro_winkler_0.92");
    CHECK(level("es-reg", "ts-reg") == "different");
    auto p = person_by_record(linker);
    for (const char* d : {"2022-06-30", "2022-10-01", "2024-01-16", "2025-02-20"}) CHECK(p[fmt::format("es-ae{}", d)] == p["es-reg"]);
    CHECK(p["es-ct"] == p["es-reg"]);
    CHECK(p["hz-ae2023-01-13"] == p["hz-reg"]);
    CHECK(p["hz-ae2025-03-23"] == p["hz-reg"]);
    CHECK(p["ts-reg"] != p["es-reg"]);
    CHECK(p["tz-reg"] != p["hz-reg"]);
  }

  TEST_CASE("linker.dob_guard: a record without a date of birth never bridges people born years apart") {
    // Christine Lamb (1984, identity 0) and Chrissie Lamb (1977, identity 1); a council tax
    // account under "Christine Lamb" at Chrissie's flat (identity 2, no date of birth) matches
    // Christine by name and Chrissie by home. It joins the stronger, never both.
    const std::vector<std::int32_t> dob = {19840824, 19770611, 0, 19840825, 19770611};
    ConstrainedUnionFind uf;
    uf.resize(dob.size());
    for (std::uint32_t x = 0; x < dob.size(); ++x) uf.set_dob(x, dob[x]);
    std::vector<Edge> edges = {{2, 1, 9.0}, {0, 2, 12.0}, {3, 0, 20.0}};
    cluster_edges(edges, uf, false, &dob);
    CHECK(uf.find(0) == uf.find(2));
    CHECK(uf.find(0) == uf.find(3));  // one digit off: a typo of the same date
    CHECK(uf.find(1) != uf.find(2));
    CHECK(uf.conflicts(1, 2));
    // An edge scored on both dates (an NHS number agreeing despite them) still joins.
    std::vector<Edge> direct = {{4, 3, 15.0}};
    cluster_edges(direct, uf, false, &dob);
    CHECK(uf.find(4) == uf.find(0));
    // Without dates of birth recorded, the same edges make one chain.
    ConstrainedUnionFind plain;
    plain.resize(dob.size());
    std::vector<Edge> again = {{2, 1, 9.0}, {0, 2, 12.0}};
    cluster_edges(again, plain);
    CHECK(plain.find(0) == plain.find(1));
    CHECK(could_be_one_dob(19840824, 19840824));
    CHECK(could_be_one_dob(19840824, 19840825));  // one digit off
    CHECK(could_be_one_dob(19840408, 19840804));  // day and month swapped
    CHECK(could_be_one_dob(19840000, 19840804));  // year only
    CHECK(could_be_one_dob(0, 19840804));
    CHECK_FALSE(could_be_one_dob(19840824, 19770611));
    CHECK_FALSE(could_be_one_dob(19930604, 20020528));
  }

  TEST_CASE("linker.cluster: cannot-links hold while groups grow past the compaction of their lists") {
    // Each group's list of identities it may not join is compacted (roots, sorted, distinct) only
    // when it has doubled. Random joins of 600 identities with 900 cannot-links against a plain
    // reference: two groups join exactly when no cannot-link runs between them.
    const std::uint32_t n = 600;
    std::uint64_t state = 12345;
    const auto next = [&state](std::uint32_t bound) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<std::uint32_t>((state >> 33) % bound);
    };
    ConstrainedUnionFind uf;
    uf.resize(n);
    std::vector<std::uint32_t> group(n);
    for (std::uint32_t x = 0; x < n; ++x) group[x] = x;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> apart;
    // Most cannot-links touch the first 20 identities, so their groups' lists run to hundreds.
    for (int k = 0; k < 900; ++k) {
      const std::uint32_t a = next(20), b = 20 + next(n - 20);
      uf.cannot_link(a, b);
      apart.emplace_back(a, b);
    }
    std::size_t joined = 0, refused = 0;
    for (int k = 0; k < 4000; ++k) {
      const std::uint32_t a = next(n), b = next(n);
      const std::uint32_t ga = group[a], gb = group[b];
      const bool blocked = ga != gb && std::any_of(apart.begin(), apart.end(), [&](const auto& p) {
        return (group[p.first] == ga && group[p.second] == gb) || (group[p.first] == gb && group[p.second] == ga);
      });
      CAPTURE(k);
      REQUIRE(uf.unite(a, b) == !blocked);
      if (blocked) {
        ++refused;
      } else if (ga != gb) {
        ++joined;
        for (auto& g : group)
          if (g == gb) g = ga;
      }
    }
    CHECK(joined > 100);
    CHECK(refused > 100);
    for (const auto& [a, b] : apart) CHECK(uf.find(a) != uf.find(b));
  }

  TEST_CASE("linker.dob_guard: dates of birth that two sources confirm keep namesakes apart, though one digit apart") {
    // Laura Jones born 1987-08-31 in health and council tax (identity 0) and Laura Jones born
    // 1997-08-31 in police and social care (1): scored a match on names and a one-digit date, but
    // a keying error is one system's, not repeated in another. Each seen in one source only (2,
    // 3), the same dates may be a typo; day and month swapped (4, 5) are one date read two ways.
    const std::vector<std::int32_t> dob = {19870831, 19970831, 19870831, 19970831, 19870408, 19870804};
    const std::vector<std::uint32_t> sources = {0b0011, 0b1100, 0b0001, 0b0100, 0b0011, 0b1100};
    ConstrainedUnionFind uf;
    uf.resize(dob.size());
    for (std::uint32_t x = 0; x < dob.size(); ++x) uf.set_dob(x, dob[x], sources[x]);
    std::vector<Edge> edges = {{0, 1, 20.0}, {2, 3, 20.0}, {4, 5, 20.0}};
    cluster_edges(edges, uf, false, &dob);
    CHECK(uf.find(0) != uf.find(1));
    CHECK(uf.find(2) == uf.find(3));
    CHECK(uf.find(4) == uf.find(5));
    // Once a group holds both dates (a typo joined by a stronger link), the rule no longer applies.
    CHECK(uf.unite(0, 2));
    CHECK(uf.unite(1, 0));
  }

  TEST_CASE("linker.link: one call runs fit, predict and cluster as the steps do, fitting only when needed") {
    const Population pop = make_population(40, 17);
    const Linker steps = linked(pop.records);
    Linker one(fast_settings());
    one.add_records(pop.records);
    one.link();
    CHECK(one.person_ids() == steps.person_ids());
    CHECK(link(pop.records, fast_settings()) == steps.person_ids());
    CHECK_THROWS_AS(one.link(), StateError);
    // A loaded model is used as it is, not refitted.
    Linker loaded(fast_settings());
    loaded.add_records(pop.records);
    loaded.load_model_json(steps.model_json());
    loaded.link();
    CHECK(loaded.parameters().lambda == steps.parameters().lambda);
    CHECK(loaded.person_ids() == steps.person_ids());
  }

  TEST_CASE("linker.stable_ids: identical across runs and thread counts") {
    const Population pop = make_population(40, 3);
    Settings one = fast_settings(), two = fast_settings();
    one.n_threads = 1;
    two.n_threads = 2;
    const auto a = link(pop.records, one);
    const auto b = link(pop.records, two);
    const auto c = link(pop.records, two);
    CHECK(a == b);
    CHECK(b == c);
    CHECK(a.front().size() == 17);
    CHECK(a.front()[0] == 'P');
  }

  TEST_CASE("linker.explain: terms sum to the score") {
    const Population pop = make_population(40, 4);
    Linker linker(fast_settings());
    linker.add_records(pop.records);
    linker.fit();
    for (std::size_t i = 0; i + 1 < 30; ++i) {
      const Explanation ex = linker.explain(pop.records[i].record_id, pop.records[i + 1].record_id);
      double sum = 0;
      for (const auto& t : ex.terms) sum += t.weight;
      CHECK(sum == doctest::Approx(ex.weight).epsilon(1e-9));
      CHECK(ex.probability == doctest::Approx(probability_from_weight(ex.weight)));
    }
    CHECK_THROWS_AS(linker.explain("nope", pop.records[0].record_id), InvalidArgument);
  }

  TEST_CASE("linker.json: settings and model round trip, and bad keys are named") {
    Settings s;
    s.match_threshold = 0.8;
    s.link_type = LinkType::link_only;
    s.blocking_rules = {BlockingRule::parse("surname+dob")};
    const Settings t = Settings::from_json(s.to_json());
    CHECK(t.to_json() == s.to_json());
    CHECK_THROWS_WITH_AS(Settings::from_json(R"({"treshold": 0.5})"), doctest::Contains("treshold"), InvalidArgument);
    CHECK_THROWS_WITH_AS(Settings::from_json(R"({"blocking_rules": ["postcode+shoe_size"]})"),
                         doctest::Contains("shoe_size"), InvalidArgument);
    CHECK_THROWS_AS(Settings::from_json("{"), InvalidArgument);
    const Population pop = make_population(30, 2);
    Linker a(fast_settings());
    a.add_records(pop.records);
    a.fit();
    Linker b(fast_settings());
    b.add_records(pop.records);
    b.load_model_json(a.model_json());
    const auto ea = a.explain(pop.records[0].record_id, pop.records[1].record_id);
    const auto eb = b.explain(pop.records[0].record_id, pop.records[1].record_id);
    CHECK(eb.weight == doctest::Approx(ea.weight).epsilon(1e-6));
    // A Splink model: comparisons by output column, levels in order, null levels skipped.
    const char* splink = R"({"probability_two_random_records_match": 0.001, "comparisons": [
      {"output_column_name": "first_name", "comparison_levels": [
        {"is_null_level": true},
        {"m_probability": 0.9, "u_probability": 0.01},
        {"m_probability": 0.1, "u_probability": 0.99}]}]})";
    Linker c(fast_settings());
    c.add_records(pop.records);
    c.load_model_json(splink);
    CHECK(c.parameters().lambda == doctest::Approx(0.001));
    CHECK(c.parameters().fields[0].m[0] > 0.5);
    CHECK_THROWS_AS(c.load_model_json(R"({"x": 1})"), InvalidArgument);
  }

  TEST_CASE("linker.bad_input: empty, all fields empty, 100,000 identical records") {
    SUBCASE("empty") {
      std::vector<std::string> warnings;
      CHECK(link({}, fast_settings(), &warnings).empty());
    }
    SUBCASE("all identifying fields empty: each record is its own person, with a warning") {
      std::vector<Record> recs(50);
      for (std::size_t i = 0; i < recs.size(); ++i) recs[i].record_id = "e" + std::to_string(i);
      std::vector<std::string> warnings;
      const auto persons = link(recs, fast_settings(), &warnings);
      CHECK(std::set<std::string>(persons.begin(), persons.end()).size() == recs.size());
      REQUIRE(!warnings.empty());
      CHECK(warnings.front().find("no identifying field") != std::string::npos);
    }
    SUBCASE("100,000 identical records: one person, quickly, with an oversized-block warning") {
      std::vector<Record> recs(100000, eh_test::person("", "john", "smith", "1980-01-01", "1 high street", "LS1 1AA"));
      for (std::size_t i = 0; i < recs.size(); ++i) recs[i].record_id = std::to_string(i);
      const auto t0 = std::chrono::steady_clock::now();
      std::vector<std::string> warnings;
      const auto persons = link(recs, fast_settings(), &warnings);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      CHECK(std::set<std::string>(persons.begin(), persons.end()).size() == 1);
      // No hang: all pairs of 100,000 records would be 5e9 comparisons (hours); collapsed
      // identities take well under a second in Release (a generous bound for sanitizer builds).
      CHECK(seconds < 30.0);
      bool oversized = false;
      for (const auto& w : warnings) oversized = oversized || w.find("oversized block") != std::string::npos;
      CHECK(oversized);
    }
    SUBCASE("duplicate and empty record ids are named") {
      std::vector<Record> recs{eh_test::person("a", "x", "y", ""), eh_test::person("a", "x", "y", "")};
      CHECK_THROWS_WITH_AS(link(recs), doctest::Contains("record 2 repeats"), InvalidArgument);
      recs[1].record_id.clear();
      CHECK_THROWS_WITH_AS(link(recs), doctest::Contains("empty record_id"), InvalidArgument);
    }
  }
}
