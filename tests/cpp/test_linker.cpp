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

  TEST_CASE("linker.families: twins and juniors stay apart; moved, swapped, nickname, initial, missing dob join") {
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

  TEST_CASE("linker.households: members share a household id; roles by age; families have a child") {
    const Population pop = make_population(60, 11);
    Linker linker = linked(pop.records);
    const auto persons = linker.person_ids();
    const auto hh = linker.household_ids(20240101);
    // Clean records (first of each person) of one true household share a predicted household.
    std::map<std::string, std::set<std::string>> predicted_of_truth;
    for (std::size_t i = 0; i < pop.records.size(); ++i)
      if (pop.records[i].source == "social_care") predicted_of_truth[pop.household.at(pop.truth[i])].insert(hh[i]);
    std::size_t consistent = 0;
    for (const auto& [h, ids] : predicted_of_truth) consistent += ids.size() == 1 ? 1 : 0;
    CHECK(static_cast<double>(consistent) / static_cast<double>(predicted_of_truth.size()) >= 0.9);
    const auto members = linker.households(20240101);
    std::size_t adults = 0, children = 0;
    for (const auto& m : members) {
      adults += m.role == "adult";
      children += m.role == "child";
      if (m.role == "child") CHECK(m.family);
    }
    CHECK(adults > 0);
    CHECK(children > 0);
    CHECK_THROWS_AS(Linker().households(20240101), StateError);
  }

  TEST_CASE("linker.households: dated records place a family that moved and its successors at one address") {
    // The Quarringtons live at 10 Elm Grove until March 2024, then at 5 Oak Close; the
    // Zylberbergs move into 10 Elm Grove in May 2024. Their register rows show where they live now.
    Population pop = make_population(30, 21);
    int n = 0;
    auto add = [&](const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& address, const std::string& postcode, const std::string& date) {
      pop.records.push_back(eh_test::dated(
          eh_test::person(fmt::format("t{:03d}", n++), first, surname, dob, address, postcode, "", "council_tax"), date));
    };
    const std::string elm = "10 elm grove", elm_pc = "LS6 1AA", oak = "5 oak close", oak_pc = "LS9 2BB";
    for (const char* d : {"2022-04-01", "2022-11-05", "2023-04-01", "2023-10-01", "2024-02-01"}) {
      add("zebedee", "quarrington", "1979-03-14", elm, elm_pc, d);
      add("philippa", "quarrington", "1981-07-30", elm, elm_pc, d);
    }
    for (const char* d : {"2024-04-01", "2024-09-01"}) add("zebedee", "quarrington", "1979-03-14", oak, oak_pc, d);
    add("philippa", "quarrington", "1981-07-30", oak, oak_pc, "current");
    add("zebedee", "quarrington", "1979-03-14", oak, oak_pc, "current");
    for (const char* d : {"2022-06-01", "2023-06-01"}) {
      add("ignatius", "zylberberg", "1970-01-02", "77 ash drive", "LS12 3DD", d);
      add("henrietta", "zylberberg", "1972-05-06", "77 ash drive", "LS12 3DD", d);
    }
    for (const char* d : {"2024-06-01", "2024-11-01"}) {
      add("ignatius", "zylberberg", "1970-01-02", elm, elm_pc, d);
      add("henrietta", "zylberberg", "1972-05-06", elm, elm_pc, "current");
    }
    Linker linker = linked(pop.records);
    auto person_of_record = person_by_record(linker);
    auto household_of = [&](std::int32_t as_of, const std::string& record_id) {
      const auto hh = linker.household_ids(as_of);
      for (std::size_t i = 0; i < pop.records.size(); ++i)
        if (pop.records[i].record_id == record_id) return hh[i];
      return std::string();
    };
    // t000/t001: the Quarringtons; t014/t015: the Zylberbergs (at Ash Drive first).
    REQUIRE(person_of_record["t000"] != person_of_record["t001"]);
    CHECK(household_of(20250101, "t000") == household_of(20250101, "t001"));  // moved together
    CHECK(household_of(20250101, "t000") != household_of(20250101, "t014"));  // not with the new occupants
    CHECK(household_of(20250101, "t014") == household_of(20250101, "t015"));
    CHECK(household_of(20230101, "t000") == household_of(20230101, "t001"));
    CHECK(household_of(20230101, "t000") != household_of(20230101, "t014"));
    // Records without dates fall back to the most recorded address.
    PreparedRecords prepared;
    Record undated = eh_test::person("u1", "a", "b", "");
    Record current = undated, dated = undated;
    current.record_id = "u2", current.record_date = "current";
    dated.record_id = "u3", dated.record_date = "15/06/2024";
    Record partial = undated;
    partial.record_id = "u4", partial.record_date = "2024-06";
    prepared.add({undated, current, dated, partial});
    CHECK(prepared.record_date == std::vector<std::int32_t>{0, PreparedRecords::kCurrentDate, 20240615, 0});
  }

  TEST_CASE("linker.families: an adults-only record without a date of birth is not the child's; a successive occupant with the same first name is not the same person") {
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

  TEST_CASE("linker.orphans: a name-only record at an old address joins the one person with its name") {
    Population pop = make_population(30, 29);
    auto add = [&](const std::string& id, const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& address, const std::string& postcode, const std::string& source) {
      pop.records.push_back(eh_test::person(id, first, surname, dob, address, postcode, "", source));
    };
    // Zebedee Quarrington's council tax at his old address; his register row at the new one.
    add("o1", "zebedee", "quarrington", "", "4 old lane", "LS11 9ZZ", "council_tax");
    add("q1", "zebedee", "quarrington", "1979-03-14", "5 oak close", "LS9 2BB", "register");
    add("q2", "zebedee", "quarrington", "1979-03-14", "5 oak close", "LS9 2BB", "health");
    // Two different Ignatius Zylberbergs: the name-only record cannot say whose it is.
    add("o2", "ignatius", "zylberberg", "", "8 far road", "LS12 8ZZ", "council_tax");
    add("z1", "ignatius", "zylberberg", "1950-01-02", "77 ash drive", "LS7 3DD", "register");
    add("z2", "ignatius", "zylberberg", "1990-06-07", "12 elm grove", "LS6 1AA", "register");
    // Two Hortensia Plimsolls: one lived elsewhere all through the orphan's account, the other
    // moved to her present home after it closed; the account is the second one's.
    auto dated = [&](const std::string& id, const std::string& dob, const std::string& address,
                     const std::string& postcode, const std::string& date) {
      add(id, "hortensia", "plimsoll", dob, address, postcode, "council_tax");
      pop.records.back().record_date = date;
    };
    dated("o3", "", "3 mill lane", "LS2 4ZZ", "2022-04-01");
    dated("o4", "", "3 mill lane", "LS2 4ZZ", "2023-03-01");
    dated("h1", "1961-02-03", "9 wood way", "LS1 5XX", "2022-01-01");
    dated("h2", "1961-02-03", "9 wood way", "LS1 5XX", "2024-06-01");
    dated("k1", "1984-10-11", "70 new road", "LS8 6YY", "2023-07-01");
    dated("k2", "1984-10-11", "70 new road", "LS8 6YY", "2024-07-01");
    for (const bool absorb : {true, false}) {
      Settings s = fast_settings();
      s.absorb_orphans = absorb;
      Linker linker = linked(pop.records, s);
      auto p = person_by_record(linker);
      CHECK(p["q1"] == p["q2"]);
      CHECK((p["o1"] == p["q1"]) == absorb);
      CHECK(p["o2"] != p["z1"]);
      CHECK(p["o2"] != p["z2"]);
      CHECK(p["o3"] == p["o4"]);
      CHECK(p["h1"] != p["k1"]);
      CHECK(p["o3"] != p["h1"]);
      CHECK((p["o3"] == p["k1"]) == absorb);
      CHECK(linker.stats().orphans_absorbed >= (absorb ? 1u : 0u));
      if (!absorb) CHECK(linker.stats().orphans_absorbed == 0);
    }
    CHECK(Settings::from_json(R"({"absorb_orphans": false})").absorb_orphans == false);
  }

  TEST_CASE("linker.orphans: among namesakes, the one whose family was recorded at the orphan's address takes it") {
    for (const bool witness : {true, false}) {
      Population pop = make_population(30, 31);
      auto add = [&](const std::string& id, const std::string& first, const std::string& dob, const std::string& address,
                     const std::string& postcode, const std::string& source, const std::string& date) {
        pop.records.push_back(eh_test::dated(eh_test::person(id, first, "ng", dob, address, postcode, "", source), date));
      };
      // Wen Ng's council tax at the flat the family left in March 2023; nothing else of hers was
      // recorded there. Three Wen Ngs live in the county.
      add("o1", "wen", "", "flat 3, 10 albert street", "CO16 0AR", "council_tax", "2022-04-01");
      add("o2", "wen", "", "flat 3, 10 albert street", "CO16 0AR", "council_tax", "2023-03-01");
      add("a1", "wen", "1972-08-28", "12 highfield hill", "CO5 1AX", "register", "current");
      add("a2", "wen", "1972-08-28", "12 highfield hill", "CO5 1AX", "health", "2023-08-09");
      add("b1", "wen", "1985-02-02", "40 low road", "CO3 5AD", "register", "current");
      add("c1", "wen", "1990-05-05", "7 park lane", "CO9 7AR", "register", "current");
      // Her daughter lives with her now; her school recorded the old postcode until the move.
      add("d1", "thi", "2010-01-09", "12 highfield hill", "CO5 1AX", "register", "current");
      add("d3", "thi", "2010-01-09", "", "CO5 1AX", "school", "2023-07-21");
      if (witness) add("d2", "thi", "2010-01-09", "", "CO16 0AR", "school", "2022-12-20");
      Linker linker = linked(pop.records);
      auto p = person_by_record(linker);
      REQUIRE(p["a1"] == p["a2"]);
      CHECK(p["o1"] == p["o2"]);
      CHECK(p["a1"] != p["b1"]);
      CHECK((p["o1"] == p["a1"]) == witness);
      CHECK(p["o1"] != p["b1"]);
      CHECK(p["o1"] != p["c1"]);
    }
  }

  TEST_CASE("linker.households: a partner known only from the register lives where the family did; a former occupant is not a new one's household") {
    Population pop = make_population(30, 37);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    // The Saunders moved to Station Avenue in the last days of 2024: his tenancy and council tax
    // still show Bluebell Street; the register shows both of them at Station Avenue.
    add("ps1", "philip", "saunders", "1949-12-27", "72 bluebell street", "SS2 6AG", "tenancy", "2024-06-01");
    add("ps2", "philip", "saunders", "1949-12-27", "72 bluebell street", "SS2 6AG", "tenancy", "2024-12-28");
    add("ps3", "philip", "saunders", "1949-12-27", "72 bluebell street", "SS2 6AG", "council_tax", "2024-12-01");
    add("ps4", "philip", "saunders", "1949-12-27", "flat 6, 3 station avenue", "CM8 3DP", "register", "current");
    add("ss1", "sharon", "saunders", "1947-06-26", "flat 6, 3 station avenue", "CM8 3DP", "register", "current");
    // Olga Petrov's council tax at 6 Otter Square ended in 2022; Brian Bishop lives there now.
    add("op1", "olga", "petrov", "1960-01-01", "flat 5, 6 otter square", "CO15 8BT", "council_tax", "2021-04-01");
    add("op2", "olga", "petrov", "1960-01-01", "flat 5, 6 otter square", "CO15 8BT", "council_tax", "2022-04-01");
    add("bb1", "brian", "bishop", "1950-12-25", "flat 5, 6 otter square", "CO15 8BT", "health", "2024-11-04");
    add("bb2", "brian", "bishop", "1950-12-25", "flat 5, 6 otter square", "CO15 8BT", "register", "current");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    REQUIRE(p["ps1"] == p["ps4"]);
    REQUIRE(p["ps1"] != p["ss1"]);
    REQUIRE(p["op1"] != p["bb1"]);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["ps1"] == h["ss1"]);
    CHECK(h["op1"] != h["bb1"]);
    CHECK(h["bb1"] == h["bb2"]);
  }

  TEST_CASE("linker.households: council tax dates a move, so a family moving just after the date is still together at its old home") {
    Population pop = make_population(30, 43);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    add_movers(pop);
    // The Cheungs move to Harbour Close on 3 February 2025: his council tax account there starts
    // that day; his daughter's health records still show Ash Walk into February.
    for (const char* d : {"2024-04-01", "2024-10-18", "2024-12-13"})
      add(fmt::format("yc{}", d), "yi", "cheung", "1962-12-14", "18 ash walk", "CO4 6AJ", "council_tax", d);
    add("yc-new", "yi", "cheung", "1962-12-14", "40 harbour close", "CO7 8AP", "council_tax", "2025-02-03");
    for (const char* d : {"2024-11-20", "2024-12-20", "2025-02-20"})
      add(fmt::format("lc{}", d), "ling", "cheung", "2012-07-13", "18 ash walk", "CO4 6AJ", "health", d);
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    REQUIRE(p["yc2024-04-01"] == p["yc-new"]);
    REQUIRE(p["m00c1"] == p["m00c3"]);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["yc-new"] == h["lc2024-12-20"]);  // on 1 January 2025 they still lived together at Ash Walk
    std::map<std::string, double> lags;
    for (const auto& [source, days] : linker.address_lags()) lags[source] = days;
    REQUIRE(lags.count("council_tax") == 1);
    REQUIRE(lags.count("health") == 1);
    CHECK(lags["council_tax"] < 1.0);
    CHECK(lags["health"] > 30.0);
    CHECK_THROWS_AS(Linker().address_lags(), StateError);
  }

  TEST_CASE("linker.households: a register row that has not caught up with a move dated by council tax does not split the family") {
    Population pop = make_population(30, 59);
    add_movers(pop);
    const auto add = [&](const auto&... fields) { add_dated(pop, fields...); };
    // The Bakers move from Jubilee Avenue to Lancaster Place on 5 January 2025: his council tax
    // account there starts that day; the register still shows him at Jubilee Avenue and already
    // shows her at Lancaster Place.
    add("sb-reg", "stuart", "baker", "1982-06-02", "35 jubilee avenue", "CO1 2AH", "register", "current");
    add("sb-ct1", "stuart", "baker", "1982-06-02", "35 jubilee avenue", "CO1 2AH", "council_tax", "2022-04-01");
    add("sb-ct2", "stuart", "baker", "1982-06-02", "43 lancaster place", "CO15 2GA", "council_tax", "2025-01-05");
    add("jb-reg", "joanne", "baker", "1981-11-19", "43 lancaster place", "CO15 2GA", "register", "current");
    // The Fitzgeralds move on 19 February 2025; the register already shows their son at the new
    // flat, his father still at the old one.
    for (const char* d : {"2024-05-15", "2024-10-12", "2025-02-16"})
      add(fmt::format("bf-ct{}", d), "brian", "fitzgerald", "1976-06-10", "flat 1, 3 school rise", "CO15 4DQ", "council_tax", d);
    add("bf-reg", "brian", "fitzgerald", "1976-06-10", "flat 1, 3 school rise", "CO15 4DQ", "register", "current");
    add("bf-new", "brian", "fitzgerald", "1976-06-10", "flat 2, 21 kingfisher court", "CM1 0BB", "council_tax", "2025-02-19");
    add("tf-reg", "thomas", "fitzgerald", "2015-04-03", "flat 2, 21 kingfisher court", "CM1 0BB", "register", "current");
    add("tf-sc", "thomas", "fitzgerald", "2015-04-03", "flat 1, 3 school rise", "CO15 4DQ", "social_care", "2024-02-06");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    REQUIRE(p["sb-reg"] == p["sb-ct2"]);
    REQUIRE(p["bf-reg"] == p["bf-new"]);
    REQUIRE(p["tf-reg"] == p["tf-sc"]);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["sb-reg"] == h["jb-reg"]);  // together at Jubilee Avenue on 1 January 2025
    CHECK(h["bf-reg"] == h["tf-reg"]);  // together at School Rise
    CHECK(h["sb-reg"] != h["bf-reg"]);
  }

  TEST_CASE("linker.names: an ambiguous nickname matches each of its full names; a swapped pair of letters is a typo, however short the name") {
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

  TEST_CASE("linker.households: one house number and street in two villages of one postcode district are two homes") {
    Population pop = make_population(30, 53);
    auto add = [&](const std::string& id, const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& address, const std::string& postcode, const std::string& uprn,
                   const std::string& source, const std::string& date) {
      Record r = eh_test::dated(eh_test::person(id, first, surname, dob, address, postcode, "", source), date);
      r.uprn = uprn;
      pop.records.push_back(std::move(r));
    };
    // 11 Priory Gardens in Braintham (CM8 1DU) and 11 Priory Gardens in Witham St Mary (CM8 7GE).
    // The register knows each property; council tax writes only the address and postcode.
    add("ed-reg", "ella", "davies", "1998-10-12", "11 priory gardens", "CM8 1DU", "100090428898", "register", "current");
    add("ld-reg", "liam", "davies", "1995-09-23", "11 priory gardens", "CM8 1DU", "100090428898", "register", "current");
    for (const char* d : {"2024-06-01", "2024-09-01", "2024-12-01"})
      add(fmt::format("ld-ct{}", d), "liam", "davies", "", "11 priory gardens", "CM8 1DU", "", "council_tax", d);
    add("ar-reg", "alice", "robinson", "1995-04-22", "11 priory gardens", "CM8 7GE", "100090470471", "register", "current");
    add("ar-ct", "alice", "robinson", "", "11 priory gardens", "CM8 7GE", "", "council_tax", "2024-11-01");
    add("gr-reg", "george", "robinson", "1993-02-11", "11 priory gardens", "CM8 7GE", "100090470471", "register", "current");
    add("gr-reg2", "george", "robinson", "1993-02-11", "11 priory gardens", "CM8 7GE", "100090470471", "tenancy", "2023-05-01");
    // A typo in the inward code of a council tax record still finds the property.
    add("ld-typo", "liam", "davies", "", "11 priory gardens", "CM8 1DV", "", "council_tax", "2024-12-20");
    Linker linker = linked(pop.records);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["ed-reg"] == h["ld-reg"]);
    CHECK(h["ar-reg"] == h["gr-reg"]);
    CHECK(h["ed-reg"] != h["ar-reg"]);
    CHECK(h["ld-typo"] == h["ld-reg"]);
  }

  TEST_CASE("linker.two_homes: one system recording a name at two homes through the same year records two people") {
    Population pop = make_population(30, 41);
    auto add = [&](const std::string& id, const std::string& address, const std::string& postcode,
                   const std::string& source, const std::string& date) {
      pop.records.push_back(eh_test::dated(eh_test::person(id, "wei", "le", "1954-09-02", address, postcode, "", source), date));
    };
    for (const char* d : {"2022-04-01", "2023-04-01", "2024-04-01"}) {
      add(std::string("x") + d, "9 telford view", "CO12 4AZ", "council_tax", d);
      add(std::string("y") + d, "6 windsor crescent", "CO12 4DZ", "council_tax", d);
    }
    // Another system at the other home meanwhile is no such evidence: a person who moved.
    add("z1", "6 windsor crescent", "CO12 4DZ", "health", "2023-01-01");
    add("z2", "6 windsor crescent", "CO12 4DZ", "health", "2023-06-01");
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    CHECK(p["x2022-04-01"] == p["x2024-04-01"]);
    CHECK(p["y2022-04-01"] == p["y2024-04-01"]);
    CHECK(p["x2022-04-01"] != p["y2022-04-01"]);
    CHECK(p["y2022-04-01"] == p["z1"]);
    CHECK(linker.stats().conflicts >= 1);
  }

  TEST_CASE("linker.two_homes: a school roll at two postcodes through the same year is two pupils") {
    // Two Tylers born the same day, on school rolls at different postcodes for years. A record
    // with only the first name and the date of birth (a contact whose surname was not taken)
    // matches both; it must not make them one pupil.
    Population pop = make_population(30, 43);
    auto add = [&](const std::string& id, const std::string& surname, const std::string& postcode, const std::string& date) {
      pop.records.push_back(eh_test::dated(eh_test::person(id, "tyler", surname, "2015-04-16", "", postcode, "m", "school"), date));
    };
    for (const char* d : {"2022-07-21", "2022-12-20", "2023-03-31", "2023-07-21", "2023-12-20", "2024-03-31"}) {
      add(std::string("o") + d, "o'connor", "CO13 4AJ", d);
      add(std::string("d") + d, "dixon", "CM8 4DE", d);
    }
    pop.records.push_back(eh_test::dated(eh_test::person("b1", "tyler", "", "2015-04-16", "", "", "m", "contacts"), "2024-09-13"));
    Linker linker = linked(pop.records);
    auto p = person_by_record(linker);
    CHECK(p["o2022-07-21"] == p["o2024-03-31"]);
    CHECK(p["d2022-07-21"] == p["d2024-03-31"]);
    CHECK(p["o2022-07-21"] != p["d2022-07-21"]);
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

  TEST_CASE("linker.incremental: added records join their existing person like a batch would") {
    const Population pop = make_population(120, 5);
    std::vector<Record> base, extra;
    std::vector<std::size_t> extra_index;
    for (std::size_t i = 0; i < pop.records.size(); ++i) {
      if (i % 7 == 3 && pop.variant.at(pop.records[i].record_id) != "clean") {
        extra.push_back(pop.records[i]);
        extra_index.push_back(i);
      } else {
        base.push_back(pop.records[i]);
      }
    }
    REQUIRE(extra.size() >= 10);
    Linker linker = linked(base);
    const auto before = linker.person_ids();
    const auto added = linker.add_records(extra);
    REQUIRE(added.size() == extra.size());
    const auto after = linker.person_ids();
    // Existing ids never change.
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(before[i] == after[i]);
    // Batch on everything for comparison.
    const auto batch = link(pop.records, fast_settings());
    std::map<std::string, std::string> base_person;  // truth -> incremental person of a base record
    for (std::size_t i = 0; i < base.size(); ++i) base_person.emplace(pop.truth[std::size_t(std::stoi(base[i].record_id.substr(1)))], before[i]);
    std::size_t agree = 0;
    for (std::size_t k = 0; k < extra.size(); ++k) {
      const std::size_t i = extra_index[k];
      // Batch puts the record with the rest of its person <=> incremental joins that person.
      bool batch_joined = false;
      for (std::size_t j = 0; j < pop.records.size(); ++j)
        if (j != i && pop.truth[j] == pop.truth[i] && batch[j] == batch[i]) batch_joined = true;
      const bool inc_joined = base_person.count(pop.truth[i]) && added[k] == base_person[pop.truth[i]];
      agree += batch_joined == inc_joined ? 1 : 0;
    }
    CHECK(static_cast<double>(agree) / static_cast<double>(extra.size()) >= 0.9);
  }

  TEST_CASE("linker.lookup: a typo'd record finds its person first") {
    const Population pop = make_population(80, 9);
    Linker linker = linked(pop.records);
    const auto persons = linker.person_ids();
    Record q = pop.records[10];
    q.record_id = "query";
    q.surname += "e";
    const auto n_before = linker.records().n_identities();
    const auto best = linker.lookup(q, 3);
    REQUIRE(!best.empty());
    CHECK(best.front().person_id == persons[10]);
    CHECK(best.front().probability > 0.5);
    CHECK(linker.records().n_identities() == n_before);  // nothing was added
    CHECK_THROWS_AS(Linker().lookup(q), StateError);
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

  TEST_CASE("linker.json: settings and model round trip; bad keys are named") {
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
