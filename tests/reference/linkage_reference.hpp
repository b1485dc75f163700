// SPDX-License-Identifier: Apache-2.0
#pragma once

// Naive reference implementations of the string metrics (textbook dynamic programmes and
// Jaro's flag procedure on code points), written for clarity, not speed; plus a small CSV reader
// for the jellyfish vectors and seeded random string generators for differential tests.

#include "earlyhelp/linkage/unicode.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace earlyhelp::reference {

inline std::size_t levenshtein(const std::u32string& a, const std::u32string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
  return d[a.size()][b.size()];
}

inline std::size_t osa(const std::u32string& a, const std::u32string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// Unrestricted Damerau-Levenshtein by the Lowrance-Wagner recurrence with a full table.
inline std::size_t damerau(const std::u32string& a, const std::u32string& b) {
  const std::size_t n = a.size(), m = b.size(), inf = n + m;
  std::vector<std::vector<std::size_t>> d(n + 2, std::vector<std::size_t>(m + 2));
  d[0][0] = inf;
  for (std::size_t i = 0; i <= n; ++i) d[i + 1][0] = inf, d[i + 1][1] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j + 1] = inf, d[1][j + 1] = j;
  std::map<char32_t, std::size_t> da;
  for (std::size_t i = 1; i <= n; ++i) {
    std::size_t db = 0;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t i1 = da.count(b[j - 1]) ? da[b[j - 1]] : 0, j1 = db;
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      if (cost == 0) db = j;
      d[i + 1][j + 1] = std::min({d[i][j] + cost, d[i + 1][j] + 1, d[i][j + 1] + 1,
                                  d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1)});
    }
    da[a[i - 1]] = i;
  }
  return d[n + 1][m + 1];
}

/// Jaro-Winkler as Winkler describes it (and jellyfish computes it); prefix_weight 0 gives Jaro.
inline double jaro_winkler(const std::u32string& a, const std::u32string& b, double prefix_weight,
                           bool long_tolerance) {
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t range = std::max(a.size(), b.size()) / 2 >= 1 ? std::max(a.size(), b.size()) / 2 - 1 : 0;
  std::vector<bool> fa(a.size()), fb(b.size());
  std::size_t m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i >= range ? i - range : 0, hi = std::min(i + range, b.size() - 1);
    for (std::size_t j = lo; j <= hi && j < b.size(); ++j)
      if (!fb[j] && a[i] == b[j]) {
        fa[i] = fb[j] = true;
        ++m;
        break;
      }
  }
  if (m == 0) return 0.0;
  std::vector<char32_t> ma, mb;
  for (std::size_t i = 0; i < a.size(); ++i) if (fa[i]) ma.push_back(a[i]);
  for (std::size_t j = 0; j < b.size(); ++j) if (fb[j]) mb.push_back(b[j]);
  std::size_t t = 0;
  for (std::size_t k = 0; k < m; ++k) t += ma[k] != mb[k];
  t /= 2;
  const double md = static_cast<double>(m);
  double w = (md / static_cast<double>(a.size()) + md / static_cast<double>(b.size()) + (md - static_cast<double>(t)) / md) / 3.0;
  if (w > 0.7 && (prefix_weight > 0 || long_tolerance)) {
    const std::size_t min_len = std::min(a.size(), b.size());
    std::size_t p = 0;
    while (p < std::min<std::size_t>(4, min_len) && a[p] == b[p]) ++p;
    w += static_cast<double>(p) * prefix_weight * (1.0 - w);
    if (long_tolerance && min_len > 4 && m > p + 1 && 2 * m >= min_len + p)
      w += (1.0 - w) * static_cast<double>(m - p - 1) / static_cast<double>(a.size() + b.size() - 2 * p + 2);
  }
  return w;
}

/// Random strings of 0..max_len code points drawn from `alphabet` (UTF-8 out).
inline std::vector<std::string> random_strings(std::uint32_t seed, const std::u32string& alphabet, std::size_t n,
                                               std::size_t max_len) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> len(0, max_len), pick(0, alphabet.size() - 1);
  std::vector<std::string> out;
  for (std::size_t k = 0; k < n; ++k) {
    std::u32string s;
    const std::size_t l = len(rng);
    for (std::size_t i = 0; i < l; ++i) s.push_back(alphabet[pick(rng)]);
    out.push_back(linkage::encode_utf8(s));
  }
  return out;
}

/// Path of a shared data file, or nullopt when EARLYHELP_SHARED_DATA or the file is absent.
inline std::optional<std::string> shared_file(const std::string& rel) {
  const char* root = std::getenv("EARLYHELP_SHARED_DATA");
  if (root == nullptr) return std::nullopt;
  const std::string path = std::string(root) + "/" + rel;
  std::ifstream f(path);
  if (!f) return std::nullopt;
  return path;
}

/// Reads a CSV file (RFC 4180 quoting, no header, fields not trimmed).
inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    any = true;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field.push_back('"'), ++i;
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field), field.clear();
    } else if (c == '\n') {
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
      any = false;
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  if (any) row.push_back(field), rows.push_back(row);
  return rows;
}

}  // namespace earlyhelp::reference
