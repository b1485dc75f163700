// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The linkage a verb starts from: read from files, or made by linking a folder of extracts into persons and households as of a date, for the verbs that
/// start from extracts without a persons file (`earlyhelp tf`, `earlyhelp profile`): the linker
/// trained without labels on the extracts themselves, as `earlyhelp link --data DIR --households
/// F --as-of D` does, and the households file written so the run can be repeated without linking.
///
/// Example:
/// @code
/// auto links = earlyhelp::profiling::link_extracts("council/", *earlyhelp::parse_date("2024-04-01"),
///                                                  "out/households.csv");
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/load.hpp"

#include <string>

namespace earlyhelp::profiling {

/// Links the extracts of `data_dir` (streams of the built-in schema) into persons and their
/// households on `as_of`, and writes them to `households_csv` (`source, record_id, person_id,
/// household_id, role, family`: readable both as a persons file and as a households file).
/// @param n_threads <= 0: all cores.
/// @param progress  the linker's stages (linkage::Settings::progress).
/// @throws IOError when the folder or the output cannot be used; FormatError for malformed extracts.
features::Linkage link_extracts(const std::string& data_dir, Date as_of, const std::string& households_csv,
                                int n_threads = 0, const Progress& progress = {});

/// Reads a persons file and the households: from `households_csv` when given, else from the
/// persons file itself when it has a `household_id` column (the file `earlyhelp link --households`
/// writes holds both); otherwise the linkage has no households.
/// @throws IOError, FormatError naming file and row (features::read_persons_csv, read_households_csv).
features::Linkage read_linkage(const std::string& persons_csv, const std::string& households_csv = {});

}  // namespace earlyhelp::profiling
