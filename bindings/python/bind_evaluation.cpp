// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.evaluation: metrics, fairness by group and the evaluation writers. Arrays come
// in as float64 (earlyhelp/evaluation.py converts once); the result goes out as the Evaluation,
// whose JSON the Python side turns into DataFrames.

#include "bind.hpp"
#include "earlyhelp/governance/evaluation.hpp"
#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/governance/metrics.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_evaluation(py::module_& root) {
  namespace gv = earlyhelp::governance;
  using Vec = Eigen::Ref<const Eigen::VectorXd>;
  auto m = root.def_submodule("evaluation", "Evaluation metrics, fairness by group, evaluation reports.");

  m.def(
      "selection",
      [](Vec s, std::optional<Index> k, std::optional<double> threshold) -> Eigen::VectorXd {
        return k ? gv::Selection::top(*k).apply(s) : gv::Selection::at_threshold(threshold.value_or(0.0)).apply(s);
      },
      py::arg("score"), py::arg("k") = py::none(), py::arg("threshold") = py::none(),
      "Selection vector of the top k or of score >= threshold (1, 0, or a tied row's share).");

  // The result crosses as the library's own JSON (evaluation_report.hpp), so the DataFrames and
  // evaluation/<domain>.json can never disagree.
  py::class_<gv::Evaluation>(m, "Evaluation", "A whole evaluation (earlyhelp.evaluate builds the DataFrames).")
      .def("to_json", &gv::evaluation_to_json, py::arg("context") = std::map<std::string, std::string>{},
           py::arg("indent") = 2, "The evaluation as JSON (NaN written as null).")
      .def("to_markdown", &gv::evaluation_to_markdown, py::arg("title") = std::string(),
           "The evaluation as Markdown tables.")
      .def(
          "verdict_sentence",
          [](const gv::Evaluation& e, const std::string& what) { return gv::verdict_sentence(e.baselines, what); },
          py::arg("what") = std::string("the baseline"),
          "The verdict against the baselines in one sentence with its numbers (governance::verdict_sentence).");

  m.def(
      "evaluate",
      [](Vec y, Vec s, Vec w, const std::vector<std::string>& group_names,
         const std::vector<std::vector<std::string>>& group_values, const std::vector<Index>& k,
         const std::vector<double>& thresholds, int n_bins, const std::string& binning, Index min_positives,
         Index min_negatives, const std::vector<std::string>& baseline_names,
         const std::vector<Eigen::VectorXd>& baseline_scores, int resamples, std::uint64_t seed, double level,
         double min_difference, const std::vector<Index>& clusters) {
        EH_CHECK(group_names.size() == group_values.size(), "evaluate: {} group names for {} group columns",
                 group_names.size(), group_values.size());
        std::vector<gv::GroupColumn> groups;
        for (std::size_t i = 0; i < group_names.size(); ++i) groups.push_back({group_names[i], group_values[i]});
        gv::EvaluationOptions opt;
        for (Index kk : k) opt.selections.push_back(gv::Selection::top(kk));
        for (double t : thresholds) opt.selections.push_back(gv::Selection::at_threshold(t));
        opt.n_bins = n_bins;
        opt.binning = gv::binning_from_string(binning);
        opt.fairness = gv::FairnessOptions{min_positives, min_negatives};
        EH_CHECK(baseline_names.size() == baseline_scores.size(), "evaluate: {} baseline names for {} baselines",
                 baseline_names.size(), baseline_scores.size());
        py::gil_scoped_release nogil;
        gv::Evaluation e = gv::evaluate(y, s, groups, opt, w);
        const gv::BootstrapOptions boot{resamples, seed, level, min_difference};
        for (std::size_t i = 0; i < baseline_names.size(); ++i)
          e.baselines.push_back(
              gv::compare_with_baseline(y, s, baseline_scores[i], baseline_names[i], boot, w, clusters));
        return e;
      },
      py::arg("y_true"), py::arg("score"), py::arg("weight"), py::arg("group_names"), py::arg("group_values"),
      py::arg("k"), py::arg("thresholds"), py::arg("n_bins"), py::arg("binning"), py::arg("min_positives"),
      py::arg("min_negatives"), py::arg("baseline_names") = std::vector<std::string>{},
      py::arg("baseline_scores") = std::vector<Eigen::VectorXd>{}, py::arg("resamples") = 1000,
      py::arg("seed") = std::uint64_t{0}, py::arg("level") = 0.95, py::arg("min_difference") = 0.0,
      py::arg("clusters") = std::vector<Index>{});
}

}  // namespace earlyhelp::python
