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
           "The evaluation as Markdown tables.");

  m.def(
      "evaluate",
      [](Vec y, Vec s, Vec w, const std::vector<std::string>& group_names,
         const std::vector<std::vector<std::string>>& group_values, const std::vector<Index>& k,
         const std::vector<double>& thresholds, int n_bins, const std::string& binning, Index min_positives,
         Index min_negatives) {
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
        py::gil_scoped_release nogil;
        return gv::evaluate(y, s, groups, opt, w);
      },
      py::arg("y_true"), py::arg("score"), py::arg("weight"), py::arg("group_names"), py::arg("group_values"),
      py::arg("k"), py::arg("thresholds"), py::arg("n_bins"), py::arg("binning"), py::arg("min_positives"),
      py::arg("min_negatives"));
}

}  // namespace earlyhelp::python
