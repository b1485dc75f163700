// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Linked events held for feature derivation: for each stream a feature set reads, the clean rows
/// grouped by person and sorted by event date, with only the fields the features use, as numbers.
/// Memory is proportional to the records held (8 bytes per kept field per row, plus 8 per row),
/// never to features or dates.
///
/// Example (what load_events does for a folder of extracts):
/// ```cpp
/// earlyhelp::features::EventStoreBuilder b(set, {"p1", "p2"});
/// b.add(stream_index, 0, clean_row_values);   // from an io::IngestSink
/// earlyhelp::features::EventStore store = b.finish();
/// ```

#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/io/ingest.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace earlyhelp::features {

/// The date of an event with no usable event date: sorted before every dated event.
inline constexpr std::int32_t undated = std::numeric_limits<std::int32_t>::min();
/// first_seen of a person with no dated record.
inline constexpr std::int32_t never = std::numeric_limits<std::int32_t>::max();

/// A household member's role as the households file gives it (used only when the person's age on
/// the date is not known).
enum class Role : std::int8_t { unknown, adult, child };

/// The events of one stream, grouped by person, sorted by date within a person (stable: rows of
/// one date keep their order in the extract).
struct StreamEvents {
  std::size_t stream = 0;                 ///< index in the schema's streams
  bool present = false;                   ///< the extract was read
  std::vector<std::int32_t> date;         ///< event date, days since 1970-01-01, or `undated`
  std::vector<std::uint32_t> offsets;     ///< person p's events are [offsets[p], offsets[p+1])
  std::vector<std::int32_t> column_of;    ///< per field of the stream: its column in `values`, or -1
  /// values[c][i]: the c-th kept field of event i as a number (NaN when missing): integer and
  /// float values; booleans 0/1; category codes (index into the field's categories); dates as
  /// days; identifiers and text as a code per distinct value (equal text, equal code).
  std::vector<std::vector<double>> values;

  /// The values of field `field` (schema index), or nullptr when not kept.
  const double* column(std::size_t field) const noexcept {
    if (field >= column_of.size() || column_of[field] < 0) return nullptr;
    return values[static_cast<std::size_t>(column_of[field])].data();
  }
};

/// Persons, their households, and the events of every stream a feature set reads.
struct EventStore {
  std::vector<std::string> person_ids;     ///< sorted
  std::vector<std::int32_t> household;     ///< per person: index into household_ids, or -1
  std::vector<std::string> household_ids;  ///< sorted
  std::vector<Role> role;                  ///< per person, from the households file
  /// per person: the earliest event date over every stream read (`never` if none). A person is
  /// in a table as of D when first_seen < D: the data knew them before the date.
  std::vector<std::int32_t> first_seen;
  std::vector<StreamEvents> streams;       ///< one per schema stream, in schema order

  std::size_t n_persons() const noexcept { return person_ids.size(); }
};

/// Collects clean rows into an EventStore. add() may be called concurrently for different
/// streams (each stream has its own buffers), never for one stream from two threads.
class EventStoreBuilder {
 public:
  /// @param set         the features the store serves (decides the fields kept per stream)
  /// @param person_ids  every person, sorted and unique (index = person number)
  /// @throws InvalidArgument when person_ids is not sorted and unique.
  EventStoreBuilder(const FeatureSet& set, std::vector<std::string> person_ids);
  ~EventStoreBuilder();
  EventStoreBuilder(EventStoreBuilder&&) noexcept;
  EventStoreBuilder& operator=(EventStoreBuilder&&) noexcept;

  /// The fields of stream `stream` that are kept (schema indices, sorted).
  const std::vector<std::size_t>& kept_fields(std::size_t stream) const;
  /// True when some feature reads stream `stream` (its events are held; other streams only
  /// count towards first_seen).
  bool reads(std::size_t stream) const;
  /// Marks the stream's extract as read (even when it holds no rows).
  void mark_present(std::size_t stream);
  /// Adds one clean row of `stream` (one FieldValue per field, schema order) for `person`.
  void add(std::size_t stream, std::int32_t person, const std::vector<io::FieldValue>& values);
  /// Sets the households: per person an index into `household_ids` (-1 none), and roles.
  void set_households(std::vector<std::int32_t> household, std::vector<std::string> household_ids,
                      std::vector<Role> role);
  /// Sorts and returns the store; the builder is empty afterwards.
  EventStore finish(int n_threads = 0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace earlyhelp::features
