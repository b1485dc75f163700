// SPDX-License-Identifier: Apache-2.0
// The file envelope: SHA-256 and HMAC-SHA256 from governance/hash.hpp.

#include "earlyhelp/io/envelope.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/hash.hpp"

#include <algorithm>
#include <cstring>

namespace earlyhelp::io {

namespace {

using governance::Digest;
using governance::sha256;

void put_u32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xffu);
}
void put_u64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s += static_cast<char>((v >> (8 * i)) & 0xffu);
}
std::uint64_t get_le(std::string_view s, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)])) << (8 * i);
  }
  return v;
}

// HMAC over the signed header part followed by the payload.
Digest hmac(std::string_view key, std::string_view header, std::string_view payload) {
  std::string msg;
  msg.reserve(header.size() + payload.size());
  msg.append(header).append(payload);
  return governance::hmac_sha256(key, msg);
}

Digest digest_at(std::string_view bytes, std::size_t at) {
  Digest d{};
  std::memcpy(d.data(), bytes.data() + at, d.size());
  return d;
}

constexpr std::size_t kSignedPart = 56;  // magic .. sha256

}  // namespace

std::string seal(std::string_view payload, std::string_view magic, std::uint32_t version,
                 std::string_view key) {
  EH_CHECK(magic.size() == 8, "seal: magic must be 8 bytes (got {})", magic.size());
  EH_CHECK(key.size() <= 1024, "seal: HMAC key longer than 1024 bytes");
  std::string out;
  out.reserve(kEnvelopeHeaderSize + payload.size());
  out.append(magic);
  put_u32(out, version);
  put_u32(out, key.empty() ? 0u : 1u);
  put_u64(out, payload.size());
  const Digest d = sha256(payload);
  out.append(reinterpret_cast<const char*>(d.data()), d.size());
  if (key.empty()) {
    out.append(32, '\0');
  } else {
    const Digest m = hmac(key, std::string_view(out).substr(0, kSignedPart), payload);
    out.append(reinterpret_cast<const char*>(m.data()), m.size());
  }
  out.append(payload);
  return out;
}

Opened open(std::string_view bytes, std::string_view magic, std::string_view what,
            std::uint32_t min_version, std::uint32_t max_version, std::string_view key) {
  using earlyhelp::detail::throw_error;
  if (bytes.size() < kEnvelopeHeaderSize) {
    throw_error<FormatError>("open: not a {}: {} bytes, shorter than the {}-byte header", what,
                             bytes.size(), kEnvelopeHeaderSize);
  }
  if (bytes.substr(0, 8) != magic) {
    throw_error<FormatError>("open: not a {} (wrong magic bytes)", what);
  }
  const auto version = static_cast<std::uint32_t>(get_le(bytes, 8, 4));
  const auto flags = static_cast<std::uint32_t>(get_le(bytes, 12, 4));
  const std::uint64_t length = get_le(bytes, 16, 8);
  if (version < min_version || version > max_version) {
    throw_error<FormatError>("open: {} format version {} is not supported (this build reads {}..{})",
                             what, version, min_version, max_version);
  }
  if ((flags & ~1u) != 0) throw_error<FormatError>("open: {} has unknown flags {:#x}", what, flags);
  const std::uint64_t have = bytes.size() - kEnvelopeHeaderSize;
  if (length != have) {
    throw_error<FormatError>("open: {} is {} (header says {} payload bytes, file has {})", what,
                             length > have ? "truncated" : "followed by extra bytes", length,
                             have);
  }
  const std::string_view payload = bytes.substr(kEnvelopeHeaderSize);
  const Digest d = sha256(payload);
  if (!governance::digest_equal(d, digest_at(bytes, 24))) {
    throw_error<FormatError>("open: {} is corrupt (SHA-256 of the payload does not match)", what);
  }
  const bool is_signed = (flags & 1u) != 0;
  // An unsigned file carries 32 zero bytes where the signature goes; a signed one never does
  // (an HMAC of all zeros has probability 2^-256), so either mismatch is damage, even when no
  // key is given to check the signature itself.
  const bool signature_empty = std::all_of(bytes.begin() + kSignedPart,
                                           bytes.begin() + kEnvelopeHeaderSize,
                                           [](char c) { return c == '\0'; });
  if (!is_signed && !signature_empty) {
    throw_error<FormatError>("open: {} is corrupt (unsigned, but a signature is present)", what);
  }
  if (is_signed && signature_empty) {
    throw_error<FormatError>("open: {} is corrupt (marked signed, but the signature is empty)", what);
  }
  if (!key.empty()) {
    if (!is_signed) {
      throw_error<FormatError>("open: {} is not signed, and a signing key is required", what);
    }
    const Digest m = hmac(key, bytes.substr(0, kSignedPart), payload);
    if (!governance::digest_equal(m, digest_at(bytes, kSignedPart))) {
      throw_error<FormatError>("open: {} signature does not match the key (unapproved or altered)",
                               what);
    }
  }
  return Opened{payload, version, is_signed};
}

}  // namespace earlyhelp::io
