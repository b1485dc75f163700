// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Computing features as of dates from an EventStore.
///
/// Rows: at person level, every person the data knew before the date (a record dated before it);
/// at family level, every household with such a member. Persons sorted by id, households by id,
/// dates in the order given. Person tables carry the family features of each person's household
/// (NaN without a households file). Household members on a date are the persons of the household
/// the data knew then; a member is an adult from their 18th birthday (date of birth as recorded
/// before the date), else the households file's role.
///
/// Complexity: O(dates x (persons x features x log(events per person) + events scanned by the
/// windows)); memory O(block rows x features) beyond the store, and O(households x family
/// features) for family roll-ups. Results are identical for any thread count.
///
/// Example:
/// ```cpp
/// auto table = earlyhelp::features::compute(set, store, {*earlyhelp::parse_date("2024-04-01")},
///                                           earlyhelp::features::Level::person);
/// // table.values.col(j): feature table.columns[j] for every row
/// ```

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/events.hpp"
#include "earlyhelp/features/table.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::features {

/// Parses as-of dates: "2024-04-01" or a comma-separated list "2023-04-01,2024-04-01" (ISO or
/// day-first, as parse_date). @throws InvalidArgument naming the item that is not a date, or when
/// the list is empty.
std::vector<Date> parse_as_of(std::string_view list);

/// Options of a computation.
struct ComputeOptions {
  int n_threads = 0;               ///< <= 0: all cores
  std::size_t block_rows = 65536;  ///< rows per block handed to a sink
  /// Progress ("features": rows over every as-of date, after each block; core/progress.hpp).
  Progress progress{};
  /// When not empty: per feature of the set, whether its value is wanted (see needed_features);
  /// only those are computed, and every other column is NaN. Empty: every feature.
  std::vector<char> only;
};

/// Per feature of `set`, whether computing `names` needs it: the features named and every feature
/// their values or sentences read (a rule's conditions, count_true's inputs, a roll-up's member
/// feature, a template's values), over and over. For ComputeOptions::only.
/// @throws InvalidArgument naming a feature the set does not have.
std::vector<char> needed_features(const FeatureSet& set, const std::vector<std::string>& names);

/// Computes the table at `level` for each date in `as_of` and hands it to `sink` block by block,
/// in row order (memory does not grow with the table).
/// @throws InvalidArgument when `as_of` is empty, or `level` is family and the store has no
/// households.
void compute_blocks(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of, Level level,
                    const std::function<void(const FeatureBlock&)>& sink, const ComputeOptions& options = {});

/// compute_blocks for several levels at once: on each date the work the levels share (ages, the
/// person features the family roll-ups read, the family table) is done once, then each level's
/// blocks are handed to `sink` in the order of `levels` (FeatureBlock::level says which). The
/// blocks of each level are those compute_blocks gives for it alone, value for value. Progress
/// reports one stage per level, "person features" and "family features" (rows over every date).
/// @throws as compute_blocks, for any of the levels; InvalidArgument when `levels` is empty or
/// names a level twice.
void compute_blocks(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of,
                    const std::vector<Level>& levels, const std::function<void(const FeatureBlock&)>& sink,
                    const ComputeOptions& options = {});

/// The whole table of each level in `levels` from one pass (compute_blocks over several levels),
/// in the order given: each equal to compute() of its level alone.
/// @throws as compute_blocks over several levels.
std::vector<FeatureTable> compute(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of,
                                  const std::vector<Level>& levels, const ComputeOptions& options = {});

/// The whole table in memory (column-major: one contiguous column per feature).
/// @throws as compute_blocks.
FeatureTable compute(const FeatureSet& set, const EventStore& store, const std::vector<Date>& as_of, Level level,
                     const ComputeOptions& options = {});

/// One person's row as of `as_of`: every feature of the set, in set order (family features from
/// the person's household in the store; NaN without one). Computed whether or not the data knew
/// the person before the date.
/// @throws InvalidArgument when `person` is out of range.
std::vector<float> person_row(const FeatureSet& set, const EventStore& store, std::size_t person, Date as_of);

}  // namespace earlyhelp::features
