// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The care history a forecast is fitted on: episodes of children in need (CIN), on a child
/// protection plan (CPP) and looked after (LAC, with a placement type), read from a council's
/// extracts (`social_care_episodes.csv`, checked against the built-in schema first) or from the
/// SSDA903 header and episodes files a council returns to the DfE, and cut at an as-of date so
/// that nothing dated on or after it is used (point in time).
///
/// Every input row ends either in the history or in `History::rejects` with its file, row, line,
/// field and reason (never the value).

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/forecast/states.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// Kind of a social-care episode.
enum class EpisodeKind : std::uint8_t { cin = 0, cpp = 1, lac = 2 };

/// "No end date": the episode was open when the data was extracted.
inline constexpr Date open_end{2147483647};

/// One episode of one child.
struct Episode {
  std::uint64_t child = 0;   ///< key of the child (a hash; never printed)
  int sex = 2;               ///< 0 F, 1 M, 2 U
  Date dob;
  EpisodeKind kind = EpisodeKind::cin;
  Date start;
  Date end = open_end;       ///< last day of the episode (inclusive), open_end while open
  int placement = -1;        ///< placement type index for LAC (n_placements - 1 "other" when unknown)
  int state() const noexcept;  ///< the model state this episode puts the child in
};

/// A row that could not be used, and why.
struct HistoryReject {
  std::string file;
  std::size_t row = 0, line = 0;
  std::string field;
  std::string reason;
};

/// Episodes plus what reading them found.
struct History {
  std::vector<Episode> episodes;
  std::vector<HistoryReject> rejects;
  std::size_t rows_read = 0;       ///< rows_read == episodes read + rejects (before any as-of cut)
  /// First day the data is complete: episodes closed before it are not in the extract. Taken as
  /// the earliest end date of a closed episode (an extract holds the episodes open on or after
  /// its first day), else the earliest start.
  Date data_start;
  std::string source;              ///< "extracts" or "ssda903"
  std::size_t unknown_placements = 0;  ///< looked-after episodes without a placement type (counted as "other")
};

/// Reads `social_care_episodes.csv` in `dir` through io::validate_stream against the built-in
/// schema's fields that the forecast reads (names, dob, sex, upn, episode_type, start and end
/// dates, placement_type: an error in another field, such as a malformed postcode, does not
/// drop the episode); a LAC episode without a placement type counts as "other". Children are keyed by their
/// UPN when present, else by name and date of birth (normalised; hashed).
/// @throws IOError if the file is missing; SchemaError if required columns are missing.
History read_extract_history(const std::string& dir);

/// Reads SSDA903 files: the header file(s) (CHILD, SEX 1 male 2 female, DOB) and episodes
/// file(s) (CHILD, DECOM, DEC, LS, PLACE, ...; dates dd/mm/yyyy or ISO). Several years' files may
/// be given; repeated episodes (same CHILD and DECOM) are kept once. Consecutive episodes of a
/// period of care follow each other as placement changes.
/// @throws IOError if a file is missing; SchemaError naming the file and column if a required
/// column is missing.
History read_ssda903_history(const std::vector<std::string>& header_files, const std::vector<std::string>& episode_files);

/// The history as it was known before `as_of`: episodes starting on or after it are dropped and
/// end dates on or after it become open. Rejects and data_start are kept.
History history_as_of(const History& history, Date as_of);

/// Each child's state at every month end from `first` to `last` (a row per child with any
/// episode; children not in care at a month end are not_known), with sex and date of birth.
struct ChildStates {
  std::vector<int> sex;
  std::vector<Date> dob;
  std::vector<std::vector<int>> states;  ///< states[child][m - first]
  /// Whole months since the child's current period of care began (the month end of its first
  /// month in care is 0), at each month end the child is looked after; -1 otherwise. A period
  /// of care is a run of looked-after episodes each starting at most a day after the previous
  /// one ended (placement changes do not restart it); a period that began before the data has
  /// its start taken from its first episode in the data.
  std::vector<std::vector<int>> lac_months;
};
ChildStates child_states(const History& history, int first, int last);

/// Month-end counts observed from `history`: counts[m - first][state] for month numbers first..last
/// (states as in states.hpp; not_known is left 0). A child counts once, in its highest state.
std::vector<std::array<double, n_states>> observed_counts(const History& history, int first_month, int last_month);

}  // namespace earlyhelp::forecast
