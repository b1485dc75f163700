// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/governance/evaluation_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <utility>

namespace earlyhelp::governance {
namespace {

using Json = nlohmann::ordered_json;

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

void put_rates(Json& j, const SelectionRates& r) {
  j["selection_rate"] = number(r.selection_rate);
  j["precision"] = number(r.precision);
  j["recall"] = number(r.recall);
  j["false_positive_rate"] = number(r.false_positive_rate);
  j["false_negative_rate"] = number(r.false_negative_rate);
}

Json selection_json(const SelectionMetrics& m) {
  Json j;
  const bool top = m.selection.kind == Selection::Kind::top_k;
  j["rule"] = top ? "top_k" : "threshold";
  j["k"] = top ? Json(m.selection.k) : Json(nullptr);
  j["threshold"] = top ? Json(nullptr) : number(m.selection.threshold);
  j["label"] = m.label;
  j["selected"] = number(m.selected);
  put_rates(j, m.rates);
  return j;
}

Json group_json(const GroupMetrics& g) {
  Json j;
  j["column"] = g.column;
  j["group"] = g.group;
  j["selection"] = g.selection;
  j["rows"] = g.rows;
  j["positives"] = g.positives;
  j["negatives"] = g.negatives;
  j["selected"] = number(g.selected);
  j["judged"] = g.judged;
  j["note"] = g.note;
  j["base_rate"] = number(g.base_rate);
  j["mean_score"] = number(g.mean_score);
  put_rates(j, g.rates);
  j["calibration_in_the_large"] = number(g.calibration_in_the_large);
  j["auc"] = number(g.auc);
  return j;
}

Json difference_json(const DifferenceInterval& d) {
  return Json{{"score", number(d.score)},   {"baseline", number(d.baseline)}, {"difference", number(d.difference)},
              {"lower", number(d.lower)},   {"upper", number(d.upper)},
              {"verdict", std::string(to_string(d.verdict))}};
}

Json comparison_json(const BaselineComparison& c) {
  Json j;
  j["baseline"] = c.baseline;
  j["rows"] = c.rows;
  j["positives"] = c.positives;
  j["clusters"] = c.clusters;
  j["resamples"] = c.resamples;
  j["seed"] = c.seed;
  j["level"] = number(c.level);
  j["min_difference"] = number(c.min_difference);
  j["verdict"] = std::string(to_string(c.verdict));
  j["roc_auc"] = difference_json(c.roc_auc);
  j["pr_auc"] = difference_json(c.pr_auc);
  return j;
}

std::string num(double v) { return format_figure(v); }
std::string signed_num(double v) {
  if (!std::isfinite(v)) return "n/a";
  return fmt::format("{:+.4f}", std::abs(v) < 5e-5 ? 0.0 : v);
}
// A table cell: a '|' in a group label would end the cell.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}
std::string count(double v) {
  return v == std::floor(v) ? fmt::format("{}", static_cast<long long>(v)) : fmt::format("{:.2f}", v);
}

}  // namespace

std::string format_figure(double v) {
  if (!std::isfinite(v)) return "n/a";
  return fmt::format("{:.4f}", std::abs(v) < 5e-5 ? 0.0 : v);  // no "-0.0000" from rounding noise
}

std::string evaluation_to_json(const Evaluation& e, const std::map<std::string, std::string>& context,
                               int indent) {
  Json j;
  j["format"] = "earlyhelp.evaluation";
  j["version"] = 1;
  j["context"] = Json::object();
  for (const auto& [k, v] : context) j["context"][k] = v;
  j["rows"] = e.rows;
  j["positives"] = e.positives;
  j["weighted"] = e.weighted;
  j["probabilities"] = e.probabilities;
  j["base_rate"] = number(e.base_rate);
  j["mean_score"] = number(e.mean_score);
  j["roc_auc"] = number(e.roc_auc);
  j["pr_auc"] = number(e.pr_auc);
  j["brier"] = number(e.brier);
  Json cal;
  cal["binning"] = std::string(to_string(e.options.binning));
  cal["n_bins"] = e.options.n_bins;
  cal["ece"] = number(e.calibration.ece);
  cal["bins"] = Json::array();
  for (const CalibrationBin& b : e.calibration.bins)
    cal["bins"].push_back(Json{{"lower", number(b.lower)},
                               {"upper", number(b.upper)},
                               {"rows", b.rows},
                               {"weight", number(b.weight)},
                               {"mean_score", number(b.mean_score)},
                               {"observed_rate", number(b.observed_rate)}});
  j["calibration"] = std::move(cal);
  j["selections"] = Json::array();
  for (const SelectionMetrics& m : e.selections) j["selections"].push_back(selection_json(m));
  j["fairness"] = Json{{"min_positives", e.options.fairness.min_positives},
                       {"min_negatives", e.options.fairness.min_negatives}};
  j["by_group"] = Json::array();
  for (const GroupMetrics& g : e.by_group) j["by_group"].push_back(group_json(g));
  if (!e.baselines.empty()) {  // written only when there are some, so older files read back the same
    j["baselines"] = Json::array();
    for (const BaselineComparison& c : e.baselines) j["baselines"].push_back(comparison_json(c));
    j["verdict"] = std::string(to_string(overall_verdict(e.baselines)));
  }
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string evaluation_to_markdown(const Evaluation& e, const std::string& title) {
  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  if (!title.empty()) line("## " + title + "\n");
  line("| figure | value |");
  line("| --- | --- |");
  line(fmt::format("| rows | {} |", e.rows));
  line(fmt::format("| with the outcome | {} ({}) |", e.positives, num(e.base_rate)));
  line(fmt::format("| mean score | {} |", num(e.mean_score)));
  line(fmt::format("| ROC AUC | {} |", num(e.roc_auc)));
  line(fmt::format("| PR AUC (average precision) | {} |", num(e.pr_auc)));
  line(fmt::format("| Brier score | {} |", num(e.brier)));
  line(fmt::format("| expected calibration error ({} {} bins) | {} |", e.options.n_bins,
                   to_string(e.options.binning), num(e.calibration.ece)));
  if (!e.probabilities) line("\nScores are not probabilities: Brier score and calibration do not apply.");
  if (!e.baselines.empty()) {
    const BaselineComparison& f = e.baselines.front();
    line(fmt::format("\nAgainst the baselines on the same {} rows ({} positives): the difference model - baseline, "
                     "with its {:g}% interval from {} paired bootstrap resamples {} (seed {}). A baseline is beaten when the interval lies above 0 for both ROC AUC and PR AUC{}, "
                     "not beaten when it lies below 0 for either, and otherwise not clearly beaten (the sample "
                     "cannot tell them apart).\n",
                     f.rows, f.positives, f.level * 100, f.resamples,
                     f.clusters > 0 ? fmt::format("of {} clusters, each drawn whole with all its rows", f.clusters)
                                    : std::string("of the rows, stratified by outcome"),
                     f.seed,
                     f.min_difference > 0 ? fmt::format(" and the difference is at least {}", num(f.min_difference))
                                          : std::string()));
    line("| baseline | figure | model | baseline | difference | interval | verdict |");
    line("| --- | --- | ---: | ---: | ---: | --- | --- |");
    for (const BaselineComparison& c : e.baselines)
      for (const auto& [name, d] : {std::pair<const char*, const DifferenceInterval&>{"ROC AUC", c.roc_auc},
                                    std::pair<const char*, const DifferenceInterval&>{"PR AUC", c.pr_auc}})
        line(fmt::format("| {} | {} | {} | {} | {} | {} to {} | {} |", cell(c.baseline), name, num(d.score),
                         num(d.baseline), signed_num(d.difference), signed_num(d.lower), signed_num(d.upper),
                         to_string(d.verdict)));
    line(fmt::format("\nVerdict: the baseline is {}.", to_string(overall_verdict(e.baselines))));
  }
  if (!e.selections.empty()) {
    line("\n| selection | selected | precision | recall | false-positive rate | false-negative rate |");
    line("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const SelectionMetrics& m : e.selections)
      line(fmt::format("| {} | {} | {} | {} | {} | {} |", m.label, count(m.selected), num(m.rates.precision),
                       num(m.rates.recall), num(m.rates.false_positive_rate), num(m.rates.false_negative_rate)));
  }
  if (e.probabilities && !e.calibration.bins.empty()) {
    line(fmt::format("\nCalibration ({} bins):\n", to_string(e.options.binning)));
    line("| scores | rows | mean score | observed rate |");
    line("| --- | ---: | ---: | ---: |");
    for (const CalibrationBin& b : e.calibration.bins)
      line(fmt::format("| {}–{} | {} | {} | {} |", num(b.lower), num(b.upper), b.rows, num(b.mean_score),
                       num(b.observed_rate)));
  }
  std::string column;
  for (const GroupMetrics& g : e.by_group) {
    if (g.column != column) {
      column = g.column;
      line(fmt::format("\nBy {} (groups with fewer than {} positives or {} negatives are too small to judge):\n",
                       column, e.options.fairness.min_positives, e.options.fairness.min_negatives));
      line(fmt::format("| {} | selection | rows | positives | selected | selection rate | precision | recall | "
                       "false-positive rate | false-negative rate | calibration in the large | AUC |",
                       cell(column)));
      line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }
    if (!g.judged) {
      line(fmt::format("| {} | {} | {} | {} | {} | too small: {} | | | | | | |", cell(g.group), g.selection, g.rows,
                       g.positives, count(g.selected), g.note));
      continue;
    }
    line(fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |", cell(g.group), g.selection, g.rows,
                     g.positives, count(g.selected), num(g.rates.selection_rate), num(g.rates.precision),
                     num(g.rates.recall), num(g.rates.false_positive_rate), num(g.rates.false_negative_rate),
                     num(g.calibration_in_the_large),
                     num(g.auc)));
  }
  return out;
}

}  // namespace earlyhelp::governance
