// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Bloom-filter encodings as the linker reads them (privacy-preserving record linkage): a cell of
/// an encoded extract holds, instead of a name, date of birth or address, the text
/// `bf1:` followed by 128 lower-case hex digits, the 512 bits of a keyed Bloom filter of the
/// value's q-grams (written by governance::BloomEncoder, `earlyhelp encode`). The linker never
/// needs the key: it compares two encodings by their Dice coefficient
/// 2|A and B| / (|A| + |B|), which tracks the q-gram similarity of the hidden values
/// (Schnell, Bachteler and Reiher 2009).
///
/// Encoded and clear cells may meet in one file: a pair with one of each is missing on that field
/// (neither can be compared with the other). The marker is per cell, so `--map`, `--data` and any
/// column order work unchanged.

#include "earlyhelp/linkage/records.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace earlyhelp::linkage {

/// Prefix of an encoded cell (format version 1).
inline constexpr std::string_view kBloomPrefix = "bf1:";
/// Bits of an encoded filter.
inline constexpr std::size_t kBloomBits = 512;
/// Characters of an encoded cell: the prefix and two hex digits per byte.
inline constexpr std::size_t kBloomCellChars = 4 + kBloomBits / 4;

/// Whether `cell` is an encoding: the prefix followed by exactly 128 hex digits. O(length).
bool is_bloom_cell(std::string_view cell) noexcept;

/// Dice coefficient of two encodings (both is_bloom_cell), in [0, 1]; 0 when both are empty
/// filters. O(kBloomBits / 64).
double bloom_dice(std::string_view a, std::string_view b) noexcept;

/// Whether an interned value looks like an encoding (length and prefix only: a normalised clear
/// value never has them). O(1).
inline bool looks_encoded(std::string_view value) noexcept {
  return value.size() == kBloomCellChars && value.substr(0, kBloomPrefix.size()) == kBloomPrefix;
}

/// The comparison level (comparison.hpp) of field `f` for two values of which at least one is an
/// encoding: null_level when only one is (a clear value cannot be compared with an encoding),
/// else the level the Dice coefficient reaches. std::nullopt when neither is an encoding (compare
/// in clear). Equal values are exact agreement before this is asked.
///
/// Levels on encodings are Dice thresholds, fixed a priori from q-gram arithmetic (a value of n
/// letters has n + 1 padded bigrams; one keying error changes two: Dice (n - 1) / (n + 1), 0.71 at
/// six letters), not fitted to any data; EM learns their m and u like any other level:
/// - first name, surname: exact, >= 0.70 (the close-typo level), >= 0.50 (similar), different
/// - date of birth (positional bigrams of yyyymmdd): exact, >= 0.70 (one digit off), >= 0.40 (the
///   year's three bigrams: same year), different
/// - address: exact, >= 0.85 (numbers agree level), >= 0.60 (house differs: a similar street),
///   different (an encoding cannot tell a house number from any other bigram)
/// - postcode: unit, >= 0.60 (sector: one unit character or one keying error), >= 0.40
///   (district), different
/// - town: exact, >= 0.70 (similar), different
std::optional<std::uint8_t> encoded_level(Field f, std::string_view a, std::string_view b) noexcept;

}  // namespace earlyhelp::linkage
