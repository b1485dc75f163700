// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helpers for file passes: a scratch directory removed at the end of the test, a file read
// whole, a CSV read as rows.

#include "earlyhelp/io/csv.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace eh_test {

/// A scratch directory (under the system temp, named `prefix` + pid + a counter) removed at the end.
struct Scratch {
  std::filesystem::path dir;
  explicit Scratch(const std::string& prefix) {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          (prefix + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  /// Writes `text` to `name` in the directory; returns its path.
  std::string file(const std::string& name, const std::string& text) const {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

/// The whole file.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The data rows of a CSV file (header excluded).
inline std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  auto r = earlyhelp::io::CsvReader::open(path);
  std::vector<std::vector<std::string>> out;
  earlyhelp::io::CsvRecord rec;
  while (r.next(rec)) out.emplace_back(rec.fields.begin(), rec.fields.end());
  return out;
}

}  // namespace eh_test
