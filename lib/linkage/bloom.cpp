// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/bloom.hpp"

#include "earlyhelp/linkage/comparison.hpp"

#include <algorithm>
#include <array>

namespace earlyhelp::linkage {

namespace {

// Value of each byte as a lower-case hex digit, or -1.
constexpr std::array<std::int8_t, 256> kHexValue = [] {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  return t;
}();

int hex_value(char c) noexcept { return kHexValue[static_cast<unsigned char>(c)]; }

}  // namespace

bool is_bloom_cell(std::string_view cell) noexcept {
  if (cell.size() != kBloomCellChars || cell.substr(0, kBloomPrefix.size()) != kBloomPrefix) return false;
  for (std::size_t i = kBloomPrefix.size(); i < cell.size(); ++i)
    if (hex_value(cell[i]) < 0) return false;
  return true;
}

double bloom_dice(std::string_view a, std::string_view b) noexcept {
  // One pass over the hex digits, a nibble at a time: bits set in both, in a and in b.
  constexpr std::uint8_t kBits[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
  a.remove_prefix(kBloomPrefix.size());
  b.remove_prefix(kBloomPrefix.size());
  const std::size_t n = std::min(a.size(), b.size());
  unsigned both = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned>(hex_value(a[i])) & 15u, y = static_cast<unsigned>(hex_value(b[i])) & 15u;
    both += kBits[x & y];
    na += kBits[x];
    nb += kBits[y];
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
