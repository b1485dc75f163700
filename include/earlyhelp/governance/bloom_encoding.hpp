// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Privacy-preserving record linkage: names, dates of birth and addresses encoded as keyed Bloom
/// filters of their q-grams (field-level, Schnell, Bachteler and Reiher 2009), so that a data
/// owner hands over encodings and the linker compares them by Dice similarity without ever seeing
/// a name (linkage/bloom.hpp reads them). Exactly-matched identifiers (NHS number, UPN, UPRN,
/// record ids) are pseudonymised as `earlyhelp pseudonymise` does (pseudonymise_file.hpp) under
/// the same key. The CLI verb `earlyhelp encode` and Python's `earlyhelp.encode` call encode_csv.
///
/// The encoding of one value:
///  1. normalised as the linker normalises it in clear (first word of the first name, surname,
///     address, town, postcode as "SW1A 1AA", date of birth as yyyymmdd), so trivially different
///     spellings encode alike;
///  2. split into q-grams: bigrams of the value padded with a blank at each end (names, address,
///     town, postcode), or positional bigrams of yyyymmdd for a date of birth;
///  3. each q-gram sets kHashes bits of a 1024-bit filter, at positions read from
///     HMAC-SHA256(field key, q-gram), where the field key is HMAC-SHA256(key, "bloom:" + field):
///     independent keyed positions per q-gram (not double hashing, whose structure Kroll and
///     Steinmetzer's and Niedermeyer et al.'s attacks exploit) and unrelated filters per field;
///  4. XOR-folded once to 512 bits (the two halves XORed; Schnell, Borgs and Encarnação 2016),
///     which hides which q-grams set which bit against the frequency and pattern-mining attacks
///     on Bloom filters (Christen et al. 2017) while keeping Dice similarities close;
///  5. written as `bf1:` and 128 hex digits.
/// Without the key the positions cannot be recomputed, so a dictionary attack needs the key;
/// under another key every encoding is unrelated. Salting with a stable field (year of birth) is
/// NOT applied: council records often lack a date of birth or carry a wrong year, and a salt
/// makes such a record's name unrelated to the same name elsewhere (see README).

#include "earlyhelp/governance/pseudonymise.hpp"
#include "earlyhelp/governance/pseudonymise_file.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::schema {
struct Stream;
}

namespace earlyhelp::governance {

/// What a column holds: decides its normalisation, q-grams and field key.
enum class BloomField : std::uint8_t { first_name, middle_name, surname, dob, address, town, postcode };

/// Name of a field kind ("first_name", ..., the linker's canonical column name).
std::string_view bloom_field_name(BloomField f) noexcept;
/// The field kind named `name`. @throws InvalidArgument listing the names.
BloomField bloom_field_from_name(std::string_view name);

/// Encodes values as keyed Bloom filters (see the file comment). Thread-safe on a const object.
class BloomEncoder {
 public:
  /// Bits of the filter before folding.
  static constexpr std::size_t kFilterBits = 1024;
  /// Bits each q-gram sets before folding.
  static constexpr std::size_t kHashes = 15;

  explicit BloomEncoder(const PseudonymKey& key);

  /// The encoding of `value` as a field of kind `f` (`bf1:` + 128 hex digits), or "" when the
  /// value normalises to nothing (blank, punctuation, an unreadable date): missing stays missing.
  std::string encode(BloomField f, std::string_view value) const;

  /// Fingerprint of the key in use (PseudonymKey::fingerprint).
  const std::string& key_fingerprint() const noexcept { return fingerprint_; }

 private:
  std::string field_keys_[7];
  std::string fingerprint_;
};

/// One column to encode.
struct BloomColumn {
  std::string column;  ///< column name in the file's header
  BloomField field = BloomField::first_name;
  bool required = true;  ///< absent from the header: an error (true) or nothing to do (false)
};

/// Which columns of a file to encode, which to pseudonymise, and which values mean "missing".
struct EncodePlan {
  std::vector<BloomColumn> columns;
  PseudonymPlan identifiers;  ///< exactly-matched identifiers, keyed-hashed (pseudonymise_file.hpp)

  /// A schema stream: its fields whose `link_key` is first_name, middle_name, surname, dob,
  /// address, town or postcode are encoded; its identifiers pseudonymised as
  /// PseudonymPlan::for_stream plans them. Sex, dates of events and every other field stay as
  /// they are.
  static EncodePlan for_stream(const schema::Stream& stream);
  /// A file in the linker's canonical columns (`earlyhelp link --input`): the header's columns
  /// named first_name, middle_name, surname, dob, address, town, postcode are encoded and
  /// nhs_number and uprn pseudonymised (record_id stays: it names the row in the output).
  /// @throws InvalidArgument when the header has none of them.
  static EncodePlan for_canonical(const std::vector<std::string>& header);
};

/// What a pass over a file did. Every row read is written or rejected.
struct EncodeCounts {
  std::size_t rows_read = 0;
  std::size_t rows_written = 0;
  std::size_t rows_rejected = 0;  ///< ragged rows and rows with a field over the size limit
  std::size_t cells_encoded = 0;
  std::size_t cells_pseudonymised = 0;
  /// Cells with a value that normalises to nothing (an unreadable date, punctuation): written
  /// empty, as the linker would have read them (missing), and counted.
  std::size_t cells_emptied = 0;
  std::vector<std::string> encoded_columns;       ///< header columns encoded, in file order
  std::vector<std::string> pseudonymised_columns;  ///< header columns pseudonymised, in file order
};

/// Copies the CSV `input` to `output` with the plan's columns encoded or pseudonymised and every
/// other cell unchanged; without a plan (nullptr) the plan is EncodePlan::for_canonical of the
/// file's header. A missing value (empty, or one of the plan's missing-value markers) stays as it
/// is. Rows that cannot be copied go to `rejects`
/// (`row, line, reason`; no values) or, without it, are an error naming file and row. Outputs
/// appear complete or not at all.
/// @throws as pseudonymise_csv (InvalidArgument for a planned column absent from the header,
///         FormatError, IOError).
EncodeCounts encode_csv(const PseudonymKey& key, const EncodePlan* plan, const std::string& input,
                        const std::string& output, const std::string& rejects = {}, char delimiter = ',');

}  // namespace earlyhelp::governance
