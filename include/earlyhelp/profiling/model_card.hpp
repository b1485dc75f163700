// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A model card and a transparency record for a risk model, written from its bundle and its
/// evaluation (issue 17): what a council publishes so residents and professionals can know how
/// a model it uses works, how well, for whom, and who answers for it.
///
/// - The **model card**: purpose and intended use, population, outcome and horizon, training data
///   and period, features (with their plain-language labels and the extracts they read), the
///   estimator, risk bands and the alert threshold, performance (ROC AUC, PR AUC, Brier score,
///   precision and recall at the numbers a team can take, calibration), fairness by group (with
///   the widest gap per grouping and the groups too small to judge), limitations, and a
///   synthetic-data warning when the bundle or the evaluation says it was trained on synthetic
///   data (the word "synthetic" in the bundle's intended use or training window, or in the
///   evaluation's "data" context).
/// - The **transparency record**, in the shape of the UK Algorithmic Transparency Recording
///   Standard: tier 1 (a summary for the public) and tier 2 (owner and responsibility,
///   description and rationale, decision-making process and human oversight, tool and model
///   specification with performance, data specification with each extract's owner, lawful basis
///   and special-category fields, risks and mitigations). What earlyhelp knows it fills in; what
///   only the council can say (organisation, team, senior responsible owner, contact, phase,
///   ...) comes from an organisation file, and each field still missing is listed in
///   `to_complete` and marked "To complete" in the Markdown, never invented.
///
/// Both as Markdown and JSON. The documents hold no personal data: figures are aggregates.
///
/// Example:
/// @code
/// auto model = earlyhelp::models::Model::load("safeguarding.ehm");
/// auto eval = earlyhelp::governance::evaluation_from_file("evaluation/safeguarding.json");
/// auto docs = earlyhelp::profiling::model_documents(model, eval);
/// earlyhelp::profiling::write_model_documents(docs, "published/safeguarding");
/// @endcode

#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/profiling/domain.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling {

/// What only the council can say in its transparency record: a JSON object of strings whose keys
/// are organisation_keys(). A key also filled by earlyhelp (for example `human_review`) replaces
/// earlyhelp's text with the council's own.
struct OrganisationDetails {
  std::map<std::string, std::string> values;

  /// The keys an organisation file may hold, in record order.
  static const std::vector<std::string_view>& keys();
  /// @throws FormatError "<source>: <key>: ..." on text that is not a JSON object of strings or
  ///         a key not in keys() (with a "did you mean").
  static OrganisationDetails from_json(std::string_view text, std::string_view source = "<string>");
  /// @throws IOError when unreadable; FormatError as from_json.
  static OrganisationDetails from_file(const std::string& path);
};

/// The four documents and what is left for the council to fill in.
struct ModelDocuments {
  std::string card_markdown, card_json;
  std::string record_markdown, record_json;
  std::vector<std::string> to_complete;  ///< transparency-record keys still without a value
  bool synthetic = false;                ///< trained or evaluated on synthetic data
};

/// Writes the model card and the transparency record of `model` from its `evaluation`.
/// @param domain the model's domain; by default the built-in domain the bundle names (a bundle
///        naming another domain gets a card saying its population and outcome are unknown)
/// @throws InvalidArgument when the evaluation names another domain than the bundle.
ModelDocuments model_documents(const models::Model& model, const governance::EvaluationDocument& evaluation,
                               const OrganisationDetails& organisation = {},
                               const std::optional<Domain>& domain = std::nullopt);

/// The evaluation of the reference bundle shipped for a built-in domain (evaluation/<domain>.json,
/// written by scripts/train_reference_models and compiled in): synthetic councils only.
/// @throws InvalidArgument when this build has none for `domain`.
governance::EvaluationDocument reference_evaluation(std::string_view domain);

/// Writes `out_dir`/model_card.md, model_card.json, transparency_record.md and
/// transparency_record.json (each whole or not at all), creating the directory.
/// @return the paths written
/// @throws IOError naming the path on failure.
std::vector<std::string> write_model_documents(const ModelDocuments& documents, const std::string& out_dir);

}  // namespace earlyhelp::profiling
