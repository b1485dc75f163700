// SPDX-License-Identifier: Apache-2.0
// XGBoost JSON -> TreeEnsemble. Every read goes through `Reader`, which knows the JSON path it is
// at, so a bad file is reported as "<source>: learner/.../trees/3/left_children: <what>".
//
// The document is read as a stream of SAX events (nlohmann::json::sax_parse) and never held
// whole: each tree's JSON is built alone, turned into TreeArrays and dropped, and everything
// else (a few parameters) is kept as a small document. Memory is charged as it is taken, so a
// model over the budget is refused with a FormatError before it is built. (A whole-document
// parse of a 476 MB model needed several GB, and when an allocation failed nlohmann's destructor
// allocated again while unwinding, which ends the process.)

#include "earlyhelp/models/import_xgboost.hpp"

#include "earlyhelp/core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace earlyhelp::models {

namespace {

using Json = nlohmann::json;

// XGBoost writes NaN, Infinity and -Infinity as bare literals (not JSON). Outside strings they
// become null (read back as NaN) and the strings "inf" / "-inf". Filters the bytes of `read`
// (which fills a buffer and returns how many bytes it wrote, 0 at the end) block by block.
class SanitizedStream {
 public:
  using ReadFn = std::function<std::size_t(char*, std::size_t)>;
  explicit SanitizedStream(ReadFn read) : read_(std::move(read)) {}

  /// The next byte, or -1 at the end.
  int get() {
    while (pos_ == out_.size()) {
      if (!refill()) return -1;
    }
    return static_cast<unsigned char>(out_[pos_++]);
  }

 private:
  static constexpr std::size_t kBlock = 1 << 16;
  static constexpr std::size_t kLongest = 9;  // "-Infinity"

  bool refill() {
    out_.clear();
    pos_ = 0;
    if (eof_ && raw_.empty()) return false;
    if (!eof_) {
      const std::size_t have = raw_.size();
      raw_.resize(have + kBlock);
      const std::size_t got = read_(raw_.data() + have, kBlock);
      raw_.resize(have + got);
      eof_ = got == 0;
    }
    std::size_t i = 0;
    const std::string_view text = raw_;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (in_string_) {
        out_ += c;
        if (escaped_) {
          escaped_ = false;
        } else if (c == '\\') {
          escaped_ = true;
        } else if (c == '"') {
          in_string_ = false;
        }
        continue;
      }
      if ((c == 'N' || c == 'I' || c == '-') && !eof_ && text.size() - i < kLongest) break;  // a literal may continue
      if (c == '"') {
        in_string_ = true;
      } else if (text.compare(i, 3, "NaN") == 0) {
        out_ += "null";
        i += 2;
        continue;
      } else if (text.compare(i, 9, "-Infinity") == 0) {
        out_ += "\"-inf\"";
        i += 8;
        continue;
      } else if (text.compare(i, 8, "Infinity") == 0) {
        out_ += "\"inf\"";
        i += 7;
        continue;
      }
      out_ += c;
    }
    raw_.erase(0, i);
    return true;
  }

  ReadFn read_;
  std::string raw_;  // bytes read, not yet filtered (at most a few carried between blocks)
  std::string out_;  // filtered bytes
  std::size_t pos_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool eof_ = false;
};

// An input iterator over a SanitizedStream, as nlohmann's iterator input adapter needs.
class SanitizedIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  SanitizedIterator() = default;  // the end
  explicit SanitizedIterator(SanitizedStream& s) : s_(&s), c_(s.get()) {}
  char operator*() const noexcept { return static_cast<char>(c_); }
  SanitizedIterator& operator++() {
    c_ = s_->get();
    return *this;
  }
  bool operator==(const SanitizedIterator& o) const noexcept { return (c_ < 0) == (o.c_ < 0); }
  bool operator!=(const SanitizedIterator& o) const noexcept { return !(*this == o); }

 private:
  SanitizedStream* s_ = nullptr;
  int c_ = -1;
};

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

// Bytes a tree takes once read (TreeArrays) and once built into a TreeEnsemble (flat node,
// value, float value, cover, subtree mean and threshold per node), for the memory budget.
std::size_t tree_bytes(const TreeArrays& a) {
  const std::size_t n = a.left.size();
  std::size_t bytes = 2 * sizeof(TreeArrays) + 8 * 16 + n * (3 * sizeof(std::int32_t) + 3 * sizeof(double) + 1);
  for (const auto& c : a.categories) bytes += sizeof(c) + c.size() * sizeof(std::int32_t);
  bytes += n * (sizeof(TreeEnsemble::Node) + 4 * sizeof(double) + sizeof(float));
  return bytes;
}

// Destroys a document without allocating. nlohmann's destructor moves a container's children
// to a heap-allocated stack first, so destroying a non-empty container allocates; after a
// std::bad_alloc that second allocation fails inside a noexcept destructor and ends the process.
// Emptying the containers bottom-up leaves it nothing to move.
void teardown(Json& j) noexcept {
  if (j.is_array()) {
    auto& items = j.get_ref<Json::array_t&>();
    for (Json& item : items) teardown(item);
    items.clear();
  } else if (j.is_object()) {
    auto& members = j.get_ref<Json::object_t&>();
    for (auto& member : members) teardown(member.second);
    members.clear();
  }
}

// Builds a small nlohmann document from SAX events.
class DomBuilder {
 public:
  DomBuilder() = default;
  DomBuilder(const DomBuilder&) = delete;
  DomBuilder& operator=(const DomBuilder&) = delete;
  ~DomBuilder() { teardown(root_); }

  void value(Json v) { place(std::move(v)); }
  void open(Json container) { stack_.push_back(place(std::move(container))); }
  void close() { stack_.pop_back(); }
  void key(std::string k) { key_ = std::move(k); }
  Json& root() noexcept { return root_; }
  void reset() noexcept {
    teardown(root_);
    root_ = Json();
    stack_.clear();
  }

 private:
  Json* place(Json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    Json& slot = top[key_];
    slot = std::move(v);
    return &slot;
  }
  Json root_;
  std::vector<Json*> stack_;  // open containers; a child is closed before its parent grows
  std::string key_;
};

// SAX handler: the trees of learner/gradient_booster/model/trees (gbtree) and
// learner/gradient_booster/gbtree/model/trees (dart) become TreeArrays one at a time; everything
// else goes to a small document.
class ImportHandler {
 public:
  ImportHandler(std::string_view source, std::size_t budget) : source_(source), budget_(budget) {}

  bool null() { return scalar(Json()); }
  bool boolean(bool v) { return scalar(Json(v)); }
  bool number_integer(std::int64_t v) { return scalar(Json(v)); }
  bool number_unsigned(std::uint64_t v) { return scalar(Json(v)); }
  bool number_float(double v, const std::string&) { return scalar(Json(v)); }
  bool string(std::string& v) {
    const std::size_t bytes = v.size();
    return scalar(Json(std::move(v)), bytes);
  }
  bool binary(Json::binary_t&) { return scalar(Json()); }  // not produced by the JSON parser
  bool key(std::string& k) {
    add(k.size() + kNodeBytes);
    path_.back().key = k;
    target().key(std::move(k));
    return true;
  }
  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& e) {
    earlyhelp::detail::throw_error<FormatError>("import_xgboost_json: {}: not valid JSON ({})", source_, e.what());
  }

  Json& document() noexcept { return doc_.root(); }
  /// The trees read under `path` ("learner/gradient_booster/model/trees" or the dart one).
  std::vector<TreeArrays>& trees(std::string_view path) { return path == kDart ? dart_trees_ : gbtree_trees_; }

 private:
  static constexpr std::string_view kGbtree = "learner/gradient_booster/model/trees";
  static constexpr std::string_view kDart = "learner/gradient_booster/gbtree/model/trees";
  static constexpr std::size_t kValueBytes = 2 * sizeof(Json);  // a value and its array's spare room
  static constexpr std::size_t kNodeBytes = 64;                  // an object member's map node
  static constexpr std::size_t kMaxNesting = 64;                 // XGBoost models nest about 8 deep

  struct Frame {
    bool array = false;
    std::string key;        // objects: the current member
    std::size_t items = 0;  // arrays: items opened or read so far
  };

  void charge(std::size_t bytes) {
    used_ += bytes;
    if (used_ > budget_) {
      earlyhelp::detail::throw_error<FormatError>(
          "import_xgboost_json: {}: the model needs more than the memory budget of {} bytes (reached at {}); "
          "raise the budget if the machine has the memory",
          source_, budget_, where());
    }
  }

  static std::string label(const Frame& f) { return f.array ? std::to_string(f.items == 0 ? 0 : f.items - 1) : f.key; }

  // The path of the first `n` open containers' current items, as "a/b/3".
  std::string path_of(std::size_t n) const {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? "/" : "") + label(path_[i]);
    return out;
  }

  // Where the parser is, for messages.
  std::string where() const {
    const std::string p = path_of(path_.size());
    return p.empty() ? "/" : p;
  }

  DomBuilder& target() { return tree_level_ > 0 ? tree_ : doc_; }

  // Called before a value (scalar or container) is added to the current container.
  void begin_item() {
    if (path_.empty()) return;
    Frame& top = path_.back();
    if (top.array) ++top.items;
    // An item of a trees array starts a tree of its own.
    if (tree_level_ == 0 && top.array && trees_path_ != nullptr) {
      tree_level_ = 1;
      tree_charge_ = 0;
    }
  }

  bool scalar(Json v, std::size_t extra_bytes = 0) {
    begin_item();
    add(kValueBytes + extra_bytes);
    target().value(std::move(v));
    if (tree_level_ == 1) finish_tree();
    return true;
  }

  bool open(Json container) {
    if (path_.size() >= kMaxNesting) {
      earlyhelp::detail::throw_error<FormatError>("import_xgboost_json: {}: {}: nested more than {} levels deep",
                                                  source_, where(), kMaxNesting);
    }
    begin_item();
    add(kValueBytes + kNodeBytes);
    const bool array = container.is_array();
    if (tree_level_ > 0) ++tree_level_;
    target().open(std::move(container));
    path_.push_back(Frame{array, {}, 0});
    if (tree_level_ == 0 && array) {
      const std::string here = path_of(path_.size() - 1);  // the path of this array
      if (here == kGbtree) trees_path_ = &gbtree_trees_;
      if (here == kDart) trees_path_ = &dart_trees_;
      if (trees_path_ != nullptr) trees_name_ = here;
    }
    return true;
  }

  bool close() {
    path_.pop_back();
    target().close();
    if (tree_level_ > 0) {
      if (--tree_level_ == 1) finish_tree();
    } else if (trees_path_ != nullptr && path_.size() + 1 == trees_depth()) {
      trees_path_ = nullptr;  // the trees array itself ended
    }
    return true;
  }

  std::size_t trees_depth() const { return trees_name_ == kDart ? 6 : 5; }

  void add(std::size_t bytes) {
    charge(bytes);
    if (tree_level_ > 0) tree_charge_ += bytes;
  }

  // A tree's JSON is complete: read it, charge what it keeps and drop its document.
  void finish_tree() {
    const std::size_t index = path_.back().items - 1;
    const Reader r(tree_.root(), fmt::format("{}/{}", trees_name_, index), source_);
    TreeArrays a = read_tree(r, 0);
    tree_.reset();
    tree_level_ = 0;
    used_ -= tree_charge_;
    tree_charge_ = 0;
    charge(tree_bytes(a));
    trees_path_->push_back(std::move(a));
  }

  std::string_view source_;
  std::size_t budget_;
  std::size_t used_ = 0;
  std::vector<Frame> path_;
  DomBuilder doc_;
  DomBuilder tree_;
  int tree_level_ = 0;  // 0: outside a tree; 1: at a tree item; n: n - 1 containers open in it
  std::size_t tree_charge_ = 0;
  std::vector<TreeArrays>* trees_path_ = nullptr;  // the trees array being read, if any
  std::string trees_name_;
  std::vector<TreeArrays> gbtree_trees_;
  std::vector<TreeArrays> dart_trees_;
};

XGBoostModel import_stream(SanitizedStream& in, std::string_view source, std::size_t memory_budget) {
  ImportHandler handler(source, memory_budget);
  nlohmann::json::sax_parse(SanitizedIterator(in), SanitizedIterator(), &handler);
  const Json& doc = handler.document();
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
  std::string_view trees_path;
  if (booster_name == "gbtree") {
    model = booster.at("model");
    trees_path = "learner/gradient_booster/model/trees";
  } else if (booster_name == "dart") {
    model = booster.at("gbtree").at("model");
    trees_path = "learner/gradient_booster/gbtree/model/trees";
    weight_drop = booster.at("weight_drop").numbers(std::string::npos);
  } else {
    booster.at("name").fail(fmt::format("booster '{}' is not supported (gbtree, dart)", booster_name));
  }
  const Reader trees_r = model.at("trees");
  (void)trees_r.size();  // an array (its items were read as they streamed past)
  std::vector<TreeArrays> trees = std::move(handler.trees(trees_path));
  const std::size_t n_trees = trees.size();
  const std::vector<std::int32_t> tree_info = model.at("tree_info").ints(n_trees);
  if (!weight_drop.empty() && weight_drop.size() != n_trees) {
    booster.at("weight_drop").fail(fmt::format("expected {} weights", n_trees));
  }
  for (std::size_t i = 0; i < n_trees; ++i) {
    if (tree_info[i] < 0 || tree_info[i] >= n_groups) {
      model.at("tree_info").at(i).fail(
          fmt::format("group {} outside [0, {})", tree_info[i], n_groups));
    }
    trees[i].group = tree_info[i];
    if (!weight_drop.empty()) {
      for (double& v : trees[i].value) v *= weight_drop[i];
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

}  // namespace

XGBoostModel import_xgboost_json(std::string_view text, std::string_view source, std::size_t memory_budget) {
  std::size_t at = 0;
  SanitizedStream in([&](char* buf, std::size_t n) {
    const std::size_t k = std::min(n, text.size() - at);
    std::copy_n(text.data() + at, k, buf);
    at += k;
    return k;
  });
  return import_stream(in, source, memory_budget);
}

XGBoostModel import_xgboost_json_file(const std::string& path, std::size_t memory_budget) {
  // "-" streams standard input as a file is streamed (not ours to close).
  const bool standard_input = path == "-";
  const std::string name = standard_input ? std::string("<standard input>") : path;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(standard_input ? stdin : std::fopen(path.c_str(), "rb"),
                                                    standard_input ? +[](std::FILE*) { return 0; } : &std::fclose);
  if (!f) earlyhelp::detail::throw_error<IOError>("import_xgboost_json_file: cannot open '{}'", path);
  SanitizedStream in([&](char* buf, std::size_t n) {
    const std::size_t k = std::fread(buf, 1, n, f.get());
    if (k == 0 && std::ferror(f.get()))
      earlyhelp::detail::throw_error<IOError>("import_xgboost_json_file: cannot read '{}'", name);
    return k;
  });
  return import_stream(in, name, memory_budget);
}

}  // namespace earlyhelp::models
