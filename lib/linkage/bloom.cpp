// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/bloom.hpp"

#include "earlyhelp/linkage/comparison.hpp"

#include <bitset>

namespace earlyhelp::linkage {

namespace {

// Value of a lower-case hex digit, or -1.
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The 64 bits of hex digits [at, at + 16) of a valid cell's payload.
std::uint64_t word(std::string_view payload, std::size_t at) noexcept {
  std::uint64_t w = 0;
  for (std::size_t i = at; i < at + 16; ++i) w = (w << 4) | static_cast<std::uint64_t>(hex_value(payload[i]));
  return w;
}

}  // namespace

bool is_bloom_cell(std::string_view cell) noexcept {
  if (cell.size() != kBloomCellChars || cell.substr(0, kBloomPrefix.size()) != kBloomPrefix) return false;
  for (std::size_t i = kBloomPrefix.size(); i < cell.size(); ++i)
    if (hex_value(cell[i]) < 0) return false;
  return true;
}

double bloom_dice(std::string_view a, std::string_view b) noexcept {
  a.remove_prefix(kBloomPrefix.size());
  b.remove_prefix(kBloomPrefix.size());
  std::size_t both = 0, na = 0, nb = 0;
  for (std::size_t at = 0; at + 16 <= a.size() && at + 16 <= b.size(); at += 16) {
    const std::uint64_t x = word(a, at), y = word(b, at);
    both += std::bitset<64>(x & y).count();
    na += std::bitset<64>(x).count();
    nb += std::bitset<64>(y).count();
  }
  return na + nb == 0 ? 0.0 : 2.0 * static_cast<double>(both) / static_cast<double>(na + nb);
}

std::optional<std::uint8_t> encoded_level(Field f, std::string_view a, std::string_view b) noexcept {
  const bool ea = looks_encoded(a), eb = looks_encoded(b);
  if (!ea && !eb) return std::nullopt;
  if (ea != eb) return null_level;
  if (a == b) return exact_level;
  const double d = bloom_dice(a, b);
  switch (f) {
    case Field::first_name:
      return d >= 0.70 ? levels::FirstName::close_typo : d >= 0.50 ? levels::FirstName::similar : levels::FirstName::different;
    case Field::surname:
      return d >= 0.70 ? levels::Surname::close_typo : d >= 0.50 ? levels::Surname::similar : levels::Surname::different;
    case Field::dob:
      return d >= 0.70 ? levels::Dob::one_digit_off : d >= 0.40 ? levels::Dob::same_year : levels::Dob::different;
    case Field::address:
      return d >= 0.85 ? levels::Address::numbers_agree : d >= 0.60 ? levels::Address::house_differs : levels::Address::different;
    case Field::postcode:
      return d >= 0.60 ? levels::Postcode::sector : d >= 0.40 ? levels::Postcode::district_or_one_off : levels::Postcode::different;
    case Field::town: return d >= 0.70 ? levels::Town::similar : levels::Town::different;
    default: return null_level;  // sex, property and person identifiers are never Bloom-encoded
  }
}

}  // namespace earlyhelp::linkage
