// SPDX-License-Identifier: Apache-2.0
// Building the event store: which fields each stream keeps, rows as numbers, grouping by person
// and sorting by date.

#include "earlyhelp/features/events.hpp"

#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>
#include <unordered_map>

namespace earlyhelp::features {
namespace {

using schema::FieldType;

using ::earlyhelp::detail::kNaN;
constexpr std::int64_t kSecondsPerDay = 86400;

// Days since the epoch of a date or datetime value as ingest gives it.
std::int32_t day_of(FieldType type, std::int64_t v) noexcept {
  if (type == FieldType::datetime) {
    std::int64_t d = v / kSecondsPerDay;
    if (v % kSecondsPerDay < 0) --d;  // floor for times before 1970
    return static_cast<std::int32_t>(d);
  }
  return static_cast<std::int32_t>(v);
}

// Fields of each stream that the features read: filters, measured fields, snapshot keys, end
// fields, and the date of birth and sex fields when an attribute or a roll-up by role needs them.
std::vector<std::set<std::size_t>> fields_needed(const FeatureSet& set) {
  const auto& streams = set.schema().streams;
  std::vector<std::set<std::size_t>> need(streams.size());
  bool dob = false, sex = false;
  for (const auto& f : set.features()) {
    const auto& m = f.plan.measure;
    switch (f.kind) {
      case Kind::attribute:
        (f.plan.attribute == detail::Attribute::sex ? sex : dob) = true;
        continue;
      case Kind::rollup:
        if (f.plan.rollup != detail::Rollup::any_member && f.plan.rollup != detail::Rollup::count_members &&
            f.plan.rollup != detail::Rollup::max && f.plan.rollup != detail::Rollup::min &&
            f.plan.rollup != detail::Rollup::sum)
          dob = true;  // adults and children by age on the date
        continue;
      case Kind::count_true:
      case Kind::rule:
      case Kind::records: continue;  // records: dates only
      default: break;
    }
    auto& s = need[m.stream];
    for (const auto& flt : m.where) s.insert(flt.field);
    if (m.stat != detail::Stat::count && m.stat != detail::Stat::days_since_first &&
        m.stat != detail::Stat::days_since_last)
      s.insert(m.field);
    if (f.kind == Kind::change && f.plan.change == detail::Change::changed) s.insert(m.field);
    if (m.stat == detail::Stat::ratio || m.stat == detail::Stat::ratio_min || m.stat == detail::Stat::ratio_max)
      s.insert(m.field2);
    if (m.latest_per) s.insert(*m.latest_per);
    if (m.end_field) s.insert(*m.end_field);
  }
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (streams[i].event_date_field.empty()) continue;
    for (std::size_t k = 0; k < streams[i].fields.size(); ++k) {
      const auto& fd = streams[i].fields[k];
      if ((dob && fd.link_key == "dob" && (fd.type == FieldType::date || fd.type == FieldType::datetime)) ||
          (sex && fd.link_key == "sex" && fd.type == FieldType::category))
        need[i].insert(k);
    }
  }
  return need;
}

}  // namespace

struct EventStoreBuilder::Impl {
  struct Buffer {
    bool reads = false;
    bool present = false;
    std::size_t date_field = 0;
    FieldType date_type = FieldType::date;
    std::vector<std::size_t> kept;           // schema field indices
    std::vector<std::int32_t> column_of;     // per field
    std::vector<std::int32_t> person;
    std::vector<std::int32_t> date;
    std::vector<std::vector<double>> values;
    std::vector<std::unordered_map<std::string, double>> codes;  // per kept column: text -> code
    std::vector<std::int32_t> first_seen;    // per person (streams not read: only this)
  };
  const FeatureSet* set = nullptr;
  std::vector<std::string> person_ids;
  std::vector<Buffer> buffers;
  std::vector<std::int32_t> household;
  std::vector<std::string> household_ids;
  std::vector<Role> role;
};

EventStoreBuilder::EventStoreBuilder(const FeatureSet& set, std::vector<std::string> person_ids)
    : impl_(std::make_unique<Impl>()) {
  for (std::size_t i = 1; i < person_ids.size(); ++i)
    EH_CHECK(person_ids[i - 1] < person_ids[i], "EventStoreBuilder: person ids must be sorted and unique (at {})", i);
  impl_->set = &set;
  impl_->person_ids = std::move(person_ids);
  const auto& streams = set.schema().streams;
  const auto need = fields_needed(set);
  std::vector<bool> read(streams.size(), false);
  for (const auto& f : set.features()) {
    if (f.kind == Kind::records)
      for (std::size_t s : f.plan.streams) read[s] = true;
    else if (f.kind != Kind::attribute && f.kind != Kind::rollup && f.kind != Kind::count_true && f.kind != Kind::rule)
      read[f.plan.measure.stream] = true;
  }
  impl_->buffers.resize(streams.size());
  for (std::size_t s = 0; s < streams.size(); ++s) {
    auto& b = impl_->buffers[s];
    b.reads = read[s] || !need[s].empty();
    b.kept.assign(need[s].begin(), need[s].end());
    b.column_of.assign(streams[s].fields.size(), -1);
    for (std::size_t c = 0; c < b.kept.size(); ++c) b.column_of[b.kept[c]] = static_cast<std::int32_t>(c);
    b.values.resize(b.kept.size());
    b.codes.resize(b.kept.size());
    if (const auto* f = streams[s].find(streams[s].event_date_field)) {
      b.date_field = static_cast<std::size_t>(f - streams[s].fields.data());
      b.date_type = f->type;
    }
    b.first_seen.assign(impl_->person_ids.size(), never);
  }
}

EventStoreBuilder::~EventStoreBuilder() = default;
EventStoreBuilder::EventStoreBuilder(EventStoreBuilder&&) noexcept = default;
EventStoreBuilder& EventStoreBuilder::operator=(EventStoreBuilder&&) noexcept = default;

const std::vector<std::size_t>& EventStoreBuilder::kept_fields(std::size_t stream) const {
  EH_CHECK(stream < impl_->buffers.size(), "EventStoreBuilder: stream {} of {}", stream, impl_->buffers.size());
  return impl_->buffers[stream].kept;
}

bool EventStoreBuilder::reads(std::size_t stream) const {
  EH_CHECK(stream < impl_->buffers.size(), "EventStoreBuilder: stream {} of {}", stream, impl_->buffers.size());
  return impl_->buffers[stream].reads;
}

void EventStoreBuilder::mark_present(std::size_t stream) {
  EH_CHECK(stream < impl_->buffers.size(), "EventStoreBuilder: stream {} of {}", stream, impl_->buffers.size());
  impl_->buffers[stream].present = true;
}

void EventStoreBuilder::add(std::size_t stream, std::int32_t person, const std::vector<io::FieldValue>& values) {
  EH_CHECK(stream < impl_->buffers.size(), "EventStoreBuilder::add: stream {} of {}", stream, impl_->buffers.size());
  EH_CHECK(person >= 0 && static_cast<std::size_t>(person) < impl_->person_ids.size(),
           "EventStoreBuilder::add: person {} of {}", person, impl_->person_ids.size());
  const auto& fields = impl_->set->schema().streams[stream].fields;
  EH_CHECK(values.size() == fields.size(), "EventStoreBuilder::add: {} values for {} fields", values.size(),
           fields.size());
  auto& b = impl_->buffers[stream];
  b.present = true;
  const io::FieldValue& dv = values[b.date_field];
  const std::int32_t date = dv.missing ? undated : day_of(b.date_type, dv.integer);
  auto& seen = b.first_seen[static_cast<std::size_t>(person)];
  if (date != undated) seen = std::min(seen, date);
  if (!b.reads) return;
  b.person.push_back(person);
  b.date.push_back(date);
  for (std::size_t c = 0; c < b.kept.size(); ++c) {
    const io::FieldValue& v = values[b.kept[c]];
    double x = kNaN;
    if (!v.missing) {
      switch (fields[b.kept[c]].type) {
        case FieldType::floating: x = v.number; break;
        case FieldType::date:
        case FieldType::datetime: x = day_of(fields[b.kept[c]].type, v.integer); break;
        case FieldType::identifier:
        case FieldType::text: {
          auto& codes = b.codes[c];
          x = codes.emplace(std::string(v.text), static_cast<double>(codes.size())).first->second;
          break;
        }
        default: x = static_cast<double>(v.integer); break;
      }
    }
    b.values[c].push_back(x);
  }
}

void EventStoreBuilder::set_households(std::vector<std::int32_t> household, std::vector<std::string> household_ids,
                                       std::vector<Role> role) {
  const std::size_t n = impl_->person_ids.size();
  EH_CHECK(household.size() == n && role.size() == n, "set_households: {} households and {} roles for {} persons",
           household.size(), role.size(), n);
  for (std::int32_t h : household)
    EH_CHECK(h >= -1 && (h < 0 || static_cast<std::size_t>(h) < household_ids.size()),
             "set_households: household {} of {}", h, household_ids.size());
  impl_->household = std::move(household);
  impl_->household_ids = std::move(household_ids);
  impl_->role = std::move(role);
}

EventStore EventStoreBuilder::finish(int n_threads) {
  Impl& im = *impl_;
  EventStore st;
  const std::size_t n = im.person_ids.size();
  st.first_seen.assign(n, never);
  st.streams.resize(im.buffers.size());
  for (auto& b : im.buffers)
    for (std::size_t p = 0; p < n; ++p) st.first_seen[p] = std::min(st.first_seen[p], b.first_seen[p]);
  parallel_for(im.buffers.size(), n_threads, [&](std::size_t s) {
    Impl::Buffer& b = im.buffers[s];
    StreamEvents& e = st.streams[s];
    e.stream = s;
    e.present = b.present;
    e.column_of = b.column_of;
    if (!b.reads) return;
    // Counting sort by person keeps file order; then a stable sort by date within each person.
    const std::size_t rows = b.person.size();
    e.offsets.assign(n + 1, 0);
    for (std::int32_t p : b.person) ++e.offsets[static_cast<std::size_t>(p) + 1];
    for (std::size_t p = 0; p < n; ++p) e.offsets[p + 1] += e.offsets[p];
    std::vector<std::uint32_t> order(rows);
    {
      std::vector<std::uint32_t> next(e.offsets.begin(), e.offsets.end() - 1);
      for (std::size_t i = 0; i < rows; ++i) order[next[static_cast<std::size_t>(b.person[i])]++] = static_cast<std::uint32_t>(i);
    }
    for (std::size_t p = 0; p < n; ++p)
      std::stable_sort(order.begin() + e.offsets[p], order.begin() + e.offsets[p + 1],
                       [&](std::uint32_t x, std::uint32_t y) { return b.date[x] < b.date[y]; });
    e.date.resize(rows);
    for (std::size_t i = 0; i < rows; ++i) e.date[i] = b.date[order[i]];
    e.values.resize(b.values.size());
    for (std::size_t c = 0; c < b.values.size(); ++c) {
      e.values[c].resize(rows);
      for (std::size_t i = 0; i < rows; ++i) e.values[c][i] = b.values[c][order[i]];
      std::vector<double>().swap(b.values[c]);
    }
    std::vector<std::int32_t>().swap(b.person);
    std::vector<std::int32_t>().swap(b.date);
  });
  st.person_ids = std::move(im.person_ids);
  if (im.household.empty()) {
    st.household.assign(n, -1);
    st.role.assign(n, Role::unknown);
  } else {
    st.household = std::move(im.household);
    st.household_ids = std::move(im.household_ids);
    st.role = std::move(im.role);
  }
  impl_ = std::make_unique<Impl>();
  return st;
}

}  // namespace earlyhelp::features
