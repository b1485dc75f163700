// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reads XGBoost JSON models (`Booster.save_model("m.json")`, XGBoost 1.7 and 2.x) into a
/// TreeEnsemble that reproduces XGBoost's `predict` (margins summed in float32, float32 `<`
/// splits, default directions, categorical splits, multi-class layout via `tree_info`).

#include "earlyhelp/models/trees.hpp"

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

/// Parses XGBoost JSON text.
/// @param text   the JSON (XGBoost writes NaN and Infinity literals; they are accepted)
/// @param source name used in error messages (a path, or "<memory>")
/// @throws FormatError naming the JSON path of the first bad or missing entry, e.g.
///         "import_xgboost_json: m.json: learner/gradient_booster/model/trees/3/left_children:
///         expected an array of 7 integers".
XGBoostModel import_xgboost_json(std::string_view text, std::string_view source = "<memory>");

/// Reads and parses an XGBoost JSON file.
/// @throws IOError when the file cannot be read; FormatError as import_xgboost_json.
XGBoostModel import_xgboost_json_file(const std::string& path);

}  // namespace earlyhelp::models
