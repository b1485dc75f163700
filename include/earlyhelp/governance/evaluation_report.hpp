// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Writers for an Evaluation (evaluation.hpp): JSON, what `evaluation/<domain>.json` holds, and
/// Markdown tables for a report or a model card; and the reader of that JSON, so a model card
/// or a report can be written later from the file alone.
///
/// JSON layout (format "earlyhelp.evaluation", version 1; NaN is written as null):
/// @code
/// {"format": "earlyhelp.evaluation", "version": 1, "context": {"domain": "asb", ...},
///  "rows": 20000, "positives": 412, "weighted": false, "probabilities": true,
///  "base_rate": 0.0206, "mean_score": 0.021, "roc_auc": 0.81, "pr_auc": 0.12, "brier": 0.019,
///  "calibration": {"binning": "uniform", "n_bins": 10, "ece": 0.004,
///                  "bins": [{"lower": 0, "upper": 0.1, "rows": 19000, "weight": 19000,
///                            "mean_score": 0.015, "observed_rate": 0.014}, ...]},
///  "selections": [{"rule": "top_k", "k": 100, "threshold": null, "label": "top 100",
///                  "selected": 100, "selection_rate": 0.005, "precision": 0.31,
///                  "recall": 0.075, "false_positive_rate": 0.0035,
///                  "false_negative_rate": 0.925}, ...],
///  "fairness": {"min_positives": 10, "min_negatives": 10},
///  "by_group": [{"column": "sex", "group": "F", "selection": "top 100", "rows": 10100,
///                "positives": 201, "negatives": 9899, "selected": 48, "judged": true, "note": "",
///                "base_rate": ..., "mean_score": ..., "selection_rate": ..., "precision": ...,
///                "recall": ..., "false_positive_rate": ..., "false_negative_rate": ...,
///                "calibration_in_the_large": ..., "auc": ...}, ...],
///  "baselines": [{"baseline": "activity, household", "rows": 20000, "positives": 412,
///                 "clusters": 0, "resamples": 1000, "seed": 0, "level": 0.95, "min_difference": 0.0,
///                 "verdict": "not clearly beaten",
///                 "roc_auc": {"score": 0.81, "baseline": 0.79, "difference": 0.02, "lower": -0.01,
///                             "upper": 0.05, "verdict": "not clearly beaten"},
///                 "pr_auc": {...}}, ...],
///  "verdict": "not clearly beaten"}
/// @endcode
/// "baselines" and "verdict" (comparison.hpp) are written only when the evaluation holds
/// comparisons, and read when present, so files written before them read back unchanged; so is a
/// comparison's "clusters" (0, rows resampled, when absent).

#include "earlyhelp/governance/evaluation.hpp"

#include <map>
#include <string>
#include <string_view>

namespace earlyhelp::governance {

/// The evaluation as JSON (layout above). `context` (domain, model, period, population, ...) is
/// written as given; it must not hold personal data.
/// @param indent spaces per level; -1 for one line
std::string evaluation_to_json(const Evaluation& e, const std::map<std::string, std::string>& context = {},
                               int indent = 2);

/// The evaluation as Markdown: the overall figures, one table of the selection rules, the
/// calibration bins, and one table per grouping in which a group too small to judge shows its
/// counts and "too small: <why>" instead of rates. Numbers have 4 decimals; NaN is "n/a".
/// @param title an optional "## " heading
std::string evaluation_to_markdown(const Evaluation& e, const std::string& title = {});

/// A figure as the evaluation's Markdown writes it (and the model card): 4 decimals, "n/a" for NaN
/// or infinity, and no "-0.0000" from rounding noise.
std::string format_figure(double v);

/// An evaluation read back from its JSON, with the context it was written with.
struct EvaluationDocument {
  Evaluation evaluation;
  std::map<std::string, std::string> context;
};

/// Reads what evaluation_to_json writes (null reads as NaN; selections, calibration bins and
/// groups as written). evaluation_to_json of the result gives the same JSON.
/// @param source names the text in errors (a file name)
/// @throws FormatError "<source>: <json path>: expected ...; got ..." for text that is not that
///         JSON, another format or version, or a field of the wrong type.
EvaluationDocument evaluation_from_json(std::string_view text, std::string_view source = "<string>");

/// Reads an evaluation file. @throws IOError when unreadable, FormatError as above.
EvaluationDocument evaluation_from_file(const std::string& path);

}  // namespace earlyhelp::governance
