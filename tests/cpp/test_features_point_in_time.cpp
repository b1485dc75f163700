// SPDX-License-Identifier: Apache-2.0
// Point-in-time correctness: on a synthetic council, for several dates D, the features computed
// from the full extracts equal, byte for byte, the features computed from the extracts cut at D
// (rows with an event date on or after D removed, end dates on or after D emptied), with the same
// persons and households.
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/features/table.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/synth/generate.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::features;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Copies the extracts of `from` into `to` as they stood before `cut`: rows whose event date is on
// or after it are dropped, and any other date (an end date) on or after it is emptied. Dates of
// birth are facts about the person, not events, and stay. Returns the rows dropped.
std::size_t cut_extracts(const schema::Schema& sch, const fs::path& from, const fs::path& to, Date cut) {
  fs::create_directories(to);
  std::size_t dropped = 0;
  for (const auto& stream : sch.streams) {
    const fs::path in = from / (stream.name + ".csv");
    if (!fs::exists(in)) continue;
    io::CsvReader reader = io::CsvReader::open(in.string());
    io::CsvWriter out = io::CsvWriter::open((to / (stream.name + ".csv")).string());
    const auto& header = reader.header();
    out.write_row(header);
    std::vector<int> role(header.size(), 0);  // 1: the event date, 2: another date to clip
    for (std::size_t c = 0; c < header.size(); ++c) {
      const schema::Field* f = stream.find(header[c]);
      if (f == nullptr || (f->type != schema::FieldType::date && f->type != schema::FieldType::datetime)) continue;
      role[c] = f->name == stream.event_date_field ? 1 : f->link_key == "dob" ? 0 : 2;
    }
    io::CsvRecord rec;
    while (reader.next(rec)) {
      bool keep = true;
      std::vector<std::string_view> row(rec.fields.begin(), rec.fields.end());
      for (std::size_t c = 0; c < row.size() && c < role.size(); ++c) {
        if (role[c] == 0) continue;
        const auto d = parse_date(row[c]);
        if (!d || *d < cut) continue;
        if (role[c] == 1) keep = false;
        else row[c] = std::string_view();
      }
      if (keep) out.write_row(row);
      else ++dropped;
    }
    out.close();
  }
  return dropped;
}

// Links the extracts of `dir` as `earlyhelp link --data` does; households as of `as_of`.
Linkage link(const schema::Schema& sch, const std::string& dir, Date as_of) {
  linkage::Linker linker;
  linkage::for_each_extract_batch(dir, sch, [&](std::vector<linkage::Record>& b) { linker.add_records(b); });
  linker.fit();
  linker.predict();
  linker.cluster();
  Linkage links(sch);
  links.add_records({}, linker.records().record_ids, linker.person_ids(), "linker");  // ids are <stream>:<id>
  const CivilDate c = to_civil(as_of);
  std::vector<std::string> persons, households, roles;
  for (const auto& m : linker.households(c.year * 10000 + c.month * 100 + c.day)) {
    persons.push_back(m.person_id);
    households.push_back(m.household_id);
    roles.push_back(m.role);
  }
  links.set_households(persons, households, roles, "linker");
  return links;
}

std::string table_csv(const FeatureSet& set, const EventStore& store, Date d, Level level, const std::string& path) {
  FeatureCsvWriter w(path, level, set.column_names(level), 2);
  compute_blocks(set, store, {d}, level, [&](const FeatureBlock& b) { w.write(b, store); });
  w.close();
  return slurp(path);
}

}  // namespace

TEST_SUITE("features") {

TEST_CASE("features.point_in_time: full extracts and extracts cut at the date give the same bytes") {
  const fs::path root = fs::temp_directory_path() /
                        fmt::format("eh_pit_{}_{}", ::getpid(), std::chrono::steady_clock::now().time_since_epoch().count());
  synth::Config cfg;
  cfg.persons = 900;
  cfg.seed = 11;
  cfg.n_threads = 2;
  synth::write_directory(cfg, (root / "full").string());
  const FeatureSet set = FeatureSet::builtin();
  const Linkage links = link(set.schema(), (root / "full").string(), *parse_date("2024-10-01"));
  const EventStore full = load_events(set, (root / "full").string(), links);

  for (const char* day : {"2022-09-01", "2023-10-01", "2024-06-30", "2025-02-14"}) {
    CAPTURE(day);
    const Date d = *parse_date(day);
    const fs::path cut_dir = root / fmt::format("cut_{}", day);
    const std::size_t dropped = cut_extracts(set.schema(), root / "full", cut_dir, d);
    REQUIRE(dropped > 0);  // the cut removed something, so the test can fail
    const EventStore cut = load_events(set, cut_dir.string(), links);
    for (const Level level : {Level::person, Level::family}) {
      const std::string a = table_csv(set, full, d, level, (root / "a.csv").string());
      const std::string b = table_csv(set, cut, d, level, (root / "b.csv").string());
      CHECK(a.size() > 1000);
      CHECK_MESSAGE(a == b, "level " << to_string(level) << ": first difference at byte "
                                     << std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
    }
  }
  // Features over time differ (the check above is not comparing constant tables).
  const std::string early = table_csv(set, full, *parse_date("2023-10-01"), Level::person, (root / "a.csv").string());
  const std::string late = table_csv(set, full, *parse_date("2024-06-30"), Level::person, (root / "b.csv").string());
  CHECK(early != late);
  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // TEST_SUITE
