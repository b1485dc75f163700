// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The envelope every earlyhelp file is wrapped in, checked before any deserialiser reads a
/// byte (Boost.Serialization is not safe on hostile input):
///
///     offset  size  field
///          0     8  magic (e.g. "EHMODEL\0")
///          8     4  format version, little-endian
///         12     4  flags, little-endian (bit 0: signed)
///         16     8  payload length, little-endian
///         24    32  SHA-256 of the payload
///         56    32  HMAC-SHA256 over bytes [0, 56) and the payload (zeros when unsigned)
///         88     n  payload
///
/// A truncated, corrupt, tampered, unsigned-when-a-key-is-required or wrong-key file is a
/// FormatError naming what failed, never a crash. The signature bytes must match the signed flag
/// even without a key (zeros exactly when unsigned), so every single-bit change of a file fails.

#include <cstdint>
#include <string>
#include <string_view>

namespace earlyhelp::io {

/// Size of the envelope header in bytes.
inline constexpr std::size_t kEnvelopeHeaderSize = 88;

/// Wraps `payload`.
/// @param magic   exactly 8 bytes
/// @param version format version of the payload
/// @param key     HMAC key; empty = unsigned
/// @throws InvalidArgument when magic is not 8 bytes.
std::string seal(std::string_view payload, std::string_view magic, std::uint32_t version,
                 std::string_view key = {});

/// A verified envelope: the payload (a view into the input) and its format version.
struct Opened {
  std::string_view payload;
  std::uint32_t version;
  bool signed_;  ///< true when the file carried an HMAC (verified when a key was given)
};

/// Verifies and unwraps `bytes`.
/// @param what        the kind of file, for messages ("model bundle")
/// @param min_version oldest format version this build reads
/// @param max_version newest format version this build reads
/// @param key         when non-empty, the file must be signed with this key
/// @throws FormatError on any mismatch.
Opened open(std::string_view bytes, std::string_view magic, std::string_view what,
            std::uint32_t min_version, std::uint32_t max_version, std::string_view key = {});

}  // namespace earlyhelp::io
