// SPDX-License-Identifier: Apache-2.0
#pragma once

// A deliberately naive RFC 4180 reader: the whole input in memory, one character at a time, no
// blocks, no limits. Same conventions as earlyhelp::io::CsvReader (BOM skipped, LF/CRLF/CR line
// ends, empty lines skipped, a quote inside an unquoted field kept literally). Used only as the
// reference of the differential test in tests/cpp/test_csv.cpp.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace earlyhelp_reference {

struct CsvRow {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line where the row starts
};

inline std::vector<CsvRow> read_csv_naive(std::string s, char delim = ',') {
  if (s.size() >= 3 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.erase(0, 3);
  std::vector<CsvRow> rows;
  std::size_t i = 0, line = 1;
  const std::size_t n = s.size();
  auto is_eol = [&](std::size_t k) { return k < n && (s[k] == '\n' || s[k] == '\r'); };
  auto skip_eol = [&](std::size_t& k) {
    if (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n') ++k;
    ++k;
    ++line;
  };
  while (i < n) {
    if (is_eol(i)) {  // empty line
      skip_eol(i);
      continue;
    }
    CsvRow row;
    row.line = line;
    for (;;) {
      std::string field;
      if (i < n && s[i] == '"') {
        ++i;
        for (;;) {
          if (i >= n) throw std::runtime_error("unterminated quote");
          if (s[i] == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (s[i] == '\n') ++line;
          field += s[i++];
        }
        // Text after the closing quote is kept literally.
        while (i < n && s[i] != delim && !is_eol(i)) field += s[i++];
      } else {
        while (i < n && s[i] != delim && !is_eol(i)) field += s[i++];
      }
      row.fields.push_back(field);
      if (i < n && s[i] == delim) {
        ++i;
        continue;
      }
      if (i < n) skip_eol(i);
      break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace earlyhelp_reference
