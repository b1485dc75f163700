// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Normalisation of names before comparison: case and diacritic folding, punctuation and
/// whitespace, titles and suffixes, a forename alias table (William/Bill/Will, Margaret/Peggy,
/// ...) and multi-part and hyphenated surnames. All functions take and return UTF-8.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// normalise_name("  Dr. Zoë  O'Brien-Smith Jnr ");   // "zoe obrien-smith"
/// forenames_equivalent("Bill", "William");            // true
/// surname_variants("van der Berg");                   // {"vanderberg", "berg"}
/// ```

#include "earlyhelp/linkage/detail/nicknames_data.hpp"
#include "earlyhelp/linkage/unicode.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

namespace detail {
/// Letters NFKD leaves whole but that fold to Latin letters for matching.
inline bool append_special_fold(std::u32string& out, char32_t c) {
  switch (c) {
    case 0xDF: out += U"ss"; return true;               // sharp s
    case 0xE6: case 0xC6: out += U"ae"; return true;    // ash
    case 0x153: case 0x152: out += U"oe"; return true;  // oe ligature
    case 0xF8: case 0xD8: out += U"o"; return true;     // o with stroke
    case 0x111: case 0x110: out += U"d"; return true;   // d with stroke
    case 0xF0: case 0xD0: out += U"d"; return true;     // eth
    case 0x142: case 0x141: out += U"l"; return true;   // l with stroke
    case 0xFE: case 0xDE: out += U"th"; return true;    // thorn
    case 0x131: out += U"i"; return true;               // dotless i
    default: return false;
  }
}

inline bool is_apostrophe(char32_t c) noexcept { return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x60; }
inline bool is_hyphen(char32_t c) noexcept { return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2013; }
inline bool is_name_char(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  // Treat general punctuation and symbols in the common blocks as separators, anything else
  // (letters of any script) as part of a word.
  return !(c <= 0xBF || (c >= 0x2000 && c <= 0x206F) || c == 0xD7 || c == 0xF7);
}

inline std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

inline std::string join_words(const std::vector<std::string>& w, std::string_view sep = " ") {
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) out += sep;
    out += w[i];
  }
  return out;
}

inline bool in_list(std::string_view w, std::initializer_list<std::string_view> list) noexcept {
  return std::find(list.begin(), list.end(), w) != list.end();
}

inline bool is_title(std::string_view w) noexcept {
  return in_list(w, {"mr", "mrs", "ms", "miss", "mx", "master", "dr", "doctor", "prof", "professor",
                     "rev", "revd", "reverend", "fr", "father", "sr", "sister", "sir", "dame", "lady",
                     "lord", "hon", "capt", "captain", "col", "major", "maj", "lt", "sgt", "cllr",
                     "councillor", "rabbi", "imam", "pastor"});
}
inline bool is_suffix(std::string_view w) noexcept {
  return in_list(w, {"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv", "esq", "phd",
                     "md", "obe", "mbe", "cbe", "kbe", "qc", "kc", "jp", "mp", "bsc", "ba", "ma", "msc"});
}
inline bool is_surname_particle(std::string_view w) noexcept {
  return in_list(w, {"van", "von", "der", "den", "de", "del", "della", "la", "le", "du", "da", "di", "dos",
                     "das", "ter", "ten", "al", "el", "bin", "ibn", "ben", "st", "saint", "mac", "ap", "ab"});
}

/// Forename alias index: (alias, group) pairs sorted by alias, built once from the table.
struct NicknameIndex {
  std::vector<std::pair<std::string_view, std::size_t>> entries;
  std::vector<std::string_view> canonical;  // first name of each group
  NicknameIndex() {
    std::size_t pos = 0, group = 0;
    const std::string_view t = nickname_groups;
    while (pos < t.size()) {
      std::size_t eol = t.find('\n', pos);
      if (eol == std::string_view::npos) eol = t.size();
      const std::string_view line = t.substr(pos, eol - pos);
      std::size_t i = 0;
      bool first = true;
      while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        const std::size_t b = i;
        while (i < line.size() && line[i] != ' ') ++i;
        if (i > b) {
          const std::string_view w = line.substr(b, i - b);
          if (first) canonical.push_back(w), first = false;
          entries.emplace_back(w, group);
        }
      }
      if (!first) ++group;
      pos = eol + 1;
    }
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  }
  std::vector<std::size_t> groups_of(std::string_view name) const {
    std::vector<std::size_t> out;
    auto it = std::lower_bound(entries.begin(), entries.end(), name,
                               [](const auto& e, std::string_view n) { return e.first < n; });
    for (; it != entries.end() && it->first == name; ++it) out.push_back(it->second);
    return out;
  }
};

inline const NicknameIndex& nickname_index() {
  static const NicknameIndex index;  // immutable after thread-safe initialisation
  return index;
}
}  // namespace detail

/// Lower-cases (full Unicode mapping). Example: `fold_case("ÉMILE")` is "émile".
inline std::string fold_case(std::string_view s) { return encode_utf8(to_lower(decode_utf8(s))); }

/// Removes diacritics: NFKD, drop combining marks, then fold the letters NFKD keeps whole
/// (ß -> ss, æ -> ae, ø -> o, ł -> l, þ -> th, ...). Case is kept except for those folds.
/// Example: `fold_diacritics("Zoë Łukasz")` is "Zoe lukasz".
inline std::string fold_diacritics(std::string_view s) {
  std::u32string out;
  for (const char32_t c : nfkd(decode_utf8(s))) {
    if (is_combining(c)) continue;
    if (!detail::append_special_fold(out, c)) out.push_back(c);
  }
  return encode_utf8(out);
}

/// Options of normalise_name.
struct NameOptions {
  bool keep_hyphens = true;     ///< keep "smith-jones" (else it becomes "smith jones")
  bool strip_titles = true;     ///< drop titles such as Mr, Mrs, Dr, Rev
  bool strip_suffixes = true;   ///< drop suffixes such as Jr, Snr, III, OBE
};

/// Normalises a name for comparison: diacritics and case folded, apostrophes removed
/// (O'Brien -> obrien), other punctuation turned into spaces, whitespace collapsed and trimmed,
/// titles and suffixes dropped (a name that is nothing but a title is kept as it is).
/// O(n).
inline std::string normalise_name(std::string_view name, const NameOptions& options = {}) {
  const std::u32string folded = to_lower(decode_utf8(fold_diacritics(name)));
  std::string cleaned;
  bool pending_space = false;
  for (const char32_t c : folded) {
    if (detail::is_apostrophe(c)) continue;
    const bool hyphen = detail::is_hyphen(c);
    // A hyphen joins only when it touches words on both sides ("Smith-Jones", not "Smith - Jones").
    if (hyphen && options.keep_hyphens && !pending_space) {
      if (!cleaned.empty() && cleaned.back() != '-') cleaned.push_back('-');
      continue;
    }
    if (!detail::is_name_char(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !cleaned.empty()) {
      if (cleaned.back() == '-') cleaned.back() = ' ';
      else cleaned.push_back(' ');
    }
    pending_space = false;
    append_utf8(cleaned, c);
  }
  // Hyphens left dangling at word edges ("smith- jones") are not joins.
  std::vector<std::string> words = detail::split_words(cleaned);
  for (auto& w : words) {
    while (!w.empty() && w.back() == '-') w.pop_back();
    while (!w.empty() && w.front() == '-') w.erase(0, 1);
  }
  words.erase(std::remove(words.begin(), words.end(), std::string()), words.end());
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool leading = kept.empty();
    if (options.strip_titles && leading && detail::is_title(words[i]) && i + 1 < words.size()) continue;
    if (options.strip_suffixes && !leading && i + 1 == words.size() && detail::is_suffix(words[i])) continue;
    kept.push_back(words[i]);
  }
  return detail::join_words(kept);
}

/// Keys under which a (multi-part or hyphenated) surname should be found, most specific first:
/// the whole name with spaces and hyphens removed, then each hyphen- or space-separated part
/// that is not a particle (van, de, la, ...). Input is normalised with normalise_name first.
/// Example: `surname_variants("Smith-Jones")` is {"smithjones", "smith", "jones"}.
inline std::vector<std::string> surname_variants(std::string_view surname) {
  const std::string n = normalise_name(surname);
  std::vector<std::string> out;
  std::string joined;
  std::vector<std::string> parts;
  std::string cur;
  for (const char c : n) {
    if (c == ' ' || c == '-') {
      if (!cur.empty()) parts.push_back(cur), cur.clear();
    } else {
      joined.push_back(c);
      cur.push_back(c);
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  if (!joined.empty()) out.push_back(joined);
  if (parts.size() > 1) {
    for (const auto& p : parts) {
      if (detail::is_surname_particle(p)) continue;
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    }
  }
  return out;
}

/// Formal forms of a forename from the built-in alias table ("bill" -> {"william"}; "al" ->
/// {"albert", "alexander", "alfred", ...}); the normalised name itself when it is not in the
/// table. Sorted, distinct.
inline std::vector<std::string> canonical_forenames(std::string_view forename) {
  const std::string n = normalise_name(forename);
  const auto& index = detail::nickname_index();
  std::vector<std::string> out;
  for (const std::size_t g : index.groups_of(n)) out.emplace_back(index.canonical[g]);
  if (out.empty()) out.push_back(n);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// Every name sharing an alias group with `forename` (itself included), sorted and distinct.
inline std::vector<std::string> forename_aliases(std::string_view forename) {
  const std::string n = normalise_name(forename);
  const auto& index = detail::nickname_index();
  std::vector<std::string> out{n};
  const std::vector<std::size_t> groups = index.groups_of(n);
  for (const auto& e : index.entries)
    if (std::find(groups.begin(), groups.end(), e.second) != groups.end()) out.emplace_back(e.first);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// True when two forenames are equal after normalisation or share an alias group
/// (William/Bill/Will, Margaret/Peggy). O(log T).
inline bool forenames_equivalent(std::string_view a, std::string_view b) {
  const std::string na = normalise_name(a), nb = normalise_name(b);
  if (na == nb) return !na.empty();
  const auto& index = detail::nickname_index();
  const std::vector<std::size_t> ga = index.groups_of(na), gb = index.groups_of(nb);
  for (const std::size_t g : ga)
    if (std::find(gb.begin(), gb.end(), g) != gb.end()) return true;
  return false;
}

}  // namespace earlyhelp::linkage
