// SPDX-License-Identifier: Apache-2.0
// The transparency record (UK Algorithmic Transparency Recording Standard, tiers 1 and 2), in
// Markdown and JSON, and the organisation file that supplies what only the council can say.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/profiling/model_card.hpp"
#include "profiling/model_facts.hpp"
#include "schema/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace earlyhelp::profiling {

const std::vector<std::string_view>& OrganisationDetails::keys() {
  static const std::vector<std::string_view> k = {
      // tier 1
      "organisation", "contact_email", "website", "phase", "region",
      // tier 2: owner and responsibility
      "team", "senior_responsible_owner", "external_supplier", "supplier_role",
      // description and rationale
      "benefits", "alternatives_considered",
      // decision-making process
      "process_integration", "provided_information", "frequency_and_scale", "human_review", "required_training",
      "appeals_and_review",
      // tool specification
      "system_architecture", "maintenance",
      // data specification
      "data_collection", "data_sharing_agreements", "data_access_and_storage",
      // risks
      "impact_assessment"};
  return k;
}

OrganisationDetails OrganisationDetails::from_json(std::string_view text, std::string_view source) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    earlyhelp::detail::throw_error<FormatError>("{}: not JSON (byte {}): expected an object of strings", source,
                                                e.byte);
  }
  if (!j.is_object())
    earlyhelp::detail::throw_error<FormatError>("{}: expected an object of strings; got {}", source,
                                                schema::detail::describe(j));
  OrganisationDetails d;
  for (const auto& [k, v] : j.items()) {
    const auto& allowed = keys();
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      earlyhelp::detail::throw_error<FormatError>("{}: {}: not a transparency-record field; expected one of {}{}",
                                                  source, k, schema::detail::join(allowed),
                                                  schema::detail::suggestion(k, allowed));
    if (!v.is_string())
      earlyhelp::detail::throw_error<FormatError>("{}: {}: expected a string; got {}", source, k,
                                                  schema::detail::describe(v));
    d.values[k] = v.get<std::string>();
  }
  return d;
}

OrganisationDetails OrganisationDetails::from_file(const std::string& path) {
  return from_json(schema::detail::read_file(path, "model card"), path);
}

namespace detail {
namespace {

// One field of the record: the council's text, else earlyhelp's, else to be completed.
struct Field {
  std::string key, title;
  std::string value;
  bool from_council = false;
};

struct Section {
  std::string key, title;
  std::vector<Field> fields;
};

class RecordBuilder {
 public:
  RecordBuilder(const OrganisationDetails& org, ModelDocuments& out) : org_(org), out_(out) {}

  void section(std::string key, std::string title) { sections_.push_back(Section{std::move(key), std::move(title), {}}); }
  // A field earlyhelp fills (the council's text replaces it when given).
  void known(const std::string& key, const std::string& title, std::string value) {
    const auto it = org_.values.find(key);
    const bool council = it != org_.values.end() && !it->second.empty();
    sections_.back().fields.push_back(Field{key, title, council ? it->second : std::move(value), council});
  }
  // A field only the council can fill.
  void council(const std::string& key, const std::string& title) {
    const auto it = org_.values.find(key);
    if (it == org_.values.end() || it->second.empty()) {
      out_.to_complete.push_back(key);
      sections_.back().fields.push_back(Field{key, title, "", false});
    } else {
      sections_.back().fields.push_back(Field{key, title, it->second, true});
    }
  }

  void finish(const ModelFacts& f) {
    Json j;
    j["format"] = "earlyhelp.transparency_record";
    j["version"] = 1;
    j["standard"] = "UK Algorithmic Transparency Recording Standard (tier 1 and tier 2)";
    j["synthetic_data_warning"] = f.synthetic;
    std::string md = fmt::format("# Algorithmic transparency record: {} {}\n\n", f.name, f.version);
    if (f.synthetic) md += "**Trained or evaluated on synthetic data only. Not for use on residents.**\n\n";
    md += "In the shape of the UK Algorithmic Transparency Recording Standard. Written by earlyhelp from the model "
          "bundle and its evaluation; fields marked *To complete* are for the council to fill in (an "
          "organisation file, `--organisation`).\n";
    for (const auto& s : sections_) {
      md += fmt::format("\n## {}\n\n", s.title);
      Json js = Json::object();
      for (const auto& fld : s.fields) {
        js[fld.key] = fld.value.empty() && !fld.from_council ? Json(nullptr) : Json(fld.value);
        const bool block = fld.value.rfind("- ", 0) == 0;  // a list: under its title
        md += fmt::format("**{}**:{}{}\n\n", fld.title, block ? "\n\n" : " ",
                          fld.value.empty() ? std::string("*To complete.*") : fld.value);
      }
      j[s.key] = std::move(js);
    }
    j["to_complete"] = out_.to_complete;
    out_.record_markdown = std::move(md);
    out_.record_json = j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

 private:
  const OrganisationDetails& org_;
  ModelDocuments& out_;
  std::vector<Section> sections_;
};

std::string performance_text(const ModelFacts& f) {
  const auto& e = f.evaluation->evaluation;
  std::string s = fmt::format("On {} rows of an evaluation period after training ({} with the outcome, base rate "
                              "{}): ROC AUC {}, PR AUC {}, Brier score {}, expected calibration error {}.",
                              e.rows, e.positives, num(e.base_rate), num(e.roc_auc), num(e.pr_auc), num(e.brier),
                              num(e.calibration.ece));
  for (const auto& sel : e.selections)
    s += fmt::format(" {}: precision {}, recall {}.", sel.label, num(sel.rates.precision), num(sel.rates.recall));
  if (const auto it = f.evaluation->context.find("verdict"); it != f.evaluation->context.end())
    s += fmt::format(" Against a simple baseline: {}.", it->second);
  s += " Figures by sex, age band, ethnicity, deprivation and any group the council names are in the model card.";
  return s;
}

std::string data_text(const ModelFacts& f) {
  if (f.streams.empty()) return "The extracts the features read are not known for this domain.";
  std::string s;
  for (const auto& st : f.streams) {
    s += fmt::format("{}- {} ({}; owner: {}; refreshed {}; lawful basis: {}){}{}{}. ", s.empty() ? "" : "\n",
                     st.title.empty() ? st.name : st.title, st.name, st.owner.empty() ? "not stated" : st.owner,
                     st.refresh.empty() ? "as supplied" : st.refresh,
                     st.lawful_basis.empty() ? "not stated in the schema" : st.lawful_basis,
                     st.outcome ? "; the outcome is read from it" : "",
                     st.special_category.empty() ? ""
                                                 : fmt::format("; special-category fields: {}",
                                                               fmt::join(st.special_category, ", ")),
                     st.criminal_offence.empty() ? ""
                                                 : fmt::format("; criminal-offence fields: {}",
                                                               fmt::join(st.criminal_offence, ", ")));
  }
  return s;
}

}  // namespace

void write_record(const ModelFacts& f, const OrganisationDetails& organisation, ModelDocuments& out) {
  RecordBuilder r(organisation, out);
  const std::string what = f.domain_known ? f.domain_title : fmt::format("risk in the domain '{}'", f.domain);
  r.section("tier_1", "Tier 1: summary");
  r.known("name", "Name", fmt::format("{} {}", f.name, f.version));
  r.known("description", "Description",
          fmt::format("A statistical model that estimates, for each {} already known to council services, the "
                      "chance of this outcome: {}. It helps professionals offer early help sooner. It does not "
                      "make decisions: it raises an alert for a professional to look at, with the reasons in plain "
                      "words.",
                      f.level.empty() ? std::string("person") : f.level, what));
  r.council("organisation", "Organisation");
  r.council("contact_email", "Contact email");
  r.council("website", "Website with more information");
  r.council("phase", "Phase (pre-deployment, beta, production, retired)");
  r.council("region", "Geographic region");

  r.section("owner_and_responsibility", "Tier 2: owner and responsibility");
  r.council("team", "Team");
  r.council("senior_responsible_owner", "Senior responsible owner");
  r.council("external_supplier", "External supplier");
  r.council("supplier_role", "Supplier's role and access to data");
  r.known("model_owner", "Model owner (from the bundle)", f.owner.empty() ? "not stated in the bundle" : f.owner);

  r.section("description_and_rationale", "Tier 2: description and rationale");
  r.known("detailed_description", "Detailed description",
          fmt::format("Records from the council's and partners' systems are pseudonymised, linked into persons and "
                      "families, and turned into {} features as of a date (counts, trends and flags over recent "
                      "months). The model ({}) scores each {} in the population: {}. A score is placed in a risk "
                      "band; crossing the alert threshold because of a change in circumstances raises an alert "
                      "with the top reasons.",
                      f.features.size(), f.estimator, f.level.empty() ? "person" : f.level,
                      f.population_label.empty() ? "as the domain defines it" : f.population_label));
  r.known("scope", "Scope", f.intended_use.empty() ? what : f.intended_use);
  r.council("benefits", "Benefits");
  r.council("alternatives_considered", "Alternatives considered");

  r.section("decision_making_process", "Tier 2: decision-making process and human oversight");
  r.known("process_integration", "How it is used in a decision",
          "Alerts fire only for people already in contact with services and only when the score crosses the "
          "threshold because of a change in circumstances. An alert is a prompt to look, not a referral and not a "
          "decision about anyone.");
  r.known("provided_information", "Information given to the professional",
          "The score, its band, and the top reasons in plain words (the features that raised the score most, "
          "computed exactly for tree models), with the date of the data.");
  r.council("frequency_and_scale", "Frequency and scale of use");
  r.known("human_review", "Human decisions and review",
          "A professional decides whether and how to offer help; the score is advisory. Every run is written to a "
          "hash-chained audit log that records the data, model and settings used.");
  r.council("required_training", "Training for those who use it");
  r.council("appeals_and_review", "How people can ask questions, see their data or challenge it");

  r.section("tool_specification", "Tier 2: tool and model specification");
  r.known("system_architecture", "System architecture",
          "earlyhelp (open source): record linkage, point-in-time features, scoring with reasons, alerts on "
          "change and an audit log, run on the council's own systems; identifiers are pseudonymised with a keyed "
          "hash before linkage leaves the data owner.");
  r.known("model", "Model", fmt::format("{} {}: {}", f.name, f.version, f.estimator));
  r.known("model_output", "Model output",
          fmt::format("A probability of the outcome ({}){}{}", f.outcome.empty() ? what : f.outcome,
                      f.bands.empty() ? "" : fmt::format("; bands {}", f.bands),
                      f.alert ? fmt::format("; alert threshold {}", num(*f.alert)) : ""));
  r.known("model_performance", "Model performance", performance_text(f));
  r.known("training_data", "Training data and period", f.training_window.empty() ? "not stated in the bundle"
                                                                                  : f.training_window);
  r.council("maintenance", "Maintenance and review schedule");

  r.section("data_specification", "Tier 2: data specification");
  r.known("source_data", "Source data", data_text(f));
  r.known("data_cleaning", "Data checks",
          "Every extract is validated against the schema; rows that fail are set aside in a rejects file with the "
          "reason and counted, never silently dropped.");
  r.council("data_collection", "How the data was collected");
  r.council("data_sharing_agreements", "Data-sharing agreements");
  r.council("data_access_and_storage", "Data access and storage");

  r.section("risks_and_mitigations", "Tier 2: risks and mitigations");
  std::string risks;
  for (const auto& l : f.limitations) risks += (risks.empty() ? "" : "\n") + std::string("- ") + l;
  r.known("risks", "Risks and limitations", risks);
  r.known("mitigations", "Mitigations",
          "Scores are advisory and explained; alerts only on change and only for people in contact with services; "
          "evaluation reported by group with precision, recall and calibration, groups too small to judge named; "
          "pseudonymised linkage; an audit log of every run.");
  r.council("impact_assessment", "Impact assessments (DPIA, equality impact assessment)");
  r.finish(f);
}

}  // namespace detail
}  // namespace earlyhelp::profiling
