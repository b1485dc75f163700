// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Keyed-hash pseudonymisation of identifiers (HMAC-SHA256, RFC 2104), so that records can be
/// matched on exact identifiers (NHS number, UPRN, a normalised name) without the raw values
/// leaving the data owner. Without the key a pseudonym cannot be reversed or recomputed by
/// guessing, unlike a plain hash of a low-entropy value such as a date of birth.
///
/// The same value under the same key and domain always gives the same pseudonym; different
/// domains (e.g. "nhs_number" vs "uprn") give unrelated pseudonyms, so a value cannot be
/// correlated across identifier types.

#include <cstddef>
#include <string>
#include <string_view>

namespace earlyhelp::governance {

/// Secret key material for pseudonymisation. Never printed, logged or serialised by the library.
class PseudonymKey {
 public:
  /// Minimum key length in bytes (256 bits).
  static constexpr std::size_t min_bytes = 32;

  /// Wraps raw key bytes. @throws InvalidArgument if shorter than min_bytes.
  explicit PseudonymKey(std::string bytes);
  /// Parses a key written as hexadecimal (whitespace ignored). @throws InvalidArgument.
  static PseudonymKey from_hex(std::string_view hex);
  /// Reads a key file: hexadecimal text (64+ hex digits) or raw bytes (32+ bytes); "-" reads the
  /// key from standard input (e.g. piped from a secrets store).
  /// @throws IOError if unreadable, InvalidArgument if too short.
  static PseudonymKey from_file(const std::string& path);
  /// A new random key from the operating system's CSPRNG (OpenSSL RAND_bytes).
  static PseudonymKey generate();

  /// The key as hexadecimal text (for writing a new key file; handle as a secret).
  std::string to_hex() const;
  /// A public 16-hex-digit fingerprint identifying the key in audit records (not reversible).
  std::string fingerprint() const;
  /// The raw bytes (for the hash functions).
  std::string_view bytes() const noexcept { return bytes_; }

 private:
  std::string bytes_;
};

/// Turns identifier values into pseudonyms with HMAC-SHA256 under a secret key.
class Pseudonymiser {
 public:
  /// @param key          the secret key
  /// @param digest_bytes bytes of the HMAC kept in the pseudonym (8..32, default 16 = 128 bits,
  ///                     ample against collisions for any council's population)
  /// @throws InvalidArgument if digest_bytes is out of range.
  explicit Pseudonymiser(PseudonymKey key, std::size_t digest_bytes = 16);

  /// The pseudonym of `value` in `domain`, as lower-case hex (2 * digest_bytes characters).
  /// An empty value stays empty: a missing identifier is still missing after pseudonymisation.
  /// The caller normalises the value first (see normalise_for_pseudonym).
  std::string pseudonymise(std::string_view domain, std::string_view value) const;

  /// Fingerprint of the key in use (see PseudonymKey::fingerprint).
  std::string key_fingerprint() const { return key_.fingerprint(); }
  std::size_t digest_bytes() const noexcept { return digest_bytes_; }

 private:
  PseudonymKey key_;
  std::size_t digest_bytes_;
};

/// Canonical form of an identifier before hashing, so trivially different spellings of the same
/// value get the same pseudonym: ASCII letters upper-cased, and
///  - "nhs_number": as the linker reads it: a valid NHS number as its ten digits, anything else
///    as its letters and digits (linkage::normalise_identifier);
///  - "uprn": digits only, without leading zeros;
///  - "postcode": letters and digits only ("sw1a 1aa" -> "SW1A1AA");
///  - "upn": letters and digits only;
///  - "dob": ISO yyyy-mm-dd when the text parses as a date (UK dd/mm/yyyy day-first);
///  - anything else: leading/trailing blanks trimmed and inner runs of blanks folded to one.
std::string normalise_for_pseudonym(std::string_view domain, std::string_view value);

}  // namespace earlyhelp::governance
