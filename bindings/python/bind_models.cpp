// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.models: the Model bundle and its builders. Thin: convert with the GIL, compute
// without it. float32 and float64 C-order arrays are read in place (noconvert overloads);
// earlyhelp/models.py converts anything else once.

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/model.hpp"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

using models::Model;

template <class Ref>
void bind_batch(py::class_<Model>& c) {
  c.def(
      "predict",
      [](const Model& m, Ref x, int n_threads) {
        py::gil_scoped_release nogil;
        return m.predict(x, n_threads);
      },
      py::arg("X").noconvert(), py::arg("n_threads") = 0,
      "Final predictions (calibrated if a calibration is attached), n x n_outputs.");
  c.def(
      "predict_margin",
      [](const Model& m, Ref x, int n_threads) {
        py::gil_scoped_release nogil;
        return m.predict_margin(x, n_threads);
      },
      py::arg("X").noconvert(), py::arg("n_threads") = 0, "Raw margins, n x n_groups.");
  c.def(
      "explain",
      [](const Model& m, Ref x, int n_threads) {
        py::gil_scoped_release nogil;
        return m.explain(x, n_threads);
      },
      py::arg("X").noconvert(), py::arg("n_threads") = 0,
      "Contributions, n x (n_groups * (n_features + 1)); bias last in each group.");
}

models::CalibrationInput calibration_input(const std::string& s) {
  if (s == "margin") return models::CalibrationInput::margin;
  if (s == "prediction") return models::CalibrationInput::prediction;
  throw InvalidArgument("calibration: input must be 'margin' or 'prediction' (got '" + s + "')");
}

template <class E>
E parse_enum(const std::string& s, std::initializer_list<std::pair<const char*, E>> names,
             const char* what) {
  for (const auto& [n, e] : names) {
    if (s == n) return e;
  }
  throw InvalidArgument(std::string(what) + ": unknown value '" + s + "'");
}

py::dict info_to_dict(const models::ModelInfo& i) {
  py::dict d;
  d["name"] = i.name;
  d["version"] = i.version;
  d["domain"] = i.domain;
  d["training_window"] = i.training_window;
  d["intended_use"] = i.intended_use;
  d["owner"] = i.owner;
  d["evaluation"] = i.evaluation;
  return d;
}

models::ModelInfo info_from_dict(const py::dict& d) {
  models::ModelInfo i;
  for (auto [k, v] : d) {
    const auto key = k.cast<std::string>();
    if (key == "name") i.name = v.cast<std::string>();
    else if (key == "version") i.version = v.cast<std::string>();
    else if (key == "domain") i.domain = v.cast<std::string>();
    else if (key == "training_window") i.training_window = v.cast<std::string>();
    else if (key == "intended_use") i.intended_use = v.cast<std::string>();
    else if (key == "owner") i.owner = v.cast<std::string>();
    else if (key == "evaluation") i.evaluation = v.cast<std::map<std::string, double>>();
    else throw InvalidArgument("info: unknown key '" + key + "'");
  }
  return i;
}

models::Link parse_link(const std::string& link) {
  return parse_enum<models::Link>(link, {{"identity", models::Link::identity},
                                         {"logit", models::Link::logit},
                                         {"softmax", models::Link::softmax},
                                         {"ovr_logit", models::Link::ovr_logit}},
                                  "link");
}

// {"encoding": "numeric"|"one_hot"|"ordinal", "center", "scale", "missing":
// "fill"|"propagate"|"indicator", "fill", "categories", "ordinal_values", "baseline"}
models::FeatureEncoding encoding_from_dict(const py::dict& d) {
  models::FeatureEncoding e;
  for (const auto& [k, v] : d) {
    const auto key = k.cast<std::string>();
    if (key == "encoding") {
      e.encoding = parse_enum<models::Encoding>(v.cast<std::string>(),
                                                {{"numeric", models::Encoding::numeric},
                                                 {"one_hot", models::Encoding::one_hot},
                                                 {"ordinal", models::Encoding::ordinal}},
                                                "encoding");
    } else if (key == "missing") {
      e.missing = parse_enum<models::MissingPolicy>(v.cast<std::string>(),
                                                    {{"fill", models::MissingPolicy::fill},
                                                     {"propagate", models::MissingPolicy::propagate},
                                                     {"indicator", models::MissingPolicy::indicator}},
                                                    "missing");
    } else if (key == "center") {
      e.center = v.cast<double>();
    } else if (key == "scale") {
      e.scale = v.cast<double>();
    } else if (key == "fill") {
      e.fill = v.cast<double>();
    } else if (key == "categories") {
      e.categories = v.cast<std::vector<std::string>>();
    } else if (key == "ordinal_values") {
      e.ordinal_values = v.cast<std::vector<double>>();
    } else if (key == "baseline") {
      e.baseline = v.cast<std::vector<double>>();
    } else {
      earlyhelp::detail::throw_error<InvalidArgument>(
          "make_linear: unknown encoding key '{}' (encoding, center, scale, missing, fill, "
          "categories, ordinal_values, baseline)", key);
    }
  }
  return e;
}

py::dict encoding_to_dict(const models::FeatureEncoding& e) {
  static const char* const encodings[] = {"numeric", "one_hot", "ordinal"};
  static const char* const missing[] = {"fill", "propagate", "indicator"};
  py::dict d;
  d["encoding"] = encodings[static_cast<int>(e.encoding)];
  d["center"] = e.center;
  d["scale"] = e.scale;
  d["missing"] = missing[static_cast<int>(e.missing)];
  d["fill"] = e.fill;
  d["categories"] = e.categories;
  d["ordinal_values"] = e.ordinal_values;
  d["baseline"] = e.baseline;
  return d;
}

}  // namespace

void bind_models(py::module_& parent) {
  py::module_ m = parent.def_submodule("models", "Model evaluators (use earlyhelp.Model).");
  py::class_<Model> c(m, "Model", "A scoring model with its features, calibration, bands and metadata.");
  bind_batch<ConstMatrixRefF>(c);
  bind_batch<ConstMatrixRef>(c);
  c.def_property_readonly("n_features", &Model::n_features)
      .def_property_readonly("n_groups", &Model::n_groups)
      .def_property_readonly("n_outputs", &Model::n_outputs)
      .def_property_readonly("kind", [](const Model& x) { return std::string(x.kind()); })
      .def_property_readonly("objective",
                             [](const Model& x) -> py::object {
                               if (const auto* t = std::get_if<models::TreeEnsemble>(&x.estimator())) {
                                 return py::str(std::string(models::objective_name(t->objective())));
                               }
                               return py::none();
                             })
      .def_property_readonly("n_trees",
                             [](const Model& x) -> Index {
                               const auto* t = std::get_if<models::TreeEnsemble>(&x.estimator());
                               return t ? t->n_trees() : 0;
                             })
      .def_property_readonly("max_depth",
                             [](const Model& x) -> int {
                               const auto* t = std::get_if<models::TreeEnsemble>(&x.estimator());
                               return t ? t->max_depth() : 0;
                             })
      .def_property_readonly(
          "encodings",
          [](const Model& x) -> py::object {
            const auto* l = std::get_if<models::LinearModel>(&x.estimator());
            if (!l) return py::none();
            py::list out;
            for (const auto& e : l->encodings()) out.append(encoding_to_dict(e));
            return std::move(out);
          },
          "Declared feature encodings of a linear model (list of dicts), None otherwise.")
      .def_property("feature_names", &Model::feature_names, &Model::set_feature_names)
      .def_property("labels", &Model::labels, &Model::set_labels)
      .def_property("thresholds", &Model::thresholds, &Model::set_thresholds)
      .def_property(
          "info", [](const Model& x) { return info_to_dict(x.info()); },
          [](Model& x, const py::dict& d) { x.set_info(info_from_dict(d)); })
      .def_property(
          "bands",
          [](const Model& x) -> py::object {
            if (x.bands().empty()) return py::none();
            return py::make_tuple(x.bands().thresholds, x.bands().names);
          },
          [](Model& x, const py::object& b) {
            if (b.is_none()) {
              x.set_bands({});
              return;
            }
            auto t = b.cast<std::pair<std::vector<double>, std::vector<std::string>>>();
            x.set_bands(models::RiskBands{t.first, t.second});
          })
      .def_property_readonly("calibration",
                             [](const Model& x) -> py::object {
                               if (!x.calibration()) return py::none();
                               const auto& k = *x.calibration();
                               py::dict d;
                               d["kind"] = k.kind == models::Calibration::Kind::platt ? "platt" : "isotonic";
                               d["input"] = k.input == models::CalibrationInput::margin ? "margin" : "prediction";
                               d["a"] = k.a;
                               d["b"] = k.b;
                               d["x"] = k.x;
                               d["y"] = k.y;
                               return d;
                             })
      .def(
          "set_platt",
          [](Model& x, double a, double b, const std::string& input) {
            x.set_calibration(models::Calibration::platt(a, b, calibration_input(input)));
          },
          py::arg("a"), py::arg("b"), py::arg("input") = "margin",
          "Attaches Platt calibration p = 1 / (1 + exp(a * s + b)).")
      .def(
          "set_isotonic",
          [](Model& x, std::vector<double> xs, std::vector<double> ys, const std::string& input) {
            x.set_calibration(models::Calibration::isotonic(std::move(xs), std::move(ys),
                                                            calibration_input(input)));
          },
          py::arg("x"), py::arg("y"), py::arg("input") = "prediction",
          "Attaches an isotonic (clipped piecewise-linear) calibration.")
      .def("clear_calibration", [](Model& x) { x.set_calibration(std::nullopt); })
      .def(
          "predict_one",
          [](const Model& x, const py::array_t<double, py::array::c_style>& row, bool margin) {
            EH_CHECK(row.size() == x.n_features(), "predict: X has {} columns, model expects {}",
                     row.size(), x.n_features());
            double out[256];
            const double* p = row.data();
            {
              py::gil_scoped_release nogil;
              x.predict_one(p, out, margin);
            }
            const py::ssize_t k = margin ? x.n_groups() : x.n_outputs();
            // shaped as predict() of one row: (1,) for one output, (1, K) for several
            if (k == 1) return py::array_t<double>(1, out);
            return py::array_t<double>(std::vector<py::ssize_t>{1, k}, out);
          },
          py::arg("row").noconvert(), py::arg("margin") = false,
          "One record (a C-contiguous float64 array of n_features values): the single-record "
          "path without batch set-up.")
      .def(
          "predict_one",
          [](const Model& x, const py::array_t<float, py::array::c_style>& row, bool margin) {
            EH_CHECK(row.size() == x.n_features(), "predict: X has {} columns, model expects {}",
                     row.size(), x.n_features());
            // float32 -> float64 is exact, so this scores as the float32 batch kernel does.
            std::vector<double> values(row.data(), row.data() + row.size());
            double out[256];
            {
              py::gil_scoped_release nogil;
              x.predict_one(values.data(), out, margin);
            }
            const py::ssize_t k = margin ? x.n_groups() : x.n_outputs();
            if (k == 1) return py::array_t<double>(1, out);
            return py::array_t<double>(std::vector<py::ssize_t>{1, k}, out);
          },
          py::arg("row").noconvert(), py::arg("margin") = false,
          "One record as a C-contiguous float32 array (what XGBoost users hold), without a detour.")
      .def(
          "reasons",
          [](const Model& x, ConstMatrixRef xs, int k, int group) {
            std::vector<std::vector<models::Reason>> r;
            {
              py::gil_scoped_release nogil;
              r = x.reasons(xs, k, group);
            }
            py::list out;
            for (const auto& row : r) {
              py::list l;
              for (const auto& e : row) l.append(py::make_tuple(e.label, e.contribution, e.name));
              out.append(l);
            }
            return out;
          },
          py::arg("X"), py::arg("k") = 3, py::arg("group") = 0,
          "Top-k positive contributions per row as (label, contribution, feature) tuples.")
      .def(
          "band",
          [](const Model& x, ConstMatrixRef xs) {
            py::gil_scoped_release nogil;
            return x.band(xs);
          },
          py::arg("X"), "Risk band index per row (-1 when no bands or NaN).")
      .def(
          "to_bytes",
          [](const Model& x, const std::string& key) { return py::bytes(x.to_bytes(key)); },
          py::arg("key") = "", "The bundle as bytes (HMAC-signed when key is given).")
      .def_static(
          "from_bytes",
          [](const py::bytes& b, const std::string& key) {
            return Model::from_bytes(std::string(b), key);
          },
          py::arg("data"), py::arg("key") = "")
      .def(
          "save",
          [](const Model& x, const std::string& path, const std::string& key) {
            py::gil_scoped_release nogil;
            x.save(path, key);
          },
          py::arg("path"), py::arg("key") = "")
      .def_static(
          "load",
          [](const std::string& path, const std::string& key) {
            py::gil_scoped_release nogil;
            return Model::load(path, key);
          },
          py::arg("path"), py::arg("key") = "");

  m.def(
      "import_xgboost_json_file",
      [](const std::string& path, std::size_t memory_budget) {
        py::gil_scoped_release nogil;
        models::XGBoostModel r = models::import_xgboost_json_file(path, memory_budget);
        return Model(std::move(r.ensemble), r.feature_names);
      },
      py::arg("path"), py::arg("memory_budget") = models::default_import_memory_budget,
      "Reads an XGBoost JSON model into a Model (streamed; FormatError over memory_budget bytes).");

  m.def(
      "make_trees",
      [](const py::list& trees, Index n_features, int n_groups, const std::string& objective,
         double base_score, const std::string& accumulate, const std::string& split_rule) {
        std::vector<models::TreeArrays> ts;
        for (const auto& h : trees) {
          const auto d = h.cast<py::dict>();
          models::TreeArrays a;
          a.left = d["left"].cast<std::vector<std::int32_t>>();
          a.right = d["right"].cast<std::vector<std::int32_t>>();
          a.feature = d["feature"].cast<std::vector<std::int32_t>>();
          a.threshold = d["threshold"].cast<std::vector<double>>();
          a.default_left = d["default_left"].cast<std::vector<std::uint8_t>>();
          a.value = d["value"].cast<std::vector<double>>();
          a.cover = d["cover"].cast<std::vector<double>>();
          if (d.contains("categories")) {
            a.categories = d["categories"].cast<std::vector<std::vector<std::int32_t>>>();
          }
          a.group = d["group"].cast<int>();
          ts.push_back(std::move(a));
        }
        py::gil_scoped_release nogil;
        return Model(models::TreeEnsemble(
            std::move(ts), n_features, n_groups, models::parse_objective(objective), base_score,
            parse_enum<models::Accumulate>(accumulate, {{"float32", models::Accumulate::float32},
                                                        {"float64", models::Accumulate::float64}},
                                           "accumulate"),
            parse_enum<models::SplitRule>(
                split_rule,
                {{"less_float32", models::SplitRule::less_float32},
                 {"less_equal_float64", models::SplitRule::less_equal_float64}},
                "split_rule")));
      },
      py::arg("trees"), py::arg("n_features"), py::arg("n_groups"), py::arg("objective"),
      py::arg("base_score"), py::arg("accumulate") = "float32",
      py::arg("split_rule") = "less_float32",
      "Builds a tree-ensemble Model from per-tree dicts of arrays (left, right, feature, "
      "threshold, default_left, value, cover, group[, categories]).");

  m.def(
      "make_linear",
      [](const RowMatrixXd& coef, const Eigen::VectorXd& intercept, const std::string& link,
         const Eigen::VectorXd& center, const Eigen::VectorXd& scale, const Eigen::VectorXd& fill) {
        return Model(models::LinearModel(coef, intercept, parse_link(link), center, scale, fill));
      },
      py::arg("coef"), py::arg("intercept"), py::arg("link"), py::arg("center") = Eigen::VectorXd(),
      py::arg("scale") = Eigen::VectorXd(), py::arg("fill") = Eigen::VectorXd(),
      "Builds a linear/logistic Model: coef K x F, intercept K.");

  m.def(
      "make_linear_encoded",
      [](const RowMatrixXd& coef, const Eigen::VectorXd& intercept, const std::string& link,
         const py::list& encodings) {
        std::vector<models::FeatureEncoding> enc;
        for (const auto& d : encodings) enc.push_back(encoding_from_dict(d.cast<py::dict>()));
        return Model(models::LinearModel(coef, intercept, parse_link(link), std::move(enc)));
      },
      py::arg("coef"), py::arg("intercept"), py::arg("link"), py::arg("encodings"),
      "Builds a linear/logistic Model over declared encodings: coef K x D design coefficients, "
      "one dict per feature (see earlyhelp.Model.linear).");

  m.def(
      "make_scorecard",
      [](const std::vector<std::tuple<std::vector<double>, std::vector<double>, double>>& features,
         double base_points, double target_points, double target_odds, double pdo) {
        std::vector<models::ScorecardFeature> fs;
        for (const auto& [e, p, miss] : features) fs.push_back({e, p, miss});
        return Model(models::Scorecard(std::move(fs), base_points, target_points, target_odds, pdo));
      },
      py::arg("features"), py::arg("base_points"), py::arg("target_points"),
      py::arg("target_odds"), py::arg("points_to_double_odds"),
      "Builds a points scorecard Model from (edges, points, missing_points) per feature.");
}

}  // namespace earlyhelp::python
