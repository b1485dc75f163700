// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to lib/: reading checked JSON configuration (schemas, feature definitions) with errors
// that name the source, the JSON path and what was expected, e.g.
//   council.json: streams[3].fields[2].type: expected one of integer, float, ...; got "string"
// Configuration files hold no personal data, so quoting the offending value is safe here.

#include "earlyhelp/core/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::schema::detail {

using json = nlohmann::ordered_json;

/// Items joined with `sep`.
std::string join(const std::vector<std::string_view>& items, std::string_view sep = ", ");

/// Levenshtein distance, for "did you mean" hints on misspelt keys and names (short strings).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// " (did you mean "x"?)" when one candidate is within two edits, else "".
template <class Names>
std::string suggestion(std::string_view got, const Names& candidates) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(got, c);
    if (d < best_d) {
      best_d = d;
      best = std::string(c);
    }
  }
  return best.empty() ? std::string() : fmt::format(" (did you mean \"{}\"?)", best);
}

/// How a JSON value reads in "got ..." (long values are cut).
std::string describe(const json& v);

/// True for a-z, 0-9 and _, starting with a letter.
bool is_snake_case(std::string_view s) noexcept;

/// Parses JSON text, reporting a syntax error by line and column and a duplicated object key
/// (which nlohmann::json would silently resolve to the last value) by its JSON path.
/// @throws SchemaError "<source>: ..." on either.
json parse_json(std::string_view text, std::string_view source);

/// The whole of a file. @throws IOError "<function>: cannot open <path>: <reason>".
std::string read_file(const std::string& path, std::string_view function);

/// Reads one JSON object, checking key names and value types, and reporting paths.
class Reader {
 public:
  /// @throws SchemaError when `obj` is not an object or holds a key not in `allowed`.
  Reader(std::string_view source, const json& obj, std::string path, const std::vector<std::string_view>& allowed);

  [[noreturn]] void fail_at(const std::string& path, const std::string& what) const;
  std::string at(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }
  const std::string& path() const noexcept { return path_; }
  std::string_view source() const noexcept { return source_; }
  bool has(std::string_view key) const { return obj_.contains(std::string(key)); }
  const json& value(std::string_view key) const { return obj_.at(std::string(key)); }

  std::string string(std::string_view key, bool required, std::string fallback = {}) const;
  std::string name(std::string_view key) const;
  std::string one_of(std::string_view key, const std::vector<std::string_view>& allowed, bool allow_empty) const;
  bool boolean(std::string_view key, bool fallback) const;
  std::vector<std::string> strings(std::string_view key, bool allow_empty_items) const;
  template <class E>
  E enumeration(std::string_view key, E fallback, std::optional<E> (*parse)(std::string_view) noexcept,
                const std::vector<std::string_view>& names) const {
    if (!has(key)) return fallback;
    const std::string s = string(key, true);
    if (auto e = parse(s)) return *e;
    fail_at(at(key), fmt::format("expected one of {}; got \"{}\"{}", join(names), s, suggestion(s, names)));
  }

 private:
  std::string_view source_;
  const json& obj_;
  std::string path_;
};

}  // namespace earlyhelp::schema::detail
