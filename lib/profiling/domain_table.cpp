// SPDX-License-Identifier: Apache-2.0
// A domain's population with features and outcomes over as-of dates (profiling/domain.hpp).
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/profiling/domain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace earlyhelp::profiling {

namespace detail {
std::string outcome_definitions(const Domain& domain, int window_days);  // domain.cpp
}

namespace {

// The latest event date of any stream in the store (the extracts' end), or nullopt.
std::optional<std::int32_t> last_event(const features::EventStore& store) {
  std::optional<std::int32_t> last;
  for (const auto& s : store.streams)
    for (std::int32_t d : s.date)
      if (d != features::undated && (!last || d > *last)) last = d;
  return last;
}

// Per person: an outcome event in [as_of, end).
std::vector<char> person_outcomes(const Domain& domain, const features::EventStore& store, Date as_of, Date end,
                                  int n_threads) {
  const features::FeatureSet set =
      features::FeatureSet::from_json(detail::outcome_definitions(domain, end.days - as_of.days),
                                      domain.feature_set().schema(), domain.name() + " outcomes");
  features::ComputeOptions co;
  co.n_threads = n_threads;
  const features::FeatureTable t = features::compute(set, store, {end}, features::Level::person, co);
  std::vector<char> out(store.n_persons(), 0);
  std::size_t p = 0;
  for (std::size_t r = 0; r < t.ids.size(); ++r) {
    while (store.person_ids[p] != t.ids[r]) ++p;  // both sorted; t's ids are a subset
    for (Index c = 0; c < t.values.cols(); ++c) {
      const float v = t.values(static_cast<Index>(r), c);
      if (!std::isnan(v) && v > 0.0f) out[p] = 1;
    }
  }
  return out;
}

}  // namespace

DomainTable training_table(const Domain& domain, const features::EventStore& store, const std::vector<Date>& as_of,
                           std::optional<Date> evaluation_start, int n_threads, const Progress& progress) {
  using features::Level;
  const features::FeatureSet& set = domain.feature_set();
  EH_CHECK(!as_of.empty(), "training_table: no as-of date given");
  EH_CHECK(store.streams.size() == set.schema().streams.size(),
           "training_table: the event store has {} streams, the domain's schema {}", store.streams.size(),
           set.schema().streams.size());
  EH_CHECK(domain.level() == Level::person || !store.household_ids.empty(),
           "training_table: domain '{}' scores families and the linkage has no households (earlyhelp link "
           "--households FILE --as-of DATE writes them)",
           domain.name());
  for (const auto& e : domain.outcome().events) {
    const auto* s = set.schema().find(e.stream);
    EH_CHECK(store.streams[static_cast<std::size_t>(s - set.schema().streams.data())].present,
             "training_table: domain '{}' derives its outcome from stream '{}', which was not read (no {}.csv in "
             "the extracts)",
             domain.name(), e.stream, e.stream);
  }
  const auto last = last_event(store);
  for (const Date d : as_of) {
    const Date end = domain.horizon_end(d);
    if (evaluation_start)
      EH_CHECK(end <= *evaluation_start,
               "training_table: the {}-month outcome of {} runs to {}, into the evaluation period starting {}: "
               "training rows must not overlap it",
               domain.outcome().horizon_months, format_date(d), format_date(Date{end.days - 1}),
               format_date(*evaluation_start));
    EH_CHECK(last && end.days <= *last + 1,
             "training_table: the {}-month outcome of {} needs events to {}, and the extracts end on {}: the "
             "outcome is not known yet",
             domain.outcome().horizon_months, format_date(d), format_date(Date{end.days - 1}),
             last ? format_date(Date{*last}) : std::string("(no dated event)"));
  }

  const std::vector<std::string> cols = set.column_names(domain.level());
  auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(cols.begin(), cols.end(), name) - cols.begin());
  };
  DomainTable t;
  t.level = domain.level();
  t.columns = domain.features();
  for (const auto& g : domain.groups())
    if (std::find(t.columns.begin(), t.columns.end(), g) == t.columns.end()) t.columns.push_back(g);
  std::vector<std::size_t> take;
  for (const auto& c : t.columns) take.push_back(col(c));
  const std::size_t pop = col(domain.population());

  std::vector<std::vector<std::size_t>> members;  // family domains: persons per household
  if (domain.level() == Level::family) {
    members.resize(store.household_ids.size());
    for (std::size_t p = 0; p < store.n_persons(); ++p)
      if (store.household[p] >= 0) members[static_cast<std::size_t>(store.household[p])].push_back(p);
  }
  std::map<std::int32_t, std::vector<char>> outcomes;  // per date: per person
  std::vector<std::vector<float>> rows;
  features::ComputeOptions co;
  co.n_threads = n_threads;
  co.progress = progress;
  features::compute_blocks(set, store, as_of, domain.level(), [&](const features::FeatureBlock& b) {
    auto it = outcomes.find(b.as_of.days);
    if (it == outcomes.end())
      it = outcomes.emplace(b.as_of.days, person_outcomes(domain, store, b.as_of, domain.horizon_end(b.as_of), n_threads)).first;
    const std::vector<char>& pos = it->second;
    for (Index r = 0; r < b.values.rows(); ++r) {
      const float in = b.values(r, static_cast<Index>(pop));
      if (std::isnan(in) || in == 0.0f) continue;
      const auto e = static_cast<std::size_t>(b.entities[static_cast<std::size_t>(r)]);
      char y = 0;
      if (domain.level() == Level::person) {
        y = pos[e];
        t.ids.push_back(store.person_ids[e]);
      } else {
        // A family's outcome: an outcome event of a member known on the date.
        for (std::size_t p : members[e])
          if (store.first_seen[p] < b.as_of.days && pos[p]) y = 1;
        t.ids.push_back(store.household_ids[e]);
      }
      t.as_of.push_back(b.as_of);
      t.outcome.push_back(y);
      std::vector<float>& row = rows.emplace_back(take.size());
      for (std::size_t c = 0; c < take.size(); ++c) row[c] = b.values(r, static_cast<Index>(take[c]));
    }
  }, co);
  t.values.resize(static_cast<Index>(rows.size()), static_cast<Index>(take.size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < take.size(); ++c) t.values(static_cast<Index>(r), static_cast<Index>(c)) = rows[r][c];
  return t;
}

}  // namespace earlyhelp::profiling
