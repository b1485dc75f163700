// SPDX-License-Identifier: Apache-2.0
// Linking extracts into persons and households for the verbs that start from extracts
// (profiling/link_extracts.hpp).
#include "earlyhelp/profiling/link_extracts.hpp"

#include "earlyhelp/core/memory.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <algorithm>
#include <future>
#include <unordered_map>

namespace earlyhelp::profiling {

namespace {

// The extracts' records into the linker, batch by batch in file and row order. With `overlap`,
// a batch is added on a second thread while this one reads the next (reading and preparing a
// batch cost about the same, and each was the whole process for a third of the run); the
// batches still reach the linker one at a time and in order, so the linkage is the same.
void add_extracts(linkage::Linker& linker, const std::string& data_dir, const schema::Schema& sch, bool overlap) {
  if (!overlap) {
    linkage::for_each_extract_batch(data_dir, sch, [&](std::vector<linkage::Record>& batch) { linker.add_records(batch); });
    return;
  }
  std::vector<linkage::Record> adding;  // the batch on the second thread
  std::future<void> added;              // declared last: on an exception it is waited for first
  linkage::for_each_extract_batch(data_dir, sch, [&](std::vector<linkage::Record>& batch) {
    if (added.valid()) added.get();  // rethrows the linker's error, if any
    adding = std::move(batch);
    batch.clear();
    added = std::async(std::launch::async, [&] { linker.add_records(adding); });
  });
  if (added.valid()) added.get();
}

}  // namespace

features::Linkage link_extracts(const std::string& data_dir, Date as_of, const std::string& households_csv,
                                int n_threads, const Progress& progress) {
  const schema::Schema sch = schema::Schema::builtin();
  std::vector<linkage::HouseholdMembership> homes;
  std::vector<std::string> persons, sources, ids;
  {
    // The linker is the largest thing alive (3.4 GB for the default county): it goes before
    // the linkage is copied out, so the two never peak together.
    linkage::Settings settings;
    if (n_threads != 0) settings.n_threads = n_threads;
    settings.progress = progress;
    linkage::Linker linker(settings);
    add_extracts(linker, data_dir, sch, resolve_threads(n_threads) >= 2);
    linker.link();  // fit, predict, cluster: the sequence every entry point runs
    const CivilDate c = to_civil(as_of);
    // households() runs alone, not beside the copying out below: on the county the two together
    // took the peak from 3.86 to 4.15 GiB (its per-person maps and the 3.6M id strings at once).
    homes = linker.households(c.year * 10000 + c.month * 100 + c.day);
    persons = linker.person_ids();
    // Each record id split into stream and local id here, not copied out whole and split after:
    // the two short strings take what the copy took (both mostly fit in a std::string's own
    // buffer), and 3.6M allocations and frees of the county are saved.
    const std::vector<std::string>& record_ids = linker.records().record_ids;
    sources.reserve(record_ids.size());
    ids.reserve(record_ids.size());
    for (const std::string& id : record_ids) {
      const auto [stream, local] = linkage::split_extract_record_id(id);
      sources.emplace_back(stream);
      ids.emplace_back(local);
    }
  }
  // The linker's memory goes back to the system: the features read next allocate on worker threads,
  // whose heaps cannot reuse the main thread's freed pages (on the county the process's resident
  // memory otherwise kept growing to its peak in the scoring, after the linker was gone).
  release_free_memory();
  const auto write_file = [&] {
    // The persons' index is built here, on the writer's thread when there are two: only the file
    // reads it.
    std::unordered_map<std::string_view, const linkage::HouseholdMembership*> home_of;
    home_of.reserve(homes.size());
    for (const auto& m : homes) home_of.emplace(m.person_id, &m);
    io::CsvWriter out = io::CsvWriter::open(households_csv);
    out.write_row({"source", "record_id", "person_id", "household_id", "role", "family"});
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const linkage::HouseholdMembership& m = *home_of.at(persons[i]);
      out.write_row({sources[i], ids[i], persons[i], m.household_id, m.role, m.family ? "1" : "0"});
    }
    out.close();
  };
  // With two threads the file is written on the second while this one indexes the linkage: both
  // only read the ids and persons. Declared after what it reads: on an exception it is waited for
  // before they go.
  std::future<void> written;
  if (resolve_threads(n_threads) >= 2) written = std::async(std::launch::async, write_file);
  else write_file();
  std::vector<std::string> household_ids, roles;
  features::Linkage links(sch);
  links.add_records(sources, ids, persons, households_csv);
  std::vector<std::string> member_ids;
  for (const auto& m : homes) {
    member_ids.push_back(m.person_id);
    household_ids.push_back(m.household_id);
    roles.push_back(m.role);
  }
  links.set_households(member_ids, household_ids, roles, households_csv);
  if (written.valid()) written.get();  // rethrows the writer's error, if any
  return links;
}

features::Linkage read_linkage(const std::string& persons_csv, const std::string& households_csv) {
  features::Linkage links = features::read_persons_csv(persons_csv, schema::Schema::builtin());
  if (!households_csv.empty()) {
    features::read_households_csv(links, households_csv);
  } else {
    const io::CsvReader reader = io::CsvReader::open(persons_csv);
    const auto& header = reader.header();
    if (std::find(header.begin(), header.end(), "household_id") != header.end())
      features::read_households_csv(links, persons_csv);
  }
  return links;
}

}  // namespace earlyhelp::profiling
