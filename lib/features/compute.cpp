// SPDX-License-Identifier: Apache-2.0
// Computing features: rows, blocks and tables over persons or households, dates and levels, on
// several threads, driving the kernel in features/evaluator.hpp (one person or household at a date).
//
// Compiled once (not a header): one non-template kernel used by the CLI, Python and the C API.

#include "earlyhelp/features/compute.hpp"
#include "features/evaluator.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/core/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

namespace earlyhelp::features {
namespace {

using kernel::Day;
using kernel::Evaluator;
using kernel::FamilyScratch;
using kernel::FamilyTable;
using kernel::family_table;
using kernel::kNaNf;

// Rows of the table over the dates: persons the data knew before each date, or their households.
std::size_t rows_as_of(const EventStore& store, const std::vector<Date>& as_of, Level level) {
  std::size_t rows = 0;
  for (const Date d : as_of) {
    if (level == Level::person) {
      for (std::int32_t seen : store.first_seen) rows += seen < d.days ? 1 : 0;
    } else {
      std::vector<char> known(store.household_ids.size(), 0);
      for (std::size_t p = 0; p < store.n_persons(); ++p)
        if (store.household[p] >= 0 && store.first_seen[p] < d.days) known[static_cast<std::size_t>(store.household[p])] = 1;
      rows += static_cast<std::size_t>(std::count(known.begin(), known.end(), 1));
    }
  }
  return rows;
}

// `wanted` (one flag per feature; empty: every feature) with every feature a flagged one reads.
std::vector<char> wanted_closure(const FeatureSet& set, std::vector<char> wanted) {
  if (wanted.empty()) return std::vector<char>(set.size(), 1);
  EH_CHECK(wanted.size() == set.size(), "features: only: {} flags for {} features", wanted.size(), set.size());
  kernel::close_over_inputs(set.features(), wanted, /*sentences=*/true);
  return wanted;
}

}  // namespace

std::vector<char> needed_features(const FeatureSet& set, const std::vector<std::string>& names) {
  std::vector<char> wanted(set.size(), 0);
  for (const std::string& name : names) {
    const auto j = set.find(name);
    EH_CHECK(j.has_value(), "features: no feature \"{}\" in the definitions \"{}\"", name, set.name());
    wanted[*j] = 1;
  }
  return wanted_closure(set, std::move(wanted));
}

std::vector<Date> parse_as_of(std::string_view list) {
  std::vector<Date> out;
  const std::vector<std::string_view> items = split_trimmed(list, ',');
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string_view item = items[i];
    if (item.empty() && i + 1 == items.size() && !out.empty()) break;  // "D1,D2," ends with a comma
    const auto d = parse_date(item);
    EH_CHECK(d.has_value(), "as_of: '{}' is not a date (expected YYYY-MM-DD, or several separated by commas)", item);
    out.push_back(*d);
  }
  EH_CHECK(!out.empty(), "as_of: no date given (expected YYYY-MM-DD, or several separated by commas)");
  return out;
}

namespace {

// compute_blocks over one level or several (see compute.hpp): the shared work of each date (the
// day's ages and closure, the family table) done once for all levels. `stage(level)` names a
// level's progress stage.
void blocks_of_levels(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of,
                      const std::vector<Level>& levels, const std::function<void(const FeatureBlock&)>& sink,
                      const ComputeOptions& options, const std::function<std::string(Level)>& stage) {
  EH_CHECK(!as_of.empty(), "features: no as-of date given");
  EH_CHECK(!levels.empty(), "features: no level given");
  for (std::size_t i = 0; i < levels.size(); ++i) {
    EH_CHECK(levels[i] == Level::person || !store.household_ids.empty(),
             "features: the family level needs households (earlyhelp link --households)");
    for (std::size_t k = 0; k < i; ++k)
      EH_CHECK(levels[k] != levels[i], "features: level {} is asked twice", to_string(levels[i]));
  }
  EH_CHECK(store.streams.size() == set.schema().streams.size(),
           "features: the store holds {} streams, the definitions' schema {}", store.streams.size(),
           set.schema().streams.size());
  for (const Level level : levels)
    EH_CHECK(level == Level::person || set.has_family_features(),
             "features: the family level needs family features (rollup, or count_true and rule over them); the "
             "definitions \"{}\" have none",
             set.name());
  const std::vector<char> only = wanted_closure(set, options.only);
  const Evaluator ev(set, store, &only);
  const std::vector<std::size_t>& fam = ev.family_features();
  const std::size_t nf = set.size();
  const bool family_level = std::find(levels.begin(), levels.end(), Level::family) != levels.end();
  const bool families = (!fam.empty() || family_level) && !store.household_ids.empty();
  const std::size_t block_rows = std::max<std::size_t>(1, options.block_rows);
  // Per level: its columns, its progress stage, its rows over every date and those done.
  struct PerLevel {
    std::vector<std::size_t> cols;
    std::string stage;
    std::size_t rows_total = 0, rows_done = 0;
    bool announced = false;
  };
  std::vector<PerLevel> per(levels.size());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    per[i].cols = set.columns(levels[i]);
    per[i].stage = stage(levels[i]);
    per[i].rows_total = options.progress ? rows_as_of(store, as_of, levels[i]) : 0;
  }
  // A stage is announced when its level's work begins (the first level's covers the shared work).
  auto announce = [&](PerLevel& pl) {
    if (pl.announced) return;
    pl.announced = true;
    options.progress(pl.stage, 0, pl.rows_total);
  };
  for (const Date d : as_of) {
    announce(per.front());
    const Day day = ev.day(d.days, families, options.n_threads);
    const FamilyTable ft = families ? family_table(set, ev, day, options.n_threads) : FamilyTable{};
    for (std::size_t li = 0; li < levels.size(); ++li) {
      const Level level = levels[li];
      PerLevel& pl = per[li];
      announce(pl);
      const std::vector<std::size_t>& cols = pl.cols;
      std::vector<std::int32_t> entities;
      if (level == Level::person) {
        for (std::size_t p = 0; p < store.n_persons(); ++p)
          if (store.first_seen[p] < d.days) entities.push_back(static_cast<std::int32_t>(p));
      } else {
        for (std::size_t h = 0; h < ft.known.size(); ++h)
          if (ft.known[h]) entities.push_back(static_cast<std::int32_t>(h));
      }
      for (std::size_t begin = 0; begin < entities.size(); begin += block_rows) {
        const std::size_t end = std::min(entities.size(), begin + block_rows);
        FeatureBlock blk;
        blk.as_of = d;
        blk.level = level;
        blk.entities.assign(entities.begin() + static_cast<std::ptrdiff_t>(begin),
                            entities.begin() + static_cast<std::ptrdiff_t>(end));
        blk.values.resize(static_cast<Index>(end - begin), static_cast<Index>(cols.size()));
        parallel_for_chunks(end - begin, options.n_threads, 512, [&](std::size_t b, std::size_t e) {
          std::vector<float> row(nf);
          for (std::size_t r = b; r < e; ++r) {
            std::fill(row.begin(), row.end(), kNaNf);
            const auto x = static_cast<std::size_t>(blk.entities[r]);
            const std::int32_t h =
                level == Level::person ? (families ? store.household[x] : -1) : static_cast<std::int32_t>(x);
            if (level == Level::person) ev.person_row(x, day, row.data(), nullptr, true);
            if (h >= 0 && families)
              for (std::size_t k = 0; k < fam.size(); ++k)
                row[fam[k]] = ft.values[static_cast<std::size_t>(h) * fam.size() + k];
            for (std::size_t c = 0; c < cols.size(); ++c)
              blk.values(static_cast<Index>(r), static_cast<Index>(c)) = row[cols[c]];
          }
        });
        sink(blk);
        options.progress(pl.stage, pl.rows_done += end - begin, pl.rows_total);
      }
    }
  }
}

// Fills `tables` (one per level, in order) from one pass over the levels.
std::vector<FeatureTable> tables_of_levels(const FeatureSet& set, const EventStore& store,
                                           const std::vector<Date>& as_of, const std::vector<Level>& levels,
                                           const ComputeOptions& options,
                                           const std::function<std::string(Level)>& stage) {
  std::vector<FeatureTable> tables(levels.size());
  std::vector<std::size_t> rows(levels.size());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    FeatureTable& t = tables[i];
    t.level = levels[i];
    t.columns = set.column_names(levels[i]);
    // Count the rows first (who the data knew on each date), so blocks go straight into place.
    rows[i] = rows_as_of(store, as_of, levels[i]);
    t.values.resize(static_cast<Index>(rows[i]), static_cast<Index>(t.columns.size()));
    t.ids.reserve(rows[i]);
    t.as_of.reserve(rows[i]);
  }
  blocks_of_levels(set, store, as_of, levels, [&](const FeatureBlock& b) {
    const auto i = static_cast<std::size_t>(std::find(levels.begin(), levels.end(), b.level) - levels.begin());
    FeatureTable& t = tables[i];
    const auto& ids = b.level == Level::person ? store.person_ids : store.household_ids;
    const auto at = static_cast<Index>(t.ids.size());
    EH_CHECK(t.ids.size() + b.entities.size() <= rows[i], "compute: more rows than counted ({})", rows[i]);
    t.values.middleRows(at, b.values.rows()) = b.values;
    for (std::int32_t e : b.entities) {
      t.ids.push_back(ids[static_cast<std::size_t>(e)]);
      t.as_of.push_back(b.as_of);
    }
  }, options, stage);
  for (std::size_t i = 0; i < levels.size(); ++i)
    EH_CHECK(tables[i].ids.size() == rows[i], "compute: {} rows computed, {} counted", tables[i].ids.size(), rows[i]);
  return tables;
}

std::string features_stage(Level) { return "features"; }
std::string level_stage(Level level) { return fmt::format("{} features", to_string(level)); }

}  // namespace

void compute_blocks(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of, Level level,
                    const std::function<void(const FeatureBlock&)>& sink, const ComputeOptions& options) {
  blocks_of_levels(set, store, as_of, {level}, sink, options, features_stage);
}

void compute_blocks(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of,
                    const std::vector<Level>& levels, const std::function<void(const FeatureBlock&)>& sink,
                    const ComputeOptions& options) {
  blocks_of_levels(set, store, as_of, levels, sink, options, level_stage);
}

FeatureTable compute(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of, Level level,
                     const ComputeOptions& options) {
  return std::move(tables_of_levels(set, store, as_of, {level}, options, features_stage).front());
}

std::vector<FeatureTable> compute(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of,
                                  const std::vector<Level>& levels, const ComputeOptions& options) {
  return tables_of_levels(set, store, as_of, levels, options, level_stage);
}

std::vector<float> person_row(const FeatureSet& set, const EventStore& store, std::size_t person, Date as_of) {
  EH_CHECK(person < store.n_persons(), "person_row: person {} of {}", person, store.n_persons());
  const Evaluator ev(set, store);
  std::vector<float> row(set.size(), kNaNf);
  Day day;
  day.d = as_of.days;
  ev.person_row(person, day, row.data(), nullptr, false);
  const std::int32_t h = store.household.empty() ? -1 : store.household[person];
  if (h >= 0) {
    std::vector<float> fam(set.size(), kNaNf);
    FamilyScratch scratch;
    if (ev.family_row(static_cast<std::size_t>(h), day, fam.data(), scratch))
      for (std::size_t j : ev.family_features()) row[j] = fam[j];
  }
  return row;
}

}  // namespace earlyhelp::features
