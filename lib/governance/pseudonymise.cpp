// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/governance/pseudonymise.hpp"

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <fstream>
#include <iterator>

namespace earlyhelp::governance {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char ascii_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

bool is_alnum(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

PseudonymKey::PseudonymKey(std::string bytes) : bytes_(std::move(bytes)) {
  EH_CHECK(bytes_.size() >= min_bytes, "PseudonymKey: key has {} bytes, at least {} are required",
           bytes_.size(), min_bytes);
}

PseudonymKey PseudonymKey::from_hex(std::string_view hex) {
  std::string bytes;
  int high = -1;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    if (is_blank(c)) continue;
    const int v = hex_value(c);
    EH_CHECK(v >= 0, "PseudonymKey::from_hex: character {} is not a hexadecimal digit", i + 1);
    if (high < 0) {
      high = v;
    } else {
      bytes.push_back(static_cast<char>((high << 4) | v));
      high = -1;
    }
  }
  EH_CHECK(high < 0, "PseudonymKey::from_hex: odd number of hexadecimal digits");
  return PseudonymKey(std::move(bytes));
}

PseudonymKey PseudonymKey::from_file(const std::string& path) {
  std::string content;
  if (path == "-") {
    // A key piped from a secrets store never touches the disk.
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) content.append(buffer, n);
    if (std::ferror(stdin)) throw IOError("PseudonymKey::from_file: cannot read the key from standard input");
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError(fmt::format("PseudonymKey::from_file: cannot open key file '{}'", path));
    content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  bool all_hex = !content.empty();
  std::size_t digits = 0;
  for (char c : content) {
    if (is_blank(c)) continue;
    if (hex_value(c) < 0) {
      all_hex = false;
      break;
    }
    ++digits;
  }
  try {
    if (all_hex && digits >= 2 * min_bytes) return from_hex(content);
    return PseudonymKey(std::move(content));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(fmt::format("key file '{}': {}", path, e.what()));
  }
}

PseudonymKey PseudonymKey::generate() {
  std::string bytes(min_bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) != 1)
    throw Error("PseudonymKey::generate: the system random generator failed");
  return PseudonymKey(std::move(bytes));
}

std::string PseudonymKey::to_hex() const {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes_.size());
  for (const char ch : bytes_) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0xF]);
  }
  return out;
}

std::string PseudonymKey::fingerprint() const {
  // An HMAC with a public label: identifies the key without revealing anything usable.
  return governance::to_hex(hmac_sha256(bytes_, "earlyhelp key fingerprint v1"), 8);
}

Pseudonymiser::Pseudonymiser(PseudonymKey key, std::size_t digest_bytes)
    : key_(std::move(key)), digest_bytes_(digest_bytes) {
  EH_CHECK(digest_bytes >= 8 && digest_bytes <= 32,
           "Pseudonymiser: digest_bytes is {}, expected 8 to 32", digest_bytes);
}

std::string Pseudonymiser::pseudonymise(std::string_view domain, std::string_view value) const {
  if (value.empty()) return {};
  // Domain separation: length-prefix the domain so ("ab","c") and ("a","bc") never collide.
  std::string message = fmt::format("{}:{}:", domain.size(), domain);
  message.append(value.data(), value.size());
  return governance::to_hex(hmac_sha256(key_.bytes(), message), digest_bytes_);
}

std::string normalise_for_pseudonym(std::string_view domain, std::string_view value) {
  std::string out;
  out.reserve(value.size());
  // The linker's own normalisation: a valid NHS number as its ten digits, anything else as its
  // letters and digits, so values the linker matches exactly get one pseudonym and values it
  // keeps apart ("ABC1", "XYZ1") do not share one.
  if (domain == "nhs_number") return linkage::normalise_identifier(value);
  if (domain == "uprn") {
    for (char c : value)
      if (c >= '0' && c <= '9') out.push_back(c);
    const auto first = out.find_first_not_of('0');
    return first == std::string::npos ? (out.empty() ? "" : "0") : out.substr(first);
  }
  if (domain == "postcode" || domain == "upn") {
    for (char c : value)
      if (is_alnum(c)) out.push_back(ascii_upper(c));
    return out;
  }
  // Trim and fold blanks.
  bool pending_blank = false;
  for (char c : value) {
    if (is_blank(c)) {
      pending_blank = !out.empty();
      continue;
    }
    if (pending_blank) out.push_back(' ');
    pending_blank = false;
    out.push_back(ascii_upper(c));
  }
  if (domain == "dob") {
    if (auto d = parse_date(out)) return format_date(*d);
  }
  return out;
}

}  // namespace earlyhelp::governance
