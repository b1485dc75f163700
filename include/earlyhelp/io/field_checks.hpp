// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Format checks and normalisation of the identifier and value forms council extracts carry:
/// UK postcodes, NHS numbers, UPRNs, Unique Pupil Numbers (UPN), booleans and times of day.
/// All are pure, allocation-free (except the returned canonical strings) and `noexcept` where
/// they cannot fail.
///
/// References:
/// - Postcodes: the pattern of the UK Government Data Standards Catalogue / BS 7666 (outward code
///   A9, A99, AA9, AA99, A9A, AA9A; inward code 9AA; the special case GIR 0AA), with its letter
///   restrictions (no Q, V, X first; no I, J, Z second; third A9A letter in ABCDEFGHJKPSTUW;
///   fourth AA9A letter in ABEHMNPRVWXY; inward letters never C, I, K, M, O, V).
/// - NHS number: NHS Data Dictionary, "NHS Number" (10 digits, modulus 11 check digit).
/// - UPN: DfE "Unique Pupil Numbers (UPN): guidance for schools and local authorities" (a check
///   letter, then 12 characters; weights 2..13, modulus 23 over ABCDEFGHJKLMNPQRTUVWXYZ).
/// - UPRN: OS AddressBase (a positive integer of up to 12 digits).

#include "earlyhelp/core/date.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earlyhelp::io {

namespace detail {
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
constexpr char to_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr bool in_set(char c, std::string_view set) noexcept { return set.find(c) != std::string_view::npos; }

/// Checks an upper-case, space-free postcode of 5 to 7 characters against the official pattern.
constexpr bool postcode_compact_valid(std::string_view p) noexcept {
  if (p == "GIR0AA") return true;
  if (p.size() < 5 || p.size() > 7) return false;
  const std::string_view in = p.substr(p.size() - 3);
  const std::string_view out = p.substr(0, p.size() - 3);
  if (!is_digit(in[0]) || !is_alpha(in[1]) || !is_alpha(in[2])) return false;
  if (in_set(in[1], "CIKMOV") || in_set(in[2], "CIKMOV")) return false;
  // Outward code: first letter never Q, V, X.
  if (!is_alpha(out[0]) || in_set(out[0], "QVX")) return false;
  const auto second_ok = [](char c) { return is_alpha(c) && !in_set(c, "IJZ"); };
  switch (out.size()) {
    case 2:  // A9
      return is_digit(out[1]);
    case 3:  // A99, AA9, A9A
      if (is_digit(out[1]) && is_digit(out[2])) return true;
      if (second_ok(out[1]) && is_digit(out[2])) return true;
      return is_digit(out[1]) && in_set(out[2], "ABCDEFGHJKPSTUW");
    case 4:  // AA99, AA9A
      if (!second_ok(out[1]) || !is_digit(out[2])) return false;
      return is_digit(out[3]) || in_set(out[3], "ABEHMNPRVWXY");
    default:
      return false;
  }
}
}  // namespace detail

/// The canonical form "AB1 2CD" of a UK postcode (upper case, one space before the inward code),
/// or std::nullopt when it does not follow the official pattern. Case and spaces are ignored.
/// Example: `canonical_postcode("sw1a2aa") == "SW1A 2AA"`. O(length).
inline std::optional<std::string> canonical_postcode(std::string_view text) {
  char buf[8];
  std::size_t n = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    if (n == 7) return std::nullopt;
    buf[n++] = detail::to_upper(c);
  }
  const std::string_view compact(buf, n);
  if (!detail::postcode_compact_valid(compact)) return std::nullopt;
  std::string out;
  out.reserve(n + 1);
  out.append(compact.substr(0, n - 3)).push_back(' ');
  out.append(compact.substr(n - 3));
  return out;
}

/// True when `text` is a valid UK postcode (case- and space-insensitive).
inline bool is_valid_postcode(std::string_view text) { return canonical_postcode(text).has_value(); }

/// True when `text` is a valid NHS number: 10 digits (spaces and hyphens between groups are
/// allowed, as printed "943 476 5919"), whose last digit is the modulus-11 check digit of the
/// first nine (weights 10..2; a remainder giving check 10 is never issued).
/// Example: `is_valid_nhs_number("9434765919")`.
constexpr bool is_valid_nhs_number(std::string_view text) noexcept {
  int digits[10] = {};
  int n = 0;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    if (!detail::is_digit(c) || n == 10) return false;
    digits[n++] = c - '0';
  }
  if (n != 10) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += digits[i] * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9];
}

/// True when `text` is a UPRN: 1 to 12 digits, not all zero.
constexpr bool is_valid_uprn(std::string_view text) noexcept {
  if (text.empty() || text.size() > 12) return false;
  bool nonzero = false;
  for (char c : text) {
    if (!detail::is_digit(c)) return false;
    nonzero = nonzero || c != '0';
  }
  return nonzero;
}

/// The DfE check letter of the 12 characters after it in a UPN (digits, the last may be a
/// letter in a temporary UPN), or '\0' if those characters are malformed.
constexpr char upn_check_letter(std::string_view last12) noexcept {
  constexpr std::string_view letters = "ABCDEFGHJKLMNPQRTUVWXYZ";
  if (last12.size() != 12) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    const char c = last12[i];
    int v = 0;
    if (detail::is_digit(c)) {
      v = c - '0';
    } else if (i == 11 && letters.find(c) != std::string_view::npos) {
      v = static_cast<int>(letters.find(c));
    } else {
      return '\0';
    }
    sum += v * static_cast<int>(i + 2);
  }
  return letters[static_cast<std::size_t>(sum % 23)];
}

/// True when `text` is a valid Unique Pupil Number: 13 upper-case characters, a check letter then
/// 11 digits and a digit (permanent UPN) or a letter (temporary UPN), with a correct check letter.
/// Example: `is_valid_upn("Z213282605052")`.
constexpr bool is_valid_upn(std::string_view text) noexcept {
  if (text.size() != 13) return false;
  const char check = upn_check_letter(text.substr(1));
  return check != '\0' && check == text[0];
}

/// Parses a boolean: true/false, t/f, yes/no, y/n, 1/0 (case-insensitive).
constexpr std::optional<bool> parse_bool(std::string_view text) noexcept {
  if (text.size() > 5) return std::nullopt;
  char buf[5] = {};
  for (std::size_t i = 0; i < text.size(); ++i) buf[i] = detail::to_lower(text[i]);
  const std::string_view s(buf, text.size());
  if (s == "true" || s == "t" || s == "yes" || s == "y" || s == "1") return true;
  if (s == "false" || s == "f" || s == "no" || s == "n" || s == "0") return false;
  return std::nullopt;
}

/// Parses a time of day `hh:mm` or `hh:mm:ss` with an optional fraction `.fff` and an optional
/// `Z`; returns seconds since midnight, or std::nullopt.
constexpr std::optional<int> parse_time_of_day(std::string_view s) noexcept {
  if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.remove_suffix(1);
  if (s.size() < 5 || s[2] != ':') return std::nullopt;
  int h = 0, m = 0, sec = 0;
  if (!earlyhelp::detail::parse_digits(s, 0, 2, h) || !earlyhelp::detail::parse_digits(s, 3, 2, m))
    return std::nullopt;
  if (s.size() > 5) {
    if (s.size() < 8 || s[5] != ':' || !earlyhelp::detail::parse_digits(s, 6, 2, sec)) return std::nullopt;
    if (s.size() > 8) {
      if (s[8] != '.' || s.size() == 9) return std::nullopt;
      for (std::size_t i = 9; i < s.size(); ++i)
        if (!detail::is_digit(s[i])) return std::nullopt;
    }
  }
  if (h > 23 || m > 59 || sec > 59) return std::nullopt;
  return h * 3600 + m * 60 + sec;
}

}  // namespace earlyhelp::io
