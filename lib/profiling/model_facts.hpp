// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to lib/profiling: what a model card and a transparency record say about a model,
// gathered once from its bundle, its evaluation and its domain (model_facts.cpp), then written
// by model_card.cpp and transparency_record.cpp.

#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/profiling/domain.hpp"
#include "earlyhelp/profiling/model_card.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace earlyhelp::profiling::detail {

using Json = nlohmann::ordered_json;

struct FeatureFact {
  std::string name, label, description, stream;
};

struct StreamFact {
  std::string name, title, owner, lawful_basis, refresh;
  std::vector<std::string> special_category, criminal_offence;  ///< field labels
  bool outcome = false;                                          ///< the outcome is read from it
};

// The widest gap between judged groups of one grouping at one selection rule.
struct FairnessGap {
  std::string column, selection;
  std::size_t judged_groups = 0;
  double precision_gap = 0, fnr_gap = 0, fpr_gap = 0, selection_rate_gap = 0;
  std::string lowest_recall_group;  ///< the judged group with the highest false-negative rate
};

struct ModelFacts {
  std::string name, version, domain, domain_title, level, population, population_label;
  std::string outcome;  ///< a sentence: which events within how many months
  int horizon_months = 0;
  bool domain_known = false;
  std::string training_window, intended_use, owner;
  std::string estimator;  ///< e.g. "gradient-boosted trees: 60 trees, depth at most 3, binary:logistic"
  std::vector<FeatureFact> features;
  std::vector<StreamFact> streams;
  std::string bands;             ///< e.g. "low < 0.04 <= medium < 0.09 <= high"
  std::optional<double> alert;   ///< the alert threshold
  bool synthetic = false;
  const governance::EvaluationDocument* evaluation = nullptr;
  const governance::SelectionMetrics* at_alert = nullptr;  ///< the selection at the alert threshold, if evaluated
  std::vector<FairnessGap> gaps;
  std::vector<std::string> too_small;  ///< "sex = unknown (3 positives, fewer than 10)"
  std::vector<std::string> limitations;
};

ModelFacts gather_facts(const models::Model& model, const governance::EvaluationDocument& evaluation,
                        const std::optional<Domain>& domain);

// Numbers as the documents write them: 4 decimals, "n/a" for NaN.
std::string num(double v);
// A JSON number, null for NaN.
Json json_number(double v);

void write_card(const ModelFacts& facts, ModelDocuments& out);
void write_record(const ModelFacts& facts, const OrganisationDetails& organisation, ModelDocuments& out);

}  // namespace earlyhelp::profiling::detail
