// SPDX-License-Identifier: Apache-2.0
// Checked JSON configuration reading shared by the schema and the feature definitions.

#include "schema/json_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace earlyhelp::schema::detail {
namespace {

// Tracks the JSON path during parsing so that a duplicated object key (which nlohmann::json
// would silently resolve to the last value) is reported with its path, like any other error.
class DuplicateKeyCheck {
 public:
  explicit DuplicateKeyCheck(std::string_view source) : source_(source) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames_.push_back(Frame{false, 0, {}, {}}); break;
      case json::parse_event_t::array_start: frames_.push_back(Frame{true, 0, {}, {}}); break;
      case json::parse_event_t::key: {
        Frame& top = frames_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second)
          throw SchemaError(fmt::format("{}: {}: duplicate key; each key may appear once in an object",
                                        source_, path()));
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        next_element();
        break;
      case json::parse_event_t::value: next_element(); break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;      // arrays: elements seen so far
    std::string key;        // objects: the current key
    std::set<std::string> keys;
  };
  void next_element() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }
  std::string path() const {
    std::string out;
    for (const Frame& f : frames_) {
      if (f.is_array) out += fmt::format("[{}]", f.index);
      else out += (out.empty() ? "" : ".") + f.key;
    }
    return out;
  }
  std::string_view source_;
  std::vector<Frame> frames_;
};

// 1-based line and column of a 0-based byte offset.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

}  // namespace

std::string join(const std::vector<std::string_view>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return v.empty() ? "an empty list []" : "a list";
    case json::value_t::null: return "null";
    case json::value_t::discarded: return "nothing";
    default: break;
  }
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

bool is_snake_case(std::string_view s) noexcept {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

json parse_json(std::string_view text, std::string_view source) {
  try {
    return json::parse(text.begin(), text.end(), DuplicateKeyCheck(source));
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based position of the last byte read.
    const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    const auto [line, col] = line_column(text, byte);
    std::string what = e.what();
    if (const auto p = what.find(": ", what.find("parse error")); p != std::string::npos) what = what.substr(p + 2);
    throw SchemaError(fmt::format("{}: JSON syntax error at line {}, column {} (byte {}): {}", source, line,
                                  col, byte, what));
  }
}

std::string read_file(const std::string& path, std::string_view function) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("{}: cannot open {}: {}", function, path, std::strerror(errno)));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw IOError(fmt::format("{}: cannot read {}", function, path));
  return buf.str();
}

Reader::Reader(std::string_view source, const json& obj, std::string path,
               const std::vector<std::string_view>& allowed)
    : source_(source), obj_(obj), path_(std::move(path)) {
  if (!obj_.is_object()) fail_at(path_, fmt::format("expected an object; got {}", describe(obj_)));
  for (const auto& item : obj_.items()) {
    const std::string& key = item.key();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      fail_at(at(key), fmt::format("unknown key{}; expected one of {}", suggestion(key, allowed), join(allowed)));
  }
}

void Reader::fail_at(const std::string& path, const std::string& what) const {
  throw SchemaError(fmt::format("{}: {}: {}", source_, path.empty() ? "(top level)" : path, what));
}

std::string Reader::string(std::string_view key, bool required, std::string fallback) const {
  if (!has(key)) {
    if (required) fail_at(path_, fmt::format("missing required key \"{}\"", key));
    return fallback;
  }
  const json& v = value(key);
  if (!v.is_string()) fail_at(at(key), fmt::format("expected a string; got {}", describe(v)));
  return v.get<std::string>();
}

std::string Reader::name(std::string_view key) const {
  std::string s = string(key, true);
  if (!is_snake_case(s))
    fail_at(at(key), fmt::format("expected a snake_case name (a-z, 0-9 and _, starting with a "
                                 "letter); got \"{}\"", s));
  return s;
}

std::string Reader::one_of(std::string_view key, const std::vector<std::string_view>& allowed,
                           bool allow_empty) const {
  std::string s = string(key, false);
  if (s.empty() && allow_empty) return s;
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
    fail_at(at(key), fmt::format("expected one of {}{}; got \"{}\"{}", join(allowed), allow_empty ? " or \"\"" : "",
                                 s, suggestion(s, allowed)));
  return s;
}

bool Reader::boolean(std::string_view key, bool fallback) const {
  if (!has(key)) return fallback;
  const json& v = value(key);
  if (!v.is_boolean()) fail_at(at(key), fmt::format("expected true or false; got {}", describe(v)));
  return v.get<bool>();
}

std::vector<std::string> Reader::strings(std::string_view key, bool allow_empty_items) const {
  const json& v = value(key);
  if (!v.is_array()) fail_at(at(key), fmt::format("expected a list of strings; got {}", describe(v)));
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", at(key), i);
    if (!v[i].is_string()) fail_at(p, fmt::format("expected a string; got {}", describe(v[i])));
    std::string s = v[i].get<std::string>();
    if (s.empty() && !allow_empty_items) fail_at(p, "expected a non-empty string; got \"\"");
    if (!seen.insert(s).second) fail_at(p, fmt::format("expected unique values; got \"{}\" twice", s));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace earlyhelp::schema::detail
