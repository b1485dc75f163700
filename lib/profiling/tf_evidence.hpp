// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal to lib/profiling: the records that evidence a family's criteria. assess() asks, per
// member meeting a criterion, for the records of each feature the criterion's rule found true;
// add_evidence() reads those streams' extracts (checked as load_events checks them) and selects
// the records as the feature does.

#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling::detail {

/// `a op b`, false when `a` is missing (NaN), as the features' rules read a condition.
inline bool compare(features::Op op, double a, double b) noexcept {
  if (std::isnan(a)) return false;
  switch (op) {
    case features::Op::lt: return a < b;
    case features::Op::le: return a <= b;
    case features::Op::gt: return a > b;
    case features::Op::ge: return a >= b;
    case features::Op::eq: return a == b;
    case features::Op::ne: return a != b;
  }
  return false;
}

/// The records of `feature` (a feature reading a stream) of `person` evidence criterion
/// `criterion` of family `family` (indices into FamiliesResult).
struct EvidenceRequest {
  std::size_t family = 0, criterion = 0;
  std::int32_t person = 0;
  std::size_t feature = 0;
};

/// The assessment without evidence; the requests for it when `requests` is given. `progress` is
/// told the "family features" and "person features" stages (FamiliesOptions::progress).
FamiliesResult assess(const Framework& framework, const features::EventStore& store, Date as_of, int n_threads,
                      std::vector<EvidenceRequest>* requests, const Progress& progress = {});

/// The person number of a record id (-1: not linked).
using PersonOf = std::function<std::int32_t(std::string_view record_id)>;
/// Validates `reader`'s rows of the stream being read, each row's person given by `person_of`.
using ReadRows = std::function<void(io::CsvReader& reader, const PersonOf& person_of)>;
/// Calls `read` for each block of rows of stream `stream` (schema index) there is (none: the
/// stream was not given).
using RowSource = std::function<void(std::size_t stream, const ReadRows& read)>;

/// Fills FamiliesResult::families[].evidence for the requests from the rows `source` gives
/// (persons numbered 0 .. n_persons-1), the streams on `n_threads` threads (<= 0: all cores;
/// `source` is then called for different streams at once); the evidence is the same for any
/// thread count (each list sorted, without repeats).
void add_evidence(FamiliesResult& result, const std::vector<EvidenceRequest>& requests, const Framework& framework,
                  std::size_t n_persons, Date as_of, const RowSource& source, int n_threads = 1);

/// Fills FamiliesResult::families[].evidence for the requests from the extracts of `data_dir`,
/// reading the streams on `n_threads` threads as above.
void add_evidence(FamiliesResult& result, const std::vector<EvidenceRequest>& requests, const Framework& framework,
                  const std::string& data_dir, const features::Linkage& links, Date as_of, const io::CsvOptions& csv,
                  int n_threads = 1);

/// The assessment with its evidence, from an event store holding (at least) the framework's
/// features' events and the extracts of `data_dir` they were read from: what
/// assess_families(framework, data_dir, links, as_of, options) gives, but for `load`, once the
/// store is loaded (the store may serve other features too: profile() shares it with the domains).
FamiliesResult assess_with_evidence(const Framework& framework, const features::EventStore& store,
                                    const std::string& data_dir, const features::Linkage& links, Date as_of,
                                    const io::CsvOptions& csv, const FamiliesOptions& options);

}  // namespace earlyhelp::profiling::detail
