// SPDX-License-Identifier: Apache-2.0
// Model: the bundle (estimator + features + calibration + bands + metadata), its predictions
// and its storage (a Boost.Serialization payload inside the verified envelope).

#include "earlyhelp/models/model.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/io/envelope.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/io/serialization.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <type_traits>
#include <utility>

namespace earlyhelp::models {

// ---- plain state for the archive ------------------------------------------------------------

struct ModelPayload {
  std::string tag;  // "earlyhelp.models.Model"
  int kind = 0;     // 0 trees, 1 linear, 2 scorecard
  // trees
  std::vector<TreeArrays> trees;
  std::int64_t n_features = 0;
  int n_groups = 1, objective = 0, accumulate = 0, split_rule = 0;
  double base_score = 0;
  // linear
  std::int64_t coef_rows = 0;
  std::vector<double> coef, intercept, center, scale, fill;
  int link = 0;
  // scorecard
  std::vector<ScorecardFeature> card;
  double base_points = 0, target_points = 0, target_odds = 1, pdo = 1;
  // bundle
  std::vector<std::string> feature_names;
  std::map<std::string, std::string> labels;
  bool has_calibration = false;
  int cal_kind = 0, cal_input = 0;
  double cal_a = 0, cal_b = 0;
  std::vector<double> cal_x, cal_y;
  std::vector<double> band_thresholds;
  std::vector<std::string> band_names;
  std::map<std::string, double> thresholds;
  ModelInfo info;
};

// Format 2 adds the declared encodings of a linear model after the format-1 payload.
struct EncodingPayload {
  int encoding = 0, missing = 0;
  double center = 0, scale = 1, fill = 0;
  std::vector<std::string> categories;
  std::vector<double> ordinal_values, baseline;
};

struct ModelPayloadV2 {
  ModelPayload base;
  std::vector<EncodingPayload> encodings;
};

template <class Ar>
void serialize(Ar& ar, EncodingPayload& e, unsigned /*version*/) {
  ar& e.encoding& e.missing& e.center& e.scale& e.fill& e.categories& e.ordinal_values& e.baseline;
}

template <class Ar>
void serialize(Ar& ar, TreeArrays& t, unsigned /*version*/) {
  ar& t.left& t.right& t.feature& t.threshold& t.default_left& t.value& t.cover& t.categories&
      t.group;
}

template <class Ar>
void serialize(Ar& ar, ScorecardFeature& f, unsigned /*version*/) {
  ar& f.edges& f.points& f.missing_points;
}

template <class Ar>
void serialize(Ar& ar, ModelInfo& i, unsigned /*version*/) {
  ar& i.name& i.version& i.domain& i.training_window& i.intended_use& i.owner& i.evaluation;
}

template <class Ar>
void serialize(Ar& ar, ModelPayload& p, unsigned /*version*/) {
  ar& p.tag& p.kind;
  ar& p.trees& p.n_features& p.n_groups& p.objective& p.accumulate& p.split_rule& p.base_score;
  ar& p.coef_rows& p.coef& p.intercept& p.center& p.scale& p.fill& p.link;
  ar& p.card& p.base_points& p.target_points& p.target_odds& p.pdo;
  ar& p.feature_names& p.labels& p.has_calibration& p.cal_kind& p.cal_input& p.cal_a& p.cal_b&
      p.cal_x& p.cal_y& p.band_thresholds& p.band_names& p.thresholds& p.info;
}

template <class Ar>
void serialize(Ar& ar, ModelPayloadV2& p, unsigned /*version*/) {
  ar& p.base& p.encodings;
}

namespace {

constexpr const char* kTag = "earlyhelp.models.Model";

Eigen::VectorXd to_vec(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), to_index(v.size()));
}

template <class E>
void each_row(const E& e, const double* x, Index n, Index ld, double* out, Index out_w,
              bool margin, int n_threads) {
  parallel_for(to_size(n), n_threads, [&](std::size_t i) {
    const double* row = x + to_index(i) * ld;
    double m[256];
    e.margin_one(row, m);
    double* o = out + to_index(i) * out_w;
    if (margin) {
      std::copy(m, m + e.n_groups(), o);
    } else {
      e.transform(m, o);
    }
  });
}

}  // namespace

// ---- Model ----------------------------------------------------------------------------------

Model::Model(Estimator estimator, std::vector<std::string> feature_names)
    : estimator_(std::move(estimator)) {
  set_feature_names(std::move(feature_names));
}

Index Model::n_features() const noexcept {
  return std::visit([](const auto& e) { return e.n_features(); }, estimator_);
}
int Model::n_groups() const noexcept {
  return std::visit([](const auto& e) { return e.n_groups(); }, estimator_);
}
int Model::n_outputs() const noexcept {
  return std::visit([](const auto& e) { return e.n_outputs(); }, estimator_);
}
std::string_view Model::kind() const noexcept {
  switch (estimator_.index()) {
    case 0: return "trees";
    case 1: return "linear";
    default: return "scorecard";
  }
}

void Model::set_feature_names(std::vector<std::string> names) {
  EH_CHECK(names.empty() || to_index(names.size()) == n_features(),
           "Model: {} feature names for a model with {} features", names.size(), n_features());
  feature_names_ = std::move(names);
}
void Model::set_labels(std::map<std::string, std::string> labels) { labels_ = std::move(labels); }
void Model::set_calibration(std::optional<Calibration> calibration) {
  if (calibration) {
    EH_CHECK(n_outputs() == 1, "Model: calibration needs a single-output model (this has {})",
             n_outputs());
    calibration->validate();
  }
  calibration_ = std::move(calibration);
}
void Model::set_bands(RiskBands bands) {
  if (!bands.empty()) bands.validate();
  bands_ = std::move(bands);
}
void Model::set_thresholds(std::map<std::string, double> thresholds) {
  thresholds_ = std::move(thresholds);
}
void Model::set_info(ModelInfo info) { info_ = std::move(info); }


void Model::predict_raw(const double* x, Index n_rows, double* out, bool margin,
                        int n_threads) const {
  EH_CHECK(n_rows >= 0, "predict: n_rows must be >= 0 (got {})", n_rows);
  if (n_rows == 0) return;
  EH_CHECK(x != nullptr && out != nullptr, "predict: NULL input or output");
  const bool cal = calibration_.has_value() && !margin;
  const bool cal_on_margin = cal && calibration_->input == CalibrationInput::margin;
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, TreeEnsemble>) {
          e.predict_raw(x, n_rows, out, margin || cal_on_margin, n_threads);
        } else {
          each_row(e, x, n_rows, e.n_features(), out, margin ? e.n_groups() : e.n_outputs(),
                   margin || cal_on_margin, n_threads);
        }
      },
      estimator_);
  if (cal) {
    for (Index i = 0; i < n_rows; ++i) out[i] = calibration_->apply(out[i]);
  }
}

namespace {
// Final predictions of a tree model (read in place, any dtype), calibrated when attached.
template <class Ref>
RowMatrixXd predict_any(const Model& m, const Ref& x, int n_threads) {
  EH_CHECK(x.cols() == m.n_features(), "predict: X has {} columns, model expects {}", x.cols(),
           m.n_features());
  const auto& cal = m.calibration();
  RowMatrixXd out;
  if (const auto* t = std::get_if<TreeEnsemble>(&m.estimator())) {
    const bool on_margin = cal && cal->input == CalibrationInput::margin;
    out = on_margin ? t->predict_margin(x, n_threads) : t->predict(x, n_threads);
    if (cal) {
      for (Index i = 0; i < out.rows(); ++i) out(i, 0) = cal->apply(out(i, 0));
    }
    return out;
  }
  const RowMatrixXd xc = x.template cast<double>();
  out.resize(x.rows(), m.n_outputs());
  m.predict_raw(xc.data(), xc.rows(), out.data(), false, n_threads);
  return out;
}
}  // namespace

RowMatrixXd Model::predict(ConstMatrixRef x, int n_threads) const {
  return predict_any(*this, x, n_threads);
}

RowMatrixXd Model::predict(ConstMatrixRefF x, int n_threads) const {
  return predict_any(*this, x, n_threads);
}

RowMatrixXd Model::predict_margin(ConstMatrixRef x, int n_threads) const {
  EH_CHECK(x.cols() == n_features(), "predict_margin: X has {} columns, model expects {}",
           x.cols(), n_features());
  if (const auto* t = std::get_if<TreeEnsemble>(&estimator_)) return t->predict_margin(x, n_threads);
  const RowMatrixXd xc = x;
  RowMatrixXd out(x.rows(), n_groups());
  predict_raw(xc.data(), xc.rows(), out.data(), true, n_threads);
  return out;
}

RowMatrixXd Model::predict_margin(ConstMatrixRefF x, int n_threads) const {
  if (const auto* t = std::get_if<TreeEnsemble>(&estimator_)) return t->predict_margin(x, n_threads);
  return predict_margin(ConstMatrixRef(x.cast<double>()), n_threads);
}

void Model::predict_one(const double* row, double* out, bool margin) const {
  EH_CHECK(row != nullptr && out != nullptr, "predict_one: NULL row or output");
  const bool cal = calibration_.has_value() && !margin;
  const bool raw = margin || (cal && calibration_->input == CalibrationInput::margin);
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, TreeEnsemble>) {
          e.predict_one(row, out, raw);
        } else {
          double m[256];
          e.margin_one(row, m);
          if (raw) {
            std::copy(m, m + e.n_groups(), out);
          } else {
            e.transform(m, out);
          }
        }
      },
      estimator_);
  if (cal) out[0] = calibration_->apply(out[0]);
}

RowMatrixXd Model::explain(ConstMatrixRef x, int n_threads) const {
  EH_CHECK(x.cols() == n_features(), "explain: X has {} columns, model expects {}", x.cols(),
           n_features());
  if (const auto* t = std::get_if<TreeEnsemble>(&estimator_)) return t->explain(x, n_threads);
  const Index width = n_groups() * (n_features() + 1);
  RowMatrixXd out(x.rows(), width);
  const RowMatrixXd xc = x;
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (!std::is_same_v<E, TreeEnsemble>) {
          parallel_for(to_size(xc.rows()), n_threads, [&](std::size_t i) {
            e.explain_one(xc.row(to_index(i)).data(), out.row(to_index(i)).data());
          });
        }
      },
      estimator_);
  return out;
}

RowMatrixXd Model::explain(ConstMatrixRefF x, int n_threads) const {
  if (const auto* t = std::get_if<TreeEnsemble>(&estimator_)) return t->explain(x, n_threads);
  return explain(ConstMatrixRef(x.cast<double>()), n_threads);
}

std::vector<std::vector<Reason>> Model::reasons(ConstMatrixRef x, int k, int group,
                                                int n_threads) const {
  EH_CHECK(k >= 1, "reasons: k must be >= 1 (got {})", k);
  EH_CHECK(group >= 0 && group < n_groups(), "reasons: group {} outside [0, {})", group,
           n_groups());
  const RowMatrixXd phi = explain(x, n_threads);
  const Index f = n_features();
  std::vector<std::vector<Reason>> out(to_size(x.rows()));
  std::vector<Index> order(to_size(f));
  for (Index i = 0; i < x.rows(); ++i) {
    const double* p = phi.row(i).data() + group * (f + 1);
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return p[a] > p[b]; });
    for (Index r = 0; r < std::min<Index>(k, f) && p[order[to_size(r)]] > 0; ++r) {
      const Index j = order[to_size(r)];
      Reason reason{j, feature_names_.empty() ? "f" + std::to_string(j) : feature_names_[to_size(j)],
                    {}, p[j]};
      const auto it = labels_.find(reason.name);
      reason.label = it == labels_.end() ? reason.name : it->second;
      out[to_size(i)].push_back(std::move(reason));
    }
  }
  return out;
}

std::vector<int> Model::band(ConstMatrixRef x, int n_threads) const {
  EH_CHECK(n_outputs() == 1, "band: needs a single-output model (this has {})", n_outputs());
  const RowMatrixXd p = predict(x, n_threads);
  std::vector<int> out(to_size(p.rows()), -1);
  if (bands_.empty()) return out;
  for (Index i = 0; i < p.rows(); ++i) out[to_size(i)] = bands_.band(p(i, 0));
  return out;
}

// ---- storage --------------------------------------------------------------------------------

std::string Model::to_bytes(std::string_view key) const {
  ModelPayloadV2 v2;
  ModelPayload& p = v2.base;
  p.tag = kTag;
  p.kind = static_cast<int>(estimator_.index());
  if (const auto* t = std::get_if<TreeEnsemble>(&estimator_)) {
    p.trees = t->trees();
    p.n_features = t->n_features();
    p.n_groups = t->n_groups();
    p.objective = static_cast<int>(t->objective());
    p.accumulate = static_cast<int>(t->accumulate());
    p.split_rule = static_cast<int>(t->split_rule());
    p.base_score = t->base_score();
  } else if (const auto* l = std::get_if<LinearModel>(&estimator_)) {
    p.coef_rows = l->coef().rows();
    p.n_features = l->coef().cols();  // design columns (= features unless encoded)
    p.coef.assign(l->coef().data(), l->coef().data() + l->coef().size());
    p.intercept.assign(l->intercept().begin(), l->intercept().end());
    p.center.assign(l->center().begin(), l->center().end());
    p.scale.assign(l->scale().begin(), l->scale().end());
    p.fill.assign(l->fill().begin(), l->fill().end());
    p.link = static_cast<int>(l->link());
    for (const auto& e : l->encodings()) {
      v2.encodings.push_back({static_cast<int>(e.encoding), static_cast<int>(e.missing), e.center,
                              e.scale, e.fill, e.categories, e.ordinal_values, e.baseline});
    }
  } else {
    const auto& s = std::get<Scorecard>(estimator_);
    p.card = s.features();
    p.base_points = s.base_points();
    p.target_points = s.target_points();
    p.target_odds = s.target_odds();
    p.pdo = s.points_to_double_odds();
  }
  p.feature_names = feature_names_;
  p.labels = labels_;
  if (calibration_) {
    p.has_calibration = true;
    p.cal_kind = static_cast<int>(calibration_->kind);
    p.cal_input = static_cast<int>(calibration_->input);
    p.cal_a = calibration_->a;
    p.cal_b = calibration_->b;
    p.cal_x = calibration_->x;
    p.cal_y = calibration_->y;
  }
  p.band_thresholds = bands_.thresholds;
  p.band_names = bands_.names;
  p.thresholds = thresholds_;
  p.info = info_;
  return io::seal(io::to_bytes(v2), kModelMagic, kModelFormatVersion, key);
}

Model Model::from_bytes(std::string_view bytes, std::string_view key) {
  const io::Opened env = io::open(bytes, kModelMagic, "model bundle", 1, kModelFormatVersion, key);
  // The archive opens with a few bytes of class information, then the tag string; checking for
  // it first turns most foreign payloads into a clear error before Boost sizes anything.
  if (env.payload.substr(0, 64).find(kTag) == std::string_view::npos) {
    earlyhelp::detail::throw_error<FormatError>("Model::from_bytes: payload is not a model");
  }
  // Format 1 is the bare payload (no declared encodings: every linear feature numeric).
  const auto v2 = env.version == 1
                      ? ModelPayloadV2{io::from_bytes<ModelPayload>(env.payload, "model bundle"), {}}
                      : io::from_bytes<ModelPayloadV2>(env.payload, "model bundle");
  const ModelPayload& p = v2.base;
  if (p.tag != kTag) {
    earlyhelp::detail::throw_error<FormatError>("Model::from_bytes: payload is not a model");
  }
  // Every constructor and setter validates; a well-formed archive with inconsistent content is
  // still a FormatError for the reader.
  try {
    auto in_range = [](int v, int hi, const char* what) {
      EH_CHECK(v >= 0 && v <= hi, "{} code {} unknown", what, v);
    };
    std::optional<Model> m;
    if (p.kind == 0) {
      in_range(p.objective, static_cast<int>(Objective::multi_softmax), "objective");
      in_range(p.accumulate, 1, "accumulate");
      in_range(p.split_rule, 1, "split rule");
      m.emplace(TreeEnsemble(p.trees, p.n_features, p.n_groups,
                             static_cast<Objective>(p.objective), p.base_score,
                             static_cast<Accumulate>(p.accumulate),
                             static_cast<SplitRule>(p.split_rule)));
    } else if (p.kind == 1) {
      in_range(p.link, static_cast<int>(Link::ovr_logit), "link");
      EH_CHECK(p.coef_rows > 0 && p.n_features > 0 &&
                   p.coef.size() == static_cast<std::size_t>(p.coef_rows * p.n_features),
               "linear model: {} coefficients for {}x{}", p.coef.size(), p.coef_rows,
               p.n_features);
      RowMatrixXd coef = Eigen::Map<const RowMatrixXd>(p.coef.data(), p.coef_rows, p.n_features);
      if (env.version == 1) {
        m.emplace(LinearModel(std::move(coef), to_vec(p.intercept), static_cast<Link>(p.link),
                              to_vec(p.center), to_vec(p.scale), to_vec(p.fill)));
      } else {
        std::vector<FeatureEncoding> enc;
        for (const auto& e : v2.encodings) {
          in_range(e.encoding, static_cast<int>(Encoding::ordinal), "encoding");
          in_range(e.missing, static_cast<int>(MissingPolicy::indicator), "missing policy");
          FeatureEncoding fe;
          fe.encoding = static_cast<Encoding>(e.encoding);
          fe.missing = static_cast<MissingPolicy>(e.missing);
          fe.center = e.center;
          fe.scale = e.scale;
          fe.fill = e.fill;
          fe.categories = e.categories;
          fe.ordinal_values = e.ordinal_values;
          fe.baseline = e.baseline;
          enc.push_back(std::move(fe));
        }
        m.emplace(LinearModel(std::move(coef), to_vec(p.intercept), static_cast<Link>(p.link),
                              std::move(enc)));
      }
    } else if (p.kind == 2) {
      m.emplace(Scorecard(p.card, p.base_points, p.target_points, p.target_odds, p.pdo));
    } else {
      EH_CHECK(false, "estimator kind {} unknown", p.kind);
    }
    m->set_feature_names(p.feature_names);
    m->set_labels(p.labels);
    if (p.has_calibration) {
      in_range(p.cal_kind, 1, "calibration");
      in_range(p.cal_input, 1, "calibration input");
      Calibration c;
      c.kind = static_cast<Calibration::Kind>(p.cal_kind);
      c.input = static_cast<CalibrationInput>(p.cal_input);
      c.a = p.cal_a;
      c.b = p.cal_b;
      c.x = p.cal_x;
      c.y = p.cal_y;
      m->set_calibration(std::move(c));
    }
    m->set_bands(RiskBands{p.band_thresholds, p.band_names});
    m->set_thresholds(p.thresholds);
    m->set_info(p.info);
    return std::move(*m);
  } catch (const InvalidArgument& e) {
    earlyhelp::detail::throw_error<FormatError>("Model::from_bytes: inconsistent bundle: {}",
                                                e.what());
  }
}

void Model::save(const std::string& path, std::string_view key) const {
  io::write_output_file(path, to_bytes(key));
}

Model Model::load(const std::string& path, std::string_view key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) earlyhelp::detail::throw_error<IOError>("Model::load: cannot open '{}'", path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return from_bytes(buf.str(), key);
}

}  // namespace earlyhelp::models
