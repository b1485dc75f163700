// SPDX-License-Identifier: Apache-2.0
// Reading the linkage result and the extracts (checked by io::validate_stream) into an EventStore.

#include "earlyhelp/features/load.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/core/text_arena.hpp"
#include "earlyhelp/io/ingest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

namespace earlyhelp::features {
// Named, not anonymous: Linkage::Impl (below) holds these types.
namespace load_detail {

namespace fs = std::filesystem;

using Arena = TextArena;

// Ids to numbers: open addressing with linear probing over one flat array, the keys' bytes in an
// arena. Millions of record ids cost one probe and no allocation each, where a node-based map
// cost an allocation per id and a cache miss per node (it was most of the reading time).
class IdIndex {
 public:
  /// The number of `key`, or nullptr.
  const std::int32_t* find(std::string_view key) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.data == nullptr) return nullptr;
      if (s.hash == h && s.size == key.size() && std::memcmp(s.data, key.data(), key.size()) == 0) return &s.value;
    }
  }
  /// Adds `key` (copied into `arena`) with `value` unless present; returns its number and whether it was added.
  std::pair<std::int32_t, bool> insert(std::string_view key, std::int32_t value, Arena& arena) {
    if (const std::int32_t* v = find(key)) return {*v, false};
    if (2 * (used_ + 1) > slots_.size()) grow();
    const std::string_view stored = arena.add(key);
    const std::uint64_t h = hash(key);
    std::size_t i = h & mask_;
    while (slots_[i].data != nullptr) i = (i + 1) & mask_;
    // An empty key still needs a non-null pointer to mark the slot used.
    slots_[i] = Slot{h, stored.empty() ? empty_ : stored.data(), static_cast<std::uint32_t>(key.size()), value};
    ++used_;
    return {value, true};
  }
  std::size_t size() const noexcept { return used_; }
  bool empty() const noexcept { return used_ == 0; }
  template <class Fn>
  void for_each_value(Fn&& fn) {
    for (Slot& s : slots_)
      if (s.data != nullptr) fn(s.value);
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    const char* data = nullptr;
    std::uint32_t size = 0;
    std::int32_t value = -1;
  };
  static std::uint64_t hash(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.data == nullptr) continue;
      std::size_t i = s.hash & mask_;
      while (slots_[i].data != nullptr) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  static constexpr const char* empty_ = "";
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace load_detail
using namespace load_detail;

// ---- linkage -----------------------------------------------------------------------------------

struct Linkage::Impl {
  std::vector<std::string> stream_names;
  std::vector<std::string> persons;  // sorted once renumber() has run
  Arena arena;
  std::vector<IdIndex> records;  // per stream: record id -> person number
  IdIndex number;                // while reading a file: person -> number
  std::map<std::string, std::size_t, std::less<>> unknown_streams;
  bool has_households = false;
  std::vector<std::int32_t> household;
  std::vector<std::string> household_ids;
  std::vector<Role> roles;
  std::vector<std::string_view> given;  // while setting households: per person
  std::size_t unknown_household_persons = 0;

  // One row of a persons file: `stream` may be empty when `id` is "<stream>:<id>".
  void add(std::string_view stream, std::string_view id, std::string_view person, std::string_view origin,
           std::size_t row) {
    person = trim_blanks(person);
    stream = trim_blanks(stream);
    id = trim_blanks(id);
    if (stream.empty()) {
      const std::size_t colon = id.find(':');
      if (colon != std::string_view::npos) {
        stream = id.substr(0, colon);
        id = id.substr(colon + 1);
      }
    }
    if (id.empty() || person.empty())
      throw FormatError(fmt::format("{}: row {}: the {} is empty", origin, row, id.empty() ? "record_id" : "person_id"));
    if (stream.empty())
      throw FormatError(fmt::format("{}: row {}: no stream for the record (expected a source column or a record_id "
                                    "written <stream>:<id>)",
                                    origin, row));
    const auto s = static_cast<std::size_t>(std::find(stream_names.begin(), stream_names.end(), stream) -
                                            stream_names.begin());
    if (s == stream_names.size()) {
      // Records of systems the schema does not describe cannot feed a feature: counted, skipped.
      ++unknown_streams[std::string(stream)];
      return;
    }
    if (number.empty())
      for (std::size_t i = 0; i < persons.size(); ++i) number.insert(persons[i], static_cast<std::int32_t>(i), arena);
    const auto [p, added] = number.insert(person, static_cast<std::int32_t>(persons.size()), arena);
    if (added) persons.emplace_back(person);
    const auto [q, new_record] = records[s].insert(id, p, arena);
    if (!new_record && q != p)
      throw FormatError(fmt::format("{}: row {}: a record of stream {} is given two different persons", origin, row,
                                    stream));
  }

  // Sorts the persons and renumbers the records.
  void renumber(std::string_view origin) {
    number = IdIndex();
    if (std::all_of(records.begin(), records.end(), [](const auto& r) { return r.empty(); })) {
      std::string list;
      for (const auto& [name, count] : unknown_streams) list += fmt::format("{}{} ({} rows)", list.empty() ? "" : ", ", name, count);
      throw FormatError(fmt::format("{}: no record belongs to a stream of the schema{}", origin,
                                    list.empty() ? std::string() : " (sources seen: " + list + ")"));
    }
    std::vector<std::int32_t> order(persons.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      return persons[static_cast<std::size_t>(a)] < persons[static_cast<std::size_t>(b)];
    });
    std::vector<std::int32_t> renumbered(persons.size());
    std::vector<std::string> sorted(persons.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      renumbered[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
      sorted[k] = std::move(persons[static_cast<std::size_t>(order[k])]);
    }
    persons = std::move(sorted);
    for (auto& recs : records) recs.for_each_value([&](std::int32_t& p) { p = renumbered[static_cast<std::size_t>(p)]; });
  }

  // One row of a households file.
  void household_row(std::string_view person, std::string_view h, std::string_view role, std::string_view origin,
                     std::size_t row) {
    person = trim_blanks(person);
    h = trim_blanks(h);
    role = trim_blanks(role);
    Role rv = Role::unknown;
    if (role == "adult") rv = Role::adult;
    else if (role == "child") rv = Role::child;
    else if (!role.empty() && role != "unknown")
      throw FormatError(fmt::format("{}: row {}: role: expected adult, child or unknown; got \"{}\"", origin, row, role));
    const std::int32_t* it = number.find(person);
    if (it == nullptr) {
      ++unknown_household_persons;
      return;
    }
    const auto p = static_cast<std::size_t>(*it);
    if (h.empty()) return;
    if (!given[p].empty() && given[p] != h)
      throw FormatError(fmt::format("{}: row {}: a person is given two households", origin, row));
    if (given[p].empty()) given[p] = arena.add(h);
    if (rv != Role::unknown) roles[p] = rv;
  }

  void begin_households() {
    if (has_households) throw StateError("Linkage: households are already set");
    given.assign(persons.size(), std::string_view());
    number = IdIndex();
    for (std::size_t i = 0; i < persons.size(); ++i) number.insert(persons[i], static_cast<std::int32_t>(i), arena);
    roles.assign(persons.size(), Role::unknown);
    unknown_household_persons = 0;
  }

  void end_households() {
    // The persons with a household in the order of its id: the ids numbered in one pass over them
    // (no copy of every person's id to sort, no search per person).
    std::vector<std::uint32_t> order;
    for (std::size_t p = 0; p < given.size(); ++p)
      if (!given[p].empty()) order.push_back(static_cast<std::uint32_t>(p));
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return given[a] < given[b]; });
    std::vector<std::string> ids;
    household.assign(persons.size(), -1);
    for (const std::uint32_t p : order) {
      if (ids.empty() || ids.back() != given[p]) ids.emplace_back(given[p]);
      household[p] = static_cast<std::int32_t>(ids.size() - 1);
    }
    household_ids = std::move(ids);
    std::vector<std::string_view>().swap(given);
    number = IdIndex();
    has_households = true;
  }
};

Linkage::Linkage(const schema::Schema& schema) : impl_(std::make_unique<Impl>()) {
  for (const auto& s : schema.streams) impl_->stream_names.push_back(s.name);
  impl_->records.resize(schema.streams.size());
}
Linkage::Linkage(Linkage&&) noexcept = default;
Linkage& Linkage::operator=(Linkage&&) noexcept = default;
Linkage::~Linkage() = default;

void Linkage::add_records(const std::vector<std::string>& sources, const std::vector<std::string>& record_ids,
                          const std::vector<std::string>& person_ids, std::string_view origin) {
  if (impl_->has_households) throw StateError("Linkage::add_records: records must be added before the households");
  const std::size_t n = record_ids.size();
  EH_CHECK(person_ids.size() == n && (sources.empty() || sources.size() == n),
           "Linkage::add_records: {} record ids, {} person ids and {} sources", n, person_ids.size(), sources.size());
  for (std::size_t i = 0; i < n; ++i)
    impl_->add(sources.empty() ? std::string_view() : sources[i], record_ids[i], person_ids[i], origin, i + 1);
  impl_->renumber(origin);
}

void Linkage::set_households(const std::vector<std::string>& person_ids, const std::vector<std::string>& household_ids,
                             const std::vector<std::string>& roles, std::string_view origin) {
  const std::size_t n = person_ids.size();
  EH_CHECK(household_ids.size() == n && (roles.empty() || roles.size() == n),
           "Linkage::set_households: {} person ids, {} household ids and {} roles", n, household_ids.size(), roles.size());
  impl_->begin_households();
  for (std::size_t i = 0; i < n; ++i)
    impl_->household_row(person_ids[i], household_ids[i], roles.empty() ? std::string_view() : roles[i], origin, i + 1);
  impl_->end_households();
}

const std::vector<std::string>& Linkage::person_ids() const { return impl_->persons; }

std::int32_t Linkage::person_of(std::size_t stream, std::string_view record_id) const {
  if (stream >= impl_->records.size()) return -1;
  const std::int32_t* p = impl_->records[stream].find(record_id);
  return p == nullptr ? -1 : *p;
}

std::vector<std::size_t> Linkage::records_per_stream() const {
  std::vector<std::size_t> out;
  for (const auto& r : impl_->records) out.push_back(r.size());
  return out;
}

bool Linkage::has_households() const noexcept { return impl_->has_households; }
const std::vector<std::int32_t>& Linkage::household() const { return impl_->household; }
const std::vector<std::string>& Linkage::household_ids() const { return impl_->household_ids; }
const std::vector<Role>& Linkage::roles() const { return impl_->roles; }
std::size_t Linkage::unknown_household_persons() const noexcept { return impl_->unknown_household_persons; }
std::vector<std::pair<std::string, std::size_t>> Linkage::unknown_streams() const {
  return {impl_->unknown_streams.begin(), impl_->unknown_streams.end()};
}

namespace {

// Calls `row(values, row_number)` for each row of a CSV file with the named columns (an absent
// optional column gives "").
template <class Row>
void for_each_row(const std::string& path, const std::vector<std::string_view>& names, const std::vector<bool>& required,
                  Row&& row) {
  io::CsvReader reader = io::CsvReader::open(path);
  if (reader.empty_input()) throw FormatError(fmt::format("{}: empty file (expected a header row)", path));
  const auto& header = reader.header();
  std::vector<std::optional<std::size_t>> at(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (trim_blanks(header[c]) == names[k]) at[k] = c;
    if (!at[k] && required[k])
      throw FormatError(fmt::format("{}: no '{}' column (the header has {} columns)", path, names[k], header.size()));
  }
  io::CsvRecord rec;
  std::vector<std::string_view> values(names.size());
  while (reader.next(rec)) {
    if (rec.size() != header.size())
      throw FormatError(fmt::format("{}: row {} (line {}) has {} fields, the header has {}", path, rec.row, rec.line,
                                    rec.size(), header.size()));
    for (std::size_t k = 0; k < names.size(); ++k) values[k] = at[k] ? rec[*at[k]] : std::string_view();
    row(values, rec.row);
  }
}

}  // namespace

Linkage read_persons_csv(const std::string& path, const schema::Schema& schema) {
  Linkage links(schema);
  Linkage::Impl& im = *links.impl_;
  for_each_row(path, {"source", "record_id", "person_id"}, {false, true, true},
               [&](const std::vector<std::string_view>& v, std::size_t row) { im.add(v[0], v[1], v[2], path, row); });
  im.renumber(path);
  return links;
}

void read_households_csv(Linkage& links, const std::string& path) {
  Linkage::Impl& im = *links.impl_;
  im.begin_households();
  for_each_row(path, {"person_id", "household_id", "role"}, {true, true, false},
               [&](const std::vector<std::string_view>& v, std::size_t row) { im.household_row(v[0], v[1], v[2], path, row); });
  im.end_households();
}

// ---- extracts ----------------------------------------------------------------------------------

namespace {

// Receives one stream's rows from validate_stream: clean rows of linked records go to the
// builder; rejects go to the rejects file when one is asked for.
class StoreSink : public io::IngestSink {
 public:
  StoreSink(EventStoreBuilder& builder, const Linkage& links, std::size_t stream, std::size_t id_field,
            io::IngestSink* rejects)
      : builder_(builder), links_(links), stream_(stream), id_field_(id_field), rejects_(rejects) {}

  void begin(const schema::Stream& s, const std::vector<std::string>& header) override {
    if (rejects_ != nullptr) rejects_->begin(s, header);
  }
  void clean(std::size_t, const std::vector<io::FieldValue>& values) override {
    const std::int32_t p = links_.person_of(stream_, values[id_field_].text);
    if (p < 0) {
      ++unlinked;
      return;
    }
    builder_.add(stream_, p, values);
  }
  void reject(const io::Reject& r, const std::vector<std::string_view>& raw) override {
    if (rejects_ != nullptr) rejects_->reject(r, raw);
  }
  void end() override {
    if (rejects_ != nullptr) rejects_->end();
  }

  std::size_t unlinked = 0;

 private:
  EventStoreBuilder& builder_;
  const Linkage& links_;
  std::size_t stream_;
  std::size_t id_field_;
  io::IngestSink* rejects_;
};

}  // namespace

EventStore load_events(const FeatureSet& set, const std::string& data_dir, const Linkage& links,
                       const LoadOptions& options, LoadReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  const schema::Schema& sch = set.schema();
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) throw IOError(fmt::format("features --data: '{}' is not a readable folder", data_dir));
  LoadReport rep;
  std::vector<std::size_t> present;
  rep.streams.resize(sch.streams.size());
  for (std::size_t s = 0; s < sch.streams.size(); ++s) {
    rep.streams[s].stream = sch.streams[s].name;
    const fs::path file = fs::path(data_dir) / (sch.streams[s].name + ".csv");
    if (fs::is_regular_file(file, ec)) {
      rep.streams[s].file = file.string();
      present.push_back(s);
    }
  }
  for (const auto& e : fs::directory_iterator(data_dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".csv" && sch.find(e.path().stem().string()) == nullptr)
      rep.notes.push_back(fmt::format("{}: not a stream of the schema, skipped", e.path().filename().string()));
  if (ec) throw IOError(fmt::format("features --data: cannot list '{}': {}", data_dir, ec.message()));
  if (present.empty())
    throw IOError(fmt::format("features --data: '{}' holds no extract named after a stream of the schema "
                              "(<stream>.csv)",
                              data_dir));
  if (!options.rejects_dir.empty()) fs::create_directories(options.rejects_dir, ec);

  EventStoreBuilder builder(set, links.person_ids());
  // Large streams first, so two threads finish together.
  std::sort(present.begin(), present.end(), [&](std::size_t a, std::size_t b) {
    return fs::file_size(rep.streams[a].file, ec) > fs::file_size(rep.streams[b].file, ec);
  });
  options.progress("load", 0, present.size());
  parallel_for_chunks(present.size(), options.n_threads, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      const std::size_t s = present[k];
      const schema::Stream& stream = sch.streams[s];
      StreamLoad& out = rep.streams[s];
      builder.mark_present(s);
      std::unique_ptr<io::CsvFileSink> rejects;
      if (!options.rejects_dir.empty()) {
        out.rejects_file = (fs::path(options.rejects_dir) / (stream.name + ".rejects.csv")).string();
        // Clean rows already go to the features; the sink's clean file is not wanted.
        rejects = std::make_unique<io::CsvFileSink>("/dev/null", out.rejects_file);
      }
      const auto* id = stream.find(stream.record_id_field);
      StoreSink sink(builder, links, s, static_cast<std::size_t>(id - stream.fields.data()), rejects.get());
      io::CsvReader reader = io::CsvReader::open(out.file, options.csv);
      if (reader.empty_input()) continue;
      const io::IngestResult r = io::validate_stream(stream, reader, sink);
      out.rows_read = r.rows_read;
      out.rows_clean = r.rows_clean;
      out.rows_rejected = r.rows_rejected;
      out.rows_unlinked = sink.unlinked;
      for (const auto& [kind, count] : r.report.rejects_by_kind) out.rejects_by_kind.emplace_back(io::to_string(kind), count);
    }
  });
  options.progress("load", present.size(), present.size());
  for (std::size_t s = 0; s < sch.streams.size(); ++s)
    if (rep.streams[s].file.empty() && builder.reads(s))
      rep.notes.push_back(fmt::format("{}: no extract in the folder; the features that read it are missing (NaN)",
                                      sch.streams[s].name));
  if (links.has_households()) builder.set_households(links.household(), links.household_ids(), links.roles());
  EventStore store = builder.finish(options.n_threads);
  const auto never_seen = static_cast<std::size_t>(std::count(store.first_seen.begin(), store.first_seen.end(), never));
  if (never_seen > 0)
    rep.notes.push_back(fmt::format("{} persons of the persons file have no dated clean record in the extracts: they "
                                    "are in no table",
                                    never_seen));
  for (const auto& [source, rows] : links.unknown_streams())
    rep.notes.push_back(fmt::format("{} rows of the persons file name source '{}', not a stream of the schema: not used",
                                    rows, source));
  if (links.unknown_household_persons() > 0)
    rep.notes.push_back(fmt::format("{} household rows name a person the persons file does not have: not used",
                                    links.unknown_household_persons()));
  rep.persons = store.n_persons();
  rep.households = store.household_ids.size();
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (report != nullptr) *report = std::move(rep);
  return store;
}

bool LoadReport::reconciled() const noexcept {
  for (const auto& s : streams)
    if (!s.reconciled() || s.rows_unlinked > s.rows_clean) return false;
  return true;
}

std::string LoadReport::reconciliation() const {
  std::size_t read = 0, used = 0, unlinked = 0, rejected = 0;
  for (const auto& s : streams) {
    read += s.rows_read;
    used += s.rows_clean >= s.rows_unlinked ? s.rows_used() : 0;
    unlinked += s.rows_unlinked;
    rejected += s.rows_rejected;
  }
  const bool ok = reconciled() && read == used + unlinked + rejected;
  return fmt::format("rows_read {} = used {} + unlinked {} + rejected {} ({})", read, used, unlinked, rejected,
                     ok ? "reconciled" : "NOT RECONCILED");
}

std::string LoadReport::to_text() const {
  std::string out;
  for (const auto& s : streams) {
    if (s.file.empty()) continue;
    std::string kinds;
    for (const auto& [kind, count] : s.rejects_by_kind) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, count);
    out += fmt::format("{}: read {} clean {} rejected {}{} unlinked {} used {}{}\n", s.stream, s.rows_read, s.rows_clean,
                       s.rows_rejected, kinds.empty() ? "" : " (" + kinds + ")", s.rows_unlinked, s.rows_used(),
                       s.rejects_file.empty() ? "" : " rejects " + s.rejects_file);
  }
  for (const auto& n : notes) out += n + "\n";
  return out;
}

}  // namespace earlyhelp::features
