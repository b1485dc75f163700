// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Free-text addresses: normalisation (case, diacritics, punctuation, common abbreviations such
/// as Rd -> road, Ave -> avenue, Apt -> flat), extraction of the house and flat numbers, and a
/// comparison in which differing flat numbers count as strong disagreement: two flats in one
/// building share a street address but are different households.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// normalise_address("Flat 3, 12 High St.");          // "flat 3 12 high street"
/// extract_address_numbers("Flat 3, 12 High St.");    // {flat "3", house "12"}
/// compare_addresses("Flat 3, 12 High St", "Flat 4, 12 High Street").level;  // flat_mismatch
/// ```

#include "earlyhelp/linkage/normalise.hpp"
#include "earlyhelp/linkage/similarity.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::linkage {

namespace detail {
/// Lower-cased, diacritic-folded words; punctuation other than '/' and '-' between
/// alphanumerics separates words.
inline std::vector<std::string> address_tokens(std::string_view text) {
  const std::string folded = fold_case(fold_diacritics(text));
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && (cur.back() == '-' || cur.back() == '/')) cur.pop_back();
    while (!cur.empty() && (cur.front() == '-' || cur.front() == '/')) cur.erase(0, 1);
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (const char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80 || c == '-' || c == '/') {
      cur.push_back(c);
    } else if (c == '\'') {
      continue;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

inline std::string_view expand_address_word(std::string_view w) noexcept {
  struct Pair {
    std::string_view from, to;
  };
  static constexpr Pair table[] = {
      {"rd", "road"},       {"st", "street"},     {"str", "street"},   {"ave", "avenue"},
      {"av", "avenue"},     {"ln", "lane"},       {"dr", "drive"},     {"cl", "close"},
      {"cres", "crescent"}, {"cresc", "crescent"}, {"ct", "court"},    {"crt", "court"},
      {"gdns", "gardens"},  {"gdn", "garden"},    {"gr", "grove"},     {"gro", "grove"},
      {"pl", "place"},      {"sq", "square"},     {"ter", "terrace"},  {"terr", "terrace"},
      {"tce", "terrace"},   {"pk", "park"},       {"pde", "parade"},   {"hse", "house"},
      {"ho", "house"},      {"apt", "flat"},      {"apartment", "flat"}, {"flt", "flat"},
      {"bldg", "building"}, {"blds", "buildings"}, {"est", "estate"},  {"wy", "way"},
      {"hts", "heights"},   {"mt", "mount"},      {"rise", "rise"},    {"wk", "walk"},
      {"cott", "cottage"},  {"cotts", "cottages"}, {"fm", "farm"},     {"grn", "green"},
      {"mdw", "meadow"},    {"mdws", "meadows"},  {"nth", "north"},    {"sth", "south"},
      {"upr", "upper"},     {"lwr", "lower"},     {"gt", "great"},     {"lt", "little"},
  };
  for (const Pair& p : table)
    if (p.from == w) return p.to;
  return w;
}

inline bool is_flat_word(std::string_view w) noexcept {
  return w == "flat" || w == "apartment" || w == "apt" || w == "flt" || w == "unit" || w == "room" ||
         w == "suite" || w == "maisonette";
}

/// A house or flat number: digits with an optional letter suffix ("12", "12a"), a range
/// ("12-14"), or a single letter (flat "b").
inline bool is_number_like(std::string_view w, bool allow_letter) noexcept {
  if (w.empty()) return false;
  if (allow_letter && w.size() == 1 && w[0] >= 'a' && w[0] <= 'z') return true;
  if (w[0] < '0' || w[0] > '9') return false;
  std::size_t i = 0;
  while (i < w.size() && w[i] >= '0' && w[i] <= '9') ++i;
  if (i == w.size()) return true;
  if (i + 1 == w.size() && w[i] >= 'a' && w[i] <= 'z') return true;
  if (w[i] == '-') {
    std::size_t j = i + 1;
    while (j < w.size() && w[j] >= '0' && w[j] <= '9') ++j;
    return j == w.size() && j > i + 1;
  }
  return false;
}
}  // namespace detail

/// Normalises an address: lower case, diacritics folded, apostrophes removed, other punctuation
/// (except '/' and '-' inside tokens such as "3/12" and "12-14") turned into single spaces, and
/// common abbreviations expanded word by word. O(n).
inline std::string normalise_address(std::string_view text) {
  std::vector<std::string> words = detail::address_tokens(text);
  for (auto& w : words) w = std::string(detail::expand_address_word(w));
  return detail::join_words(words);
}

/// House and flat numbers found in an address (lower case, e.g. "12a"); absent when not found.
struct AddressNumbers {
  std::optional<std::string> flat;
  std::optional<std::string> house;
};

/// Extracts the flat number (after Flat, Apartment, Apt, Unit, Room, Suite or Maisonette, or the
/// first part of "3/12") and the house number (the first other number-like word, e.g. "12",
/// "12a", "12-14"). Without a flat so marked, a number, a building's name and another number
/// ("34 Queen Point 40 Queen Gardens") are the flat in the building and the house on the street,
/// as "Flat 34, Queen Point, 40 Queen Gardens" writes them. O(n).
inline AddressNumbers extract_address_numbers(std::string_view text) {
  const std::vector<std::string> words = detail::address_tokens(text);
  AddressNumbers r;
  std::size_t house_at = 0;            // the word that gave the house number
  std::optional<std::string> street;   // a later number after a word that is none
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (detail::is_flat_word(w) && i + 1 < words.size() && !r.flat &&
        detail::is_number_like(words[i + 1], true)) {
      r.flat = words[i + 1];
      ++i;
      continue;
    }
    const std::size_t slash = w.find('/');
    if (slash != std::string::npos) {
      const std::string a = w.substr(0, slash), b = w.substr(slash + 1);
      if (detail::is_number_like(a, true) && detail::is_number_like(b, false)) {
        if (!r.flat) r.flat = a;
        if (!r.house) r.house = b;
        continue;
      }
    }
    if (!detail::is_number_like(w, false)) continue;
    if (!r.house) {
      r.house = w;
      house_at = i;
    } else if (!street && i > house_at + 1) {
      street = w;
    }
  }
  if (!r.flat && street) {
    r.flat = r.house;
    r.house = street;
  }
  return r;
}

/// Agreement of two addresses, best first.
enum class AddressLevel : std::int8_t {
  exact = 0,        ///< identical after normalisation
  numbers_agree,    ///< house numbers equal and flat numbers equal (or both absent)
  numbers_unknown,  ///< a house number missing on either side, no conflicting flat number
  house_mismatch,   ///< different house numbers
  flat_mismatch,    ///< both have flat numbers and they differ: strong disagreement
  missing,          ///< either address empty
};

/// Name of a level ("exact", "numbers_agree", ...).
constexpr std::string_view address_level_name(AddressLevel l) noexcept {
  switch (l) {
    case AddressLevel::exact: return "exact";
    case AddressLevel::numbers_agree: return "numbers_agree";
    case AddressLevel::numbers_unknown: return "numbers_unknown";
    case AddressLevel::house_mismatch: return "house_mismatch";
    case AddressLevel::flat_mismatch: return "flat_mismatch";
    case AddressLevel::missing: return "missing";
  }
  return "missing";
}

/// Result of compare_addresses.
struct AddressComparison {
  AddressLevel level = AddressLevel::missing;
  double similarity = 0.0;  ///< token_set_similarity of the normalised addresses
};

/// Compares two addresses by their numbers (flat first) and by token-set similarity of their
/// normalised forms.
inline AddressComparison compare_addresses(std::string_view a, std::string_view b) {
  const std::string na = normalise_address(a), nb = normalise_address(b);
  AddressComparison r;
  if (na.empty() || nb.empty()) return r;
  r.similarity = token_set_similarity(na, nb);
  if (na == nb) {
    r.level = AddressLevel::exact;
    return r;
  }
  const AddressNumbers x = extract_address_numbers(a), y = extract_address_numbers(b);
  if (x.flat && y.flat && *x.flat != *y.flat) r.level = AddressLevel::flat_mismatch;
  else if (x.house && y.house && *x.house != *y.house) r.level = AddressLevel::house_mismatch;
  else if (!x.house || !y.house) r.level = AddressLevel::numbers_unknown;
  else if (x.flat.has_value() != y.flat.has_value()) r.level = AddressLevel::numbers_unknown;
  else r.level = AddressLevel::numbers_agree;
  return r;
}

}  // namespace earlyhelp::linkage
