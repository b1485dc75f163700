// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.models: tree ensembles (import, predict, explain). Thin: convert with the GIL,
// compute without it. float32 and float64 C-order arrays are read in place (noconvert
// overloads); earlyhelp/models.py converts anything else once.

#include "bind.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/trees.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <string>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

using models::TreeEnsemble;

template <class Ref>
void bind_batch(py::class_<TreeEnsemble>& c) {
  c.def(
      "predict",
      [](const TreeEnsemble& m, Ref x, int n_threads) {
        RowMatrixXd out;
        {
          py::gil_scoped_release nogil;
          out = m.predict(x, n_threads);
        }
        return out;
      },
      py::arg("X").noconvert(), py::arg("n_threads") = 0,
      "Transformed predictions, n x n_outputs (probabilities, values or class indices).");
  c.def(
      "predict_margin",
      [](const TreeEnsemble& m, Ref x, int n_threads) {
        RowMatrixXd out;
        {
          py::gil_scoped_release nogil;
          out = m.predict_margin(x, n_threads);
        }
        return out;
      },
      py::arg("X").noconvert(), py::arg("n_threads") = 0, "Raw margins, n x n_groups.");
  c.def(
      "explain",
      [](const TreeEnsemble& m, Ref x, int n_threads) {
        RowMatrixXd out;
        {
          py::gil_scoped_release nogil;
          out = m.explain(x, n_threads);
        }
        return out;
      },
      py::arg("X").noconvert(), py::arg("n_threads") = 0,
      "TreeSHAP contributions, n x (n_groups * (n_features + 1)); bias last in each group.");
}

}  // namespace

void bind_models(py::module_& parent) {
  py::module_ m = parent.def_submodule("models", "Model evaluators (use earlyhelp.Model).");
  py::class_<TreeEnsemble> c(m, "TreeEnsemble",
                             "An immutable gradient-boosted tree ensemble (flat-array evaluator).");
  bind_batch<ConstMatrixRefF>(c);
  bind_batch<ConstMatrixRef>(c);
  c.def_property_readonly("n_features", &TreeEnsemble::n_features)
      .def_property_readonly("n_groups", &TreeEnsemble::n_groups)
      .def_property_readonly("n_outputs", &TreeEnsemble::n_outputs)
      .def_property_readonly("n_trees", &TreeEnsemble::n_trees)
      .def_property_readonly("max_depth", &TreeEnsemble::max_depth)
      .def_property_readonly("base_margin", &TreeEnsemble::base_margin)
      .def_property_readonly("objective", [](const TreeEnsemble& e) {
        return std::string(models::objective_name(e.objective()));
      });

  m.def(
      "import_xgboost_json_file",
      [](const std::string& path) {
        models::XGBoostModel r = [&] {
          py::gil_scoped_release nogil;
          return models::import_xgboost_json_file(path);
        }();
        return py::make_tuple(std::move(r.ensemble), r.feature_names, r.feature_types, r.version);
      },
      py::arg("path"),
      "Reads an XGBoost JSON model: (TreeEnsemble, feature_names, feature_types, version).");
  m.def(
      "import_xgboost_json",
      [](const std::string& text) {
        models::XGBoostModel r = [&] {
          py::gil_scoped_release nogil;
          return models::import_xgboost_json(text);
        }();
        return py::make_tuple(std::move(r.ensemble), r.feature_names, r.feature_types, r.version);
      },
      py::arg("text"), "Parses XGBoost JSON text (as import_xgboost_json_file).");
}

}  // namespace earlyhelp::python
