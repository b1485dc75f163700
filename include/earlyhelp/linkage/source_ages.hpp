// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The ages a source records people at, learnt from the data, and the birth dates they imply for
/// records without a date of birth. A school roll records children, a council tax or benefits
/// system adults, and no system records somebody before they are born; a record without a date of
/// birth therefore still says when its person was born, give or take: a school record of 2024
/// without a date of birth is not the father's, born 1980, and a council tax account of 2024 is
/// not the son's, born 2012. Nothing is assumed about a source by its name: each source's age
/// range is read off its own records that carry both a date of birth and a record date (the 1st
/// to the 99th percentile of the ages, widened by a year on each side, so that mistyped dates of
/// birth do not narrow it), and a source with fewer than kMinDated such records says nothing but
/// that its person was born by (a year after) the record's date. A schema stream's
/// subject_min_age (PreparedRecords::born_by) narrows the window further.
///
/// The clustering uses the windows as cannot-link evidence (ConstrainedUnionFind::set_birth_window):
/// a group whose dates of birth all fall outside another's window, or two groups whose windows do
/// not meet, are two people, whatever their names and home share.
///
/// Example:
/// ```cpp
/// const auto windows = earlyhelp::linkage::birth_windows(table, earlyhelp::linkage::learn_source_ages(table));
/// if (windows[x].known()) { /* x was born between windows[x].earliest and windows[x].latest */ }
/// ```

#include "earlyhelp/linkage/records.hpp"

#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// Birth dates (day numbers, inclusive) an identity's records allow.
struct BirthWindow {
  static constexpr std::int32_t kOpen = INT32_MIN;
  std::int32_t earliest = kOpen, latest = INT32_MAX;
  bool known() const noexcept { return earliest != kOpen || latest != INT32_MAX; }
  bool contains(std::int32_t day) const noexcept { return day >= earliest && day <= latest; }
};

/// Per source id (PreparedRecords::sources), the youngest and oldest age in days it records
/// people at; `learnt[s]` is false where too few records carry a date of birth and a date.
/// `adult[s]` (empty, or per source) marks a source without learnt ages that records adults only
/// (adult_sources.hpp): its records are born at least kAdultYears before their record's date.
struct SourceAges {
  static constexpr std::size_t kMinDated = 50;     ///< records with both dates a source needs
  static constexpr std::int32_t kMarginDays = 365;  ///< added on each side of the learnt range
  static constexpr int kAdultYears = 16;             ///< the age from which a source of adults records people
  std::vector<std::int32_t> youngest, oldest;
  std::vector<bool> learnt, adult;
};

/// Learns each source's age range from its records with a full date of birth and a record date.
/// Complexity O(records + sources * k log k), k the dated records of a source.
SourceAges learn_source_ages(const PreparedRecords& r);

/// For each identity without a date of birth, the window its dated records allow (intersected
/// over its records; left open when they contradict each other); open for identities with one,
/// and for those before `first_identity` (records added after clustering: only the new
/// identities' windows, from the ages learnt at clustering). Complexity O(records from the first
/// record of `first_identity` on).
std::vector<BirthWindow> birth_windows(const PreparedRecords& r, const SourceAges& ages, std::size_t first_identity = 0);

/// The days a date of birth (yyyymmdd, 00 for unknown parts) may stand for: the day, or the
/// month or year a partial date names; {0, -1} (empty) for none.
std::pair<std::int32_t, std::int32_t> dob_days(std::int32_t yyyymmdd) noexcept;

}  // namespace earlyhelp::linkage
