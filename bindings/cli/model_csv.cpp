// SPDX-License-Identifier: Apache-2.0
#include "model_csv.hpp"

#include "earlyhelp/core/error.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>

namespace earlyhelp::cli {

namespace {

// Splits one line on commas, honouring double quotes ("" inside quotes is a quote).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

NumericTable read_numeric_csv(const std::string& path, const std::vector<std::string>& columns,
                              const std::vector<std::string>& keep) {
  using earlyhelp::detail::throw_error;
  std::ifstream in(path);
  if (!in) throw_error<IOError>("score: cannot open '{}'", path);
  std::string line;
  if (!std::getline(in, line)) throw_error<FormatError>("score: {}: empty file", path);
  NumericTable t;
  t.header = split(line);
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < t.header.size(); ++i) at[t.header[i]] = i;
  auto index_of = [&](const std::string& name) {
    const auto it = at.find(name);
    if (it == at.end()) throw_error<FormatError>("score: {}: no column '{}' in the header", path, name);
    return it->second;
  };
  std::vector<std::size_t> num_idx, keep_idx;
  for (const auto& c : columns) num_idx.push_back(index_of(c));
  for (const auto& c : keep) keep_idx.push_back(index_of(c));
  t.text.resize(keep.size());
  std::vector<double> values;
  std::size_t row = 0;
  while (std::getline(in, line)) {
    ++row;
    if (line.empty() || line == "\r") continue;
    const auto cells = split(line);
    if (cells.size() != t.header.size()) {
      throw_error<FormatError>("score: {}: row {} has {} cells, header has {}", path, row,
                               cells.size(), t.header.size());
    }
    for (std::size_t j = 0; j < num_idx.size(); ++j) {
      const std::string& s = cells[num_idx[j]];
      double v = std::numeric_limits<double>::quiet_NaN();
      if (!s.empty() && s != "NA" && s != "NaN" && s != "nan") {
        char* end = nullptr;
        v = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0') {
          throw_error<FormatError>("score: {}: row {}, column '{}': not a number", path, row,
                                   columns[j]);
        }
      }
      values.push_back(v);
    }
    for (std::size_t j = 0; j < keep_idx.size(); ++j) t.text[j].push_back(cells[keep_idx[j]]);
  }
  const auto n = to_index(values.size() / std::max<std::size_t>(1, columns.size()));
  t.values = Eigen::Map<const RowMatrixXd>(values.data(), n, to_index(columns.size()));
  return t;
}

}  // namespace earlyhelp::cli
