// SPDX-License-Identifier: Apache-2.0
// The model card (Markdown and JSON), and the four documents written together.
#include "earlyhelp/profiling/model_card.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "profiling/model_facts.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view name) noexcept;  // the compiled-in resources
}

namespace earlyhelp::profiling {
namespace detail {
namespace {

std::string or_unknown(const std::string& s) { return s.empty() ? std::string("not stated in the bundle") : s; }

Json card_json(const ModelFacts& f) {
  const auto& e = f.evaluation->evaluation;
  Json j;
  j["format"] = "earlyhelp.model_card";
  j["version"] = 1;
  j["synthetic_data_warning"] = f.synthetic;
  j["model"] = Json{{"name", f.name}, {"version", f.version}, {"estimator", f.estimator}, {"owner", f.owner}};
  j["intended_use"] = f.intended_use;
  j["advisory"] = "Scores are advisory: an alert asks a professional to look; the decision stays theirs.";
  j["domain"] = Json{{"name", f.domain}, {"title", f.domain_title}, {"known", f.domain_known}, {"level", f.level},
                     {"population", f.population}, {"population_description", f.population_label},
                     {"outcome", f.outcome}, {"horizon_months", f.horizon_months}};
  Json context = Json::object();
  for (const auto& [k, v] : f.evaluation->context) context[k] = v;
  j["training"] = Json{{"window", f.training_window}, {"evaluation_context", context}};
  j["features"] = Json::array();
  for (const auto& ff : f.features)
    j["features"].push_back(Json{{"name", ff.name}, {"label", ff.label}, {"stream", ff.stream}});
  j["bands"] = f.bands;
  j["alert_threshold"] = f.alert ? Json(*f.alert) : Json(nullptr);
  Json perf{{"rows", e.rows},
            {"positives", e.positives},
            {"base_rate", json_number(e.base_rate)},
            {"roc_auc", json_number(e.roc_auc)},
            {"pr_auc", json_number(e.pr_auc)},
            {"brier", json_number(e.brier)},
            {"expected_calibration_error", json_number(e.calibration.ece)}};
  perf["at_capacity"] = Json::array();
  for (const auto& s : e.selections)
    perf["at_capacity"].push_back(Json{{"selection", s.label},
                                       {"selected", json_number(s.selected)},
                                       {"precision", json_number(s.rates.precision)},
                                       {"recall", json_number(s.rates.recall)},
                                       {"false_positive_rate", json_number(s.rates.false_positive_rate)}});
  j["performance"] = std::move(perf);
  Json gaps = Json::array();
  for (const auto& g : f.gaps)
    gaps.push_back(Json{{"grouping", g.column},
                        {"selection", g.selection},
                        {"judged_groups", g.judged_groups},
                        {"precision_gap", json_number(g.precision_gap)},
                        {"false_negative_rate_gap", json_number(g.fnr_gap)},
                        {"false_positive_rate_gap", json_number(g.fpr_gap)},
                        {"selection_rate_gap", json_number(g.selection_rate_gap)},
                        {"highest_false_negative_rate_group", g.lowest_recall_group}});
  j["fairness"] = Json{{"widest_gaps", gaps}, {"too_small_to_judge", f.too_small},
                       {"by_group", Json::parse(governance::evaluation_to_json(e, {}, -1))["by_group"]}};
  j["limitations"] = f.limitations;
  return j;
}

std::string card_markdown(const ModelFacts& f) {
  const auto& e = f.evaluation->evaluation;
  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  line(fmt::format("# Model card: {} {}\n", f.name, f.version));
  if (f.synthetic)
    line("**Trained or evaluated on synthetic data only. Not for use on residents.**\n");
  line("Scores are advisory: an alert asks a professional to look; the decision stays theirs.\n");
  line("## Purpose and intended use\n");
  line(fmt::format("- Intended use: {}", or_unknown(f.intended_use)));
  line(fmt::format("- Owner: {}", or_unknown(f.owner)));
  if (f.domain_known) {
    line(fmt::format("- Domain: {} ({})", f.domain, f.domain_title));
    line(fmt::format("\n## Population\n\nScored at {} level on each as-of date where `{}` is 1: {}.", f.level,
                     f.population, f.population_label));
    line(fmt::format("\n## Outcome and horizon\n\n{}; derived from later events in the council's own extracts.",
                     f.outcome));
  } else {
    line(fmt::format("- Domain: '{}' is not a built-in domain; its population and outcome are not known to this "
                     "card (pass the domain file).",
                     f.domain));
  }
  line("\n## Training data and period\n");
  line(fmt::format("- Training window: {}", or_unknown(f.training_window)));
  for (const auto& [k, v] : f.evaluation->context) line(fmt::format("- {}: {}", k, v));
  line(fmt::format("\n## Model\n\n- Estimator: {}", f.estimator));
  if (!f.bands.empty()) line(fmt::format("- Risk bands: {}", f.bands));
  if (f.alert) line(fmt::format("- Alert threshold: {} (an alert is raised only when a person in contact with "
                                "services crosses it because of a change)",
                                num(*f.alert)));
  line(fmt::format("\n## Features ({})\n", f.features.size()));
  line("| feature | what it says | extract |");
  line("| --- | --- | --- |");
  for (const auto& ff : f.features)
    line(fmt::format("| `{}` | {} | {} |", ff.name, ff.label, ff.stream.empty() ? "(derived)" : ff.stream));
  line("\n## Performance\n");
  line(fmt::format("Evaluated on {} rows, {} with the outcome (base rate {}): ROC AUC {}, PR AUC {}, Brier score {}, "
                   "expected calibration error {}.",
                   e.rows, e.positives, num(e.base_rate), num(e.roc_auc), num(e.pr_auc), num(e.brier),
                   num(e.calibration.ece)));
  if (f.at_alert)
    line(fmt::format("At the alert threshold: {:.0f} selected, precision {}, recall {}.", f.at_alert->selected,
                     num(f.at_alert->rates.precision), num(f.at_alert->rates.recall)));
  line("\n## Fairness by group\n");
  if (f.gaps.empty()) line("No grouping had two groups large enough to compare.");
  else {
    line("Widest gap between judged groups, per grouping and selection:\n");
    line("| grouping | selection | groups judged | precision gap | false-negative-rate gap | false-positive-rate gap | "
         "selection-rate gap | highest false-negative rate |");
    line("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const auto& g : f.gaps)
      line(fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |", g.column, g.selection, g.judged_groups,
                       num(g.precision_gap), num(g.fnr_gap), num(g.fpr_gap), num(g.selection_rate_gap),
                       g.lowest_recall_group));
  }
  if (!f.too_small.empty()) line(fmt::format("\nToo small to judge: {}.", fmt::join(f.too_small, "; ")));
  line("\n## Limitations\n");
  for (const auto& l : f.limitations) line("- " + l);
  line("\n## Figures overall and by group\n");
  out += governance::evaluation_to_markdown(e);
  return out;
}

}  // namespace

void write_card(const ModelFacts& facts, ModelDocuments& out) {
  out.card_markdown = card_markdown(facts);
  out.card_json = card_json(facts).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace detail

ModelDocuments model_documents(const models::Model& model, const governance::EvaluationDocument& evaluation,
                               const OrganisationDetails& organisation, const std::optional<Domain>& domain) {
  const detail::ModelFacts facts = detail::gather_facts(model, evaluation, domain);
  ModelDocuments out;
  out.synthetic = facts.synthetic;
  detail::write_card(facts, out);
  detail::write_record(facts, organisation, out);
  return out;
}

governance::EvaluationDocument reference_evaluation(std::string_view domain) {
  const std::string file = fmt::format("{}.json", domain);
  const std::string_view text = earlyhelp::detail::embedded_file(file);
  EH_CHECK(!text.empty(), "model card: this build has no evaluation of a reference model for domain '{}'", domain);
  return governance::evaluation_from_json(text, fmt::format("evaluation/{}", file));
}

std::vector<std::string> write_model_documents(const ModelDocuments& documents, const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec)
    earlyhelp::detail::throw_error<IOError>("model card: cannot create the directory '{}': {}", out_dir, ec.message());
  const std::pair<const char*, const std::string*> files[] = {{"model_card.md", &documents.card_markdown},
                                                             {"model_card.json", &documents.card_json},
                                                             {"transparency_record.md", &documents.record_markdown},
                                                             {"transparency_record.json", &documents.record_json}};
  std::vector<std::string> written;
  for (const auto& [name, text] : files) {
    const std::string path = (fs::path(out_dir) / name).string();
    io::write_output_file(path, *text);
    written.push_back(path);
  }
  return written;
}

}  // namespace earlyhelp::profiling
