// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Identifiers that settle a match when both records carry them: the NHS number (ten digits,
/// the last a modulus 11 check digit, NHS Data Dictionary "NHS Number") and the UPRN (Unique
/// Property Reference Number, up to 12 digits, GeoPlace). Spaces and hyphens inside an NHS number
/// ("943 476 5919", "943-476-5919") are accepted.
///
/// Example:
/// ```cpp
/// earlyhelp::linkage::nhs_number_valid("943 476 5919");   // true
/// earlyhelp::linkage::normalise_uprn("000010023456789");  // "10023456789"
/// ```

#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp::linkage {

/// The ten digits of an NHS number with separators removed, if it has a valid check digit:
/// weights 10..2 on the first nine digits, check = 11 - (sum mod 11), 11 -> 0, 10 is never
/// issued (invalid). @return std::nullopt for anything else.
inline std::optional<std::string> normalise_nhs_number(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
    else if (c != ' ' && c != '-') return std::nullopt;
  }
  if (digits.size() != 10) return std::nullopt;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[static_cast<std::size_t>(i)] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || check != digits[9] - '0') return std::nullopt;
  return digits;
}

/// True when `text` is an NHS number with a valid check digit (see normalise_nhs_number).
inline bool nhs_number_valid(std::string_view text) { return normalise_nhs_number(text).has_value(); }

/// A UPRN without leading zeros when `text` is 1 to 12 digits (after trimming spaces and up to
/// 12 leading zeros of padding) with a value of at least 1; std::nullopt otherwise.
inline std::optional<std::string> normalise_uprn(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  for (const char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
  if (text.size() > 12 || text == "0") return std::nullopt;
  return std::string(text);
}

/// True when `text` is a well-formed UPRN (see normalise_uprn).
inline bool uprn_valid(std::string_view text) { return normalise_uprn(text).has_value(); }

}  // namespace earlyhelp::linkage
