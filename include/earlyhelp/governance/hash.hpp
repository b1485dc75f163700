// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Cryptographic digests used for pseudonymisation, audit trails and file envelopes:
/// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), computed by OpenSSL's libcrypto in lib/.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace earlyhelp::governance {

/// A 32-byte SHA-256 or HMAC-SHA256 digest.
using Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `data`. Example: `to_hex(sha256("abc"))` is
/// "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".
Digest sha256(std::string_view data);

/// HMAC-SHA256 of `data` under `key` (any length; RFC 4231 test vectors hold).
Digest hmac_sha256(std::string_view key, std::string_view data);

/// Incremental SHA-256 for data that does not fit in memory (files, streams).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  /// Adds bytes. @throws Error if the digest was already finished.
  void update(std::string_view data);
  /// Finishes and returns the digest; the object cannot be updated afterwards.
  Digest finish();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so this header needs no OpenSSL include
};

/// SHA-256 of a whole file, read in blocks. @throws IOError if it cannot be read.
Digest sha256_file(const std::string& path);

/// Lower-case hex of the first `n_bytes` bytes of a digest (all 32 by default).
std::string to_hex(const Digest& digest, std::size_t n_bytes = 32);

/// Constant-time comparison of two digests (for signature checks).
bool digest_equal(const Digest& a, const Digest& b) noexcept;

}  // namespace earlyhelp::governance
