// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/governance/hash.hpp"

#include "earlyhelp/core/error.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <vector>

namespace earlyhelp::governance {

Digest sha256(std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size())
    throw Error("sha256: OpenSSL EVP_Digest failed");
  return out;
}

Digest hmac_sha256(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  // HMAC() takes an int key length; keys longer than that are not meaningful.
  EH_CHECK(key.size() <= 1u << 20, "hmac_sha256: key of {} bytes is too long", key.size());
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len) ==
          nullptr ||
      len != out.size())
    throw Error("hmac_sha256: OpenSSL HMAC failed");
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    throw Error("Sha256: OpenSSL digest initialisation failed");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::update(std::string_view data) {
  if (ctx_ == nullptr) throw StateError("Sha256::update: digest already finished");
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) != 1)
    throw Error("Sha256::update: OpenSSL EVP_DigestUpdate failed");
}

Digest Sha256::finish() {
  if (ctx_ == nullptr) throw StateError("Sha256::finish: digest already finished");
  Digest out{};
  unsigned int len = 0;
  const int ok = EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len);
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
  ctx_ = nullptr;
  if (ok != 1 || len != out.size()) throw Error("Sha256::finish: OpenSSL EVP_DigestFinal_ex failed");
  return out;
}

Digest sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("sha256_file: cannot open '{}'", path));
  Sha256 h;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = in.gcount();
    if (got > 0) h.update(std::string_view(buf.data(), static_cast<std::size_t>(got)));
  }
  if (in.bad()) throw IOError(fmt::format("sha256_file: error while reading '{}'", path));
  return h.finish();
}

std::string to_hex(const Digest& digest, std::size_t n_bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  n_bytes = std::min(n_bytes, digest.size());
  std::string out(2 * n_bytes, '0');
  for (std::size_t i = 0; i < n_bytes; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 0xF];
  }
  return out;
}

bool digest_equal(const Digest& a, const Digest& b) noexcept {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace earlyhelp::governance
