// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reads XGBoost JSON models (`Booster.save_model("m.json")`, XGBoost 1.7 and 2.x) into a
/// TreeEnsemble that reproduces XGBoost's `predict` (margins summed in float32, float32 `<`
/// splits, default directions, categorical splits, multi-class layout via `tree_info`).

#include "earlyhelp/models/trees.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::models {

/// A model read from XGBoost JSON, with the feature metadata XGBoost stored beside it.
struct XGBoostModel {
  TreeEnsemble ensemble;                   ///< the trees, objective and base score
  std::vector<std::string> feature_names;  ///< `learner.feature_names` (empty if not saved)
  std::vector<std::string> feature_types;  ///< `learner.feature_types` ("q", "c", "int", ...)
  std::string version;                     ///< XGBoost version that wrote the file, "1.7.4"
};

/// Default memory budget of an import: 2 GiB (a model of a million stumps takes about 0.8 GiB).
inline constexpr std::size_t default_import_memory_budget = std::size_t{2} << 30;

/// Parses XGBoost JSON text.
///
/// Memory: the document is read as a stream (SAX) and never held whole; one tree's JSON is
/// held at a time and the rest of the document (parameters, names) is small. The trees as read
/// and as they will be built are charged against `memory_budget` as they stream past, and a
/// model over it is refused with a FormatError before it is built, so a huge or hostile file
/// ends in a clear error, never in an aborted process. JSON nested more than 64 levels deep and
/// trees deeper than TreeEnsemble::max_depth_limit are refused too.
/// @param text   the JSON (XGBoost writes NaN and Infinity literals; they are accepted)
/// @param source name used in error messages (a path, or "<memory>")
/// @param memory_budget bytes the model may take while importing (default 2 GiB)
/// @throws FormatError naming the JSON path of the first bad or missing entry, e.g.
///         "import_xgboost_json: m.json: learner/gradient_booster/model/trees/3/left_children:
///         expected an array of 7 integers", or saying the budget was exceeded and where.
/// Complexity: O(text size) time; O(model size) memory.
XGBoostModel import_xgboost_json(std::string_view text, std::string_view source = "<memory>",
                                 std::size_t memory_budget = default_import_memory_budget);

/// Reads and parses an XGBoost JSON file as a stream (the file is never held in memory); "-" is
/// standard input, streamed the same way and named "<standard input>" in messages.
/// @throws IOError when the file cannot be read; FormatError as import_xgboost_json.
XGBoostModel import_xgboost_json_file(const std::string& path,
                                      std::size_t memory_budget = default_import_memory_budget);

}  // namespace earlyhelp::models
