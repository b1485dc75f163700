// SPDX-License-Identifier: Apache-2.0
// XGBoost JSON -> TreeEnsemble. Every read goes through `Reader`, which knows the JSON path it is
// at, so a bad file is reported as "<source>: learner/.../trees/3/left_children: <what>".

#include "earlyhelp/models/import_xgboost.hpp"

#include "earlyhelp/core/error.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace earlyhelp::models {

namespace {

using Json = nlohmann::json;

// XGBoost writes NaN, Infinity and -Infinity as bare literals (not JSON). Outside strings they
// become null (read back as NaN) and the strings "inf" / "-inf".
std::string sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (text.compare(i, 3, "NaN") == 0) {
      out += "null";
      i += 2;
      continue;
    } else if (text.compare(i, 9, "-Infinity") == 0) {
      out += "\"-inf\"";
      i += 8;
      continue;
    } else if (text.compare(i, 8, "Infinity") == 0) {
      out += "\"inf\"";
      i += 7;
      continue;
    }
    out += c;
  }
  return out;
}

class Reader {
 public:
  Reader(const Json& j, std::string path, std::string_view source)
      : j_(&j), path_(std::move(path)), source_(source) {}

  [[noreturn]] void fail(std::string_view what) const {
    earlyhelp::detail::throw_error<FormatError>("import_xgboost_json: {}: {}: {}", source_,
                                     path_.empty() ? "/" : path_, what);
  }

  Reader at(const char* key) const {
    if (!j_->is_object()) fail("expected an object");
    auto it = j_->find(key);
    if (it == j_->end()) {
      Reader(*j_, join(key), source_).fail("missing");
    }
    return Reader(*it, join(key), source_);
  }

  bool has(const char* key) const { return j_->is_object() && j_->contains(key); }

  Reader at(std::size_t i) const {
    if (!j_->is_array() || i >= j_->size()) fail(fmt::format("expected an array with item {}", i));
    return Reader((*j_)[i], join(std::to_string(i)), source_);
  }

  std::size_t size() const {
    if (!j_->is_array()) fail("expected an array");
    return j_->size();
  }

  std::string str() const {
    if (!j_->is_string()) fail("expected a string");
    return j_->get<std::string>();
  }

  /// A number written either as a JSON number or as a string ("5E-1"; 2.x also "[5E-1]").
  double number_or_string() const {
    if (j_->is_number()) return j_->get<double>();
    if (!j_->is_string()) fail("expected a number");
    std::string s = j_->get<std::string>();
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    std::istringstream in(s);
    in.imbue(std::locale::classic());
    double v = 0;
    in >> v;
    if (in.fail() || !(in >> std::ws).eof()) fail(fmt::format("expected a number, got '{}'", s));
    return v;
  }

  std::int64_t integer_or_string() const {
    const double v = number_or_string();
    if (!(std::abs(v) < 9e15) || v != std::floor(v)) fail("expected an integer");
    return static_cast<std::int64_t>(v);
  }

  /// An array of n integers (booleans accepted as 0/1).
  std::vector<std::int32_t> ints(std::size_t n) const {
    const std::size_t have = checked_size(n, "integers");
    std::vector<std::int32_t> out(have);
    for (std::size_t i = 0; i < have; ++i) {
      const Json& v = (*j_)[i];
      if (v.is_boolean()) {
        out[i] = v.get<bool>() ? 1 : 0;
      } else if (v.is_number_integer()) {
        const auto x = v.get<std::int64_t>();
        if (x < std::numeric_limits<std::int32_t>::min() ||
            x > std::numeric_limits<std::int32_t>::max()) {
          at(i).fail("integer out of range");
        }
        out[i] = static_cast<std::int32_t>(x);
      } else {
        at(i).fail("expected an integer");
      }
    }
    return out;
  }

  /// An array of n numbers (null = NaN, "inf" / "-inf" = infinities).
  std::vector<double> numbers(std::size_t n) const {
    const std::size_t have = checked_size(n, "numbers");
    std::vector<double> out(have);
    for (std::size_t i = 0; i < have; ++i) {
      const Json& v = (*j_)[i];
      if (v.is_null()) {
        out[i] = std::numeric_limits<double>::quiet_NaN();
      } else if (v.is_number()) {
        out[i] = v.get<double>();
      } else if (v.is_string() && (v == "inf" || v == "-inf")) {
        out[i] = (v == "inf" ? 1.0 : -1.0) * std::numeric_limits<double>::infinity();
      } else {
        at(i).fail("expected a number");
      }
    }
    return out;
  }

 private:
  // n == npos: any length.
  std::size_t checked_size(std::size_t n, const char* what) const {
    if (!j_->is_array()) fail(fmt::format("expected an array of {}", what));
    if (n != std::string::npos && j_->size() != n) {
      fail(fmt::format("expected an array of {} {}, found {}", n, what, j_->size()));
    }
    return j_->size();
  }

  std::string join(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "/" + std::string(key);
  }

  const Json* j_;
  std::string path_;
  std::string_view source_;
};

TreeArrays read_tree(const Reader& t, int group) {
  const std::size_t n = t.at("left_children").size();
  if (t.has("tree_param")) {
    const auto declared = t.at("tree_param").at("num_nodes").integer_or_string();
    if (declared != static_cast<std::int64_t>(n)) {
      t.at("tree_param").at("num_nodes").fail(
          fmt::format("declares {} nodes but left_children has {}", declared, n));
    }
  }
  if (n == 0) t.at("left_children").fail("a tree needs at least one node");
  TreeArrays a;
  a.group = group;
  a.left = t.at("left_children").ints(n);
  a.right = t.at("right_children").ints(n);
  a.feature = t.at("split_indices").ints(n);
  const std::vector<double> cond = t.at("split_conditions").numbers(n);
  const std::vector<std::int32_t> dl = t.at("default_left").ints(n);
  a.cover = t.at("sum_hessian").numbers(n);
  a.default_left.resize(n);
  a.threshold.assign(n, 0.0);
  a.value.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    a.default_left[i] = dl[i] != 0 ? 1 : 0;
    if (a.left[i] == -1) {
      a.value[i] = cond[i];  // XGBoost keeps a leaf's value in split_conditions
    } else {
      a.threshold[i] = cond[i];
    }
  }
  std::vector<std::int32_t> split_type;
  if (t.has("split_type")) split_type = t.at("split_type").ints(n);
  bool any_categorical = false;
  for (std::int32_t s : split_type) any_categorical |= s == 1;
  if (any_categorical) {
    const Reader nodes_r = t.at("categories_nodes");
    const std::vector<std::int32_t> nodes = nodes_r.ints(std::string::npos);
    const std::vector<std::int32_t> segments = t.at("categories_segments").ints(nodes.size());
    const std::vector<std::int32_t> sizes = t.at("categories_sizes").ints(nodes.size());
    const std::vector<std::int32_t> cats = t.at("categories").ints(std::string::npos);
    a.categories.assign(n, {});
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      const std::int32_t node = nodes[k];
      if (node < 0 || static_cast<std::size_t>(node) >= n || split_type[static_cast<std::size_t>(node)] != 1) {
        nodes_r.at(k).fail(fmt::format("node {} is not a categorical split of this tree", node));
      }
      const std::int64_t b = segments[k];
      const std::int64_t e = b + sizes[k];
      if (b < 0 || sizes[k] < 0 || e > static_cast<std::int64_t>(cats.size())) {
        t.at("categories_segments").at(k).fail(
            fmt::format("segment [{}, {}) outside categories (size {})", b, e, cats.size()));
      }
      auto& dst = a.categories[static_cast<std::size_t>(node)];
      dst.assign(cats.begin() + b, cats.begin() + e);
      // An empty set would make the node numeric: no category goes right, all non-NaN go left.
      if (dst.empty()) {
        t.at("categories_sizes").at(k).fail("a categorical split with no categories");
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (split_type[i] == 1 && a.left[i] != -1 && a.categories[i].empty()) {
        t.at("split_type").at(i).fail("categorical split without categories");
      }
    }
  }
  return a;
}

}  // namespace

XGBoostModel import_xgboost_json(std::string_view text, std::string_view source) {
  Json doc;
  try {
    doc = Json::parse(sanitize(text));
  } catch (const nlohmann::json::exception& e) {
    earlyhelp::detail::throw_error<FormatError>("import_xgboost_json: {}: not valid JSON ({})", source,
                                     e.what());
  }
  const Reader root(doc, "", source);
  std::string version;
  if (root.has("version")) {
    const Reader v = root.at("version");
    for (std::size_t i = 0; i < v.size(); ++i) {
      version += (i ? "." : "") + std::to_string(v.at(i).integer_or_string());
    }
  }
  const Reader learner = root.at("learner");
  const Reader param = learner.at("learner_model_param");
  const double base_score = param.at("base_score").number_or_string();
  const std::int64_t num_class = param.at("num_class").integer_or_string();
  const std::int64_t num_feature = param.at("num_feature").integer_or_string();
  std::int64_t num_target = 1;
  if (param.has("num_target")) num_target = param.at("num_target").integer_or_string();
  if (num_feature <= 0 || num_feature > std::numeric_limits<std::int32_t>::max()) {
    param.at("num_feature").fail(fmt::format("must be positive (got {})", num_feature));
  }
  if (num_class < 0 || num_class > 256) param.at("num_class").fail("must be in [0, 256]");
  if (num_target < 1 || num_target > 256) param.at("num_target").fail("must be in [1, 256]");
  const int n_groups = static_cast<int>(std::max<std::int64_t>({num_class, num_target, 1}));

  const Reader obj_name = learner.at("objective").at("name");
  Objective objective{};
  try {
    objective = parse_objective(obj_name.str());
  } catch (const InvalidArgument& e) {
    obj_name.fail(e.what());
  }

  const Reader booster = learner.at("gradient_booster");
  const std::string booster_name = booster.at("name").str();
  std::vector<double> weight_drop;
  Reader model = booster;
  if (booster_name == "gbtree") {
    model = booster.at("model");
  } else if (booster_name == "dart") {
    model = booster.at("gbtree").at("model");
    weight_drop = booster.at("weight_drop").numbers(std::string::npos);
  } else {
    booster.at("name").fail(fmt::format("booster '{}' is not supported (gbtree, dart)", booster_name));
  }
  const Reader trees_r = model.at("trees");
  const std::size_t n_trees = trees_r.size();
  const std::vector<std::int32_t> tree_info = model.at("tree_info").ints(n_trees);
  if (!weight_drop.empty() && weight_drop.size() != n_trees) {
    booster.at("weight_drop").fail(fmt::format("expected {} weights", n_trees));
  }
  std::vector<TreeArrays> trees;
  trees.reserve(n_trees);
  for (std::size_t i = 0; i < n_trees; ++i) {
    if (tree_info[i] < 0 || tree_info[i] >= n_groups) {
      model.at("tree_info").at(i).fail(
          fmt::format("group {} outside [0, {})", tree_info[i], n_groups));
    }
    trees.push_back(read_tree(trees_r.at(i), tree_info[i]));
    if (!weight_drop.empty()) {
      for (double& v : trees.back().value) v *= weight_drop[i];
    }
  }

  XGBoostModel out{
      [&]() -> TreeEnsemble {
        try {
          return TreeEnsemble(std::move(trees), static_cast<Index>(num_feature), n_groups,
                              objective, base_score, Accumulate::float32);
        } catch (const InvalidArgument& e) {
          earlyhelp::detail::throw_error<FormatError>("import_xgboost_json: {}: {}", source, e.what());
        }
      }(),
      {},
      {},
      version};
  if (learner.has("feature_names")) {
    const Reader names = learner.at("feature_names");
    for (std::size_t i = 0; i < names.size(); ++i) out.feature_names.push_back(names.at(i).str());
  }
  if (learner.has("feature_types")) {
    const Reader types = learner.at("feature_types");
    for (std::size_t i = 0; i < types.size(); ++i) out.feature_types.push_back(types.at(i).str());
  }
  return out;
}

XGBoostModel import_xgboost_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) earlyhelp::detail::throw_error<IOError>("import_xgboost_json_file: cannot open '{}'", path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) earlyhelp::detail::throw_error<IOError>("import_xgboost_json_file: cannot read '{}'", path);
  return import_xgboost_json(buf.str(), path);
}

}  // namespace earlyhelp::models
