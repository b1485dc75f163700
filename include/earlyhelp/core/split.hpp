// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Splitting short lists written on a command line or in a name ("2023-04-01,2024-04-01",
/// "surname+dob"), and trimming a cell: the one place such text is cut and trimmed.

#include <string_view>
#include <vector>

namespace earlyhelp {

/// `s` without the spaces and tabs around it (a CSV cell, a key in a small text file).
constexpr std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Splits `text` at every `sep` and trims the spaces around each item. Empty items are kept (the
/// caller decides whether one is an error): "a, b," gives {"a", "b", ""}; "" gives {""}.
/// Views point into `text`. Complexity O(size of text).
///
/// Example: `split_trimmed("surname + dob", '+')` gives {"surname", "dob"}.
inline std::vector<std::string_view> split_trimmed(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(sep, pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    out.push_back(item);
    pos = end + 1;
  }
  return out;
}

}  // namespace earlyhelp
