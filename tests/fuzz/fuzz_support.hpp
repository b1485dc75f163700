// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// What every fuzz target checks. A parser or loader may turn an input down only with an
/// earlyhelp::Error (FormatError, InvalidArgument, SchemaError, ...). Anything else is a finding
/// that libFuzzer reports with the input: a crash or sanitizer report, a leak, an allocation over
/// -rss_limit_mb, a run over -timeout, another exception type escaping (std::out_of_range,
/// nlohmann::json::exception, std::bad_alloc), or a broken property (check()).

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>
#include <string_view>
#include <utility>

namespace earlyhelp::fuzz {

/// Runs `f`, accepting an earlyhelp::Error as a clean refusal; any other exception escapes.
template <class F>
void expect_only_errors(F&& f) {
  try {
    f();
  } catch (const earlyhelp::Error&) {
  }
}

/// Aborts (a finding) when a property that must hold for every input does not.
inline void check(bool ok, const char* property) {
  if (!ok) {
    std::fprintf(stderr, "earlyhelp fuzz: property failed: %s\n", property);
    std::abort();
  }
}

/// The bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

/// A file name of this process for a target's scratch files (`/tmp/earlyhelp_fuzz_<stem>_<pid><suffix>`),
/// removed when the run ends (a crashing run leaves its files for the report).
inline std::string scratch_path(const char* stem, const char* suffix) {
  static std::set<std::string> paths;
  static const bool registered = [] {
    std::atexit([] {
      for (const std::string& p : paths) std::remove(p.c_str());
    });
    return true;
  }();
  (void)registered;
  std::string path = std::string("/tmp/earlyhelp_fuzz_") + stem + "_" + std::to_string(::getpid()) + suffix;
  paths.insert(path);
  return path;
}

/// Writes the input to a file of this process (`/tmp/earlyhelp_fuzz_<stem>_<pid><suffix>`, replaced
/// on each call) for the readers that take a path. @return its path
inline std::string as_file(const char* stem, const char* suffix, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_path(stem, suffix);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

/// The text before the first newline and the text after it (the whole text twice when there is
/// none): two values for the targets that compare a pair.
inline std::pair<std::string_view, std::string_view> split_pair(std::string_view text) noexcept {
  const std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, text};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

/// True when a and b are the same number, or both NaN.
inline bool same(double a, double b) noexcept { return a == b || (std::isnan(a) && std::isnan(b)); }

/// Rows to score a model with `n_features` columns: ordinary values, zeros, negatives, NaN and
/// category-like integers, so every branch kind (left, right, missing, categorical) is taken.
inline RowMatrixXd probe_rows(Index n_features) {
  constexpr double values[] = {0.0, 1.0, -1.0, 0.5, 3.0, 1e9, -2.5, 17.0};
  RowMatrixXd x(4, n_features);
  for (Index j = 0; j < n_features; ++j) {
    x(0, j) = values[j % 8];
    x(1, j) = values[(j + 3) % 8];
    x(2, j) = std::nan("");
    x(3, j) = static_cast<double>(j % 5);
  }
  return x;
}

}  // namespace earlyhelp::fuzz
