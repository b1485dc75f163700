// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/governance/bloom_encoding.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/linkage/address.hpp"
#include "earlyhelp/linkage/bloom.hpp"
#include "earlyhelp/linkage/normalise.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "governance/csv_pass.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <unordered_map>

namespace earlyhelp::governance {

namespace {

constexpr std::array<std::string_view, 7> kFieldNames = {"first_name", "middle_name", "surname", "dob",
                                                         "address",    "town",        "postcode"};

// The value as the linker normalises it in clear; "" when nothing is left.
std::string normalise(BloomField f, std::string_view v) {
  switch (f) {
    case BloomField::first_name: return linkage::normalise_first_name(v);
    case BloomField::middle_name:
    case BloomField::town: return linkage::normalise_name(v);
    case BloomField::surname: return linkage::normalise_surname(v);
    case BloomField::dob: {
      const std::int32_t d = linkage::parse_dob(v);
      return d == 0 ? std::string() : fmt::format("{:08d}", d);
    }
    case BloomField::address: return linkage::normalise_address(v);
    case BloomField::postcode: return linkage::normalise_postcode_key(v);
  }
  return {};
}

// The q-grams of a normalised value: positional bigrams of a date, else bigrams of the value
// padded with a blank at each end (so the first and last letters count as much as the others).
std::vector<std::string> qgrams(BloomField f, const std::string& v) {
  std::vector<std::string> out;
  if (f == BloomField::dob) {
    for (std::size_t i = 0; i + 1 < v.size(); ++i) out.push_back(fmt::format("{}:{}", i, v.substr(i, 2)));
    return out;
  }
  const std::string padded = " " + v + " ";
  for (std::size_t i = 0; i + 1 < padded.size(); ++i) out.push_back(padded.substr(i, 2));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool holds(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

std::optional<BloomField> field_of(std::string_view link_key) noexcept {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i)
    if (kFieldNames[i] == link_key) return static_cast<BloomField>(i);
  return std::nullopt;
}

}  // namespace

std::string_view bloom_field_name(BloomField f) noexcept { return kFieldNames[static_cast<std::size_t>(f)]; }

BloomField bloom_field_from_name(std::string_view name) {
  const auto f = field_of(name);
  EH_CHECK(f.has_value(), "encode: unknown field kind '{}' (expected one of {})", name, fmt::join(kFieldNames, ", "));
  return *f;
}

BloomEncoder::BloomEncoder(const PseudonymKey& key) : fingerprint_(key.fingerprint()) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    const Digest d = hmac_sha256(key.bytes(), fmt::format("bloom:{}", kFieldNames[i]));
    field_keys_[i].assign(d.begin(), d.end());
  }
}

std::string BloomEncoder::encode(BloomField f, std::string_view value) const {
  static_assert(kFilterBits == 2 * linkage::kBloomBits, "one XOR fold");
  static_assert(kHashes <= 16, "positions are 16-bit slices of one HMAC-SHA256");
  const std::string v = normalise(f, trim_blanks(value));
  if (v.empty()) return {};
  std::bitset<kFilterBits> filter;
  const std::string& field_key = field_keys_[static_cast<std::size_t>(f)];
  for (const std::string& q : qgrams(f, v)) {
    const Digest h = hmac_sha256(field_key, q);
    for (std::size_t k = 0; k < kHashes; ++k)
      filter.set((static_cast<std::size_t>(h[2 * k]) << 8 | h[2 * k + 1]) % kFilterBits);  // 2^16 % 1024 == 0: unbiased
  }
  // XOR-fold: bit i of the encoding is bit i of the first half XOR bit i of the second.
  std::string out(linkage::kBloomPrefix);
  constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t nibble = 0; nibble < linkage::kBloomBits / 4; ++nibble) {
    unsigned x = 0;
    for (std::size_t b = 0; b < 4; ++b) {
      const std::size_t i = nibble * 4 + b;
      x = (x << 1) | static_cast<unsigned>(filter[i] ^ filter[i + linkage::kBloomBits]);
    }
    out.push_back(kHex[x]);
  }
  return out;
}

EncodePlan EncodePlan::for_stream(const schema::Stream& stream) {
  EncodePlan plan;
  plan.identifiers = PseudonymPlan::for_stream(stream);
  for (const auto& f : stream.fields)
    if (const auto bf = field_of(f.link_key)) plan.columns.push_back({f.name, *bf, f.required});
  return plan;
}

EncodePlan EncodePlan::for_canonical(const std::vector<std::string>& header) {
  EncodePlan plan;
  for (const auto& h : header) {
    if (const auto bf = field_of(h)) plan.columns.push_back({h, *bf, true});
    if (h == "nhs_number" || h == "uprn") plan.identifiers.columns.push_back({h, h, true, false});
  }
  EH_CHECK(!plan.columns.empty() || !plan.identifiers.columns.empty(),
           "encode: the header has no column to encode (expected canonical columns such as first_name, surname, "
           "dob, address, postcode; or give --stream): {}",
           fmt::join(header, ", "));
  return plan;
}

EncodeCounts encode_csv(const PseudonymKey& key, const EncodePlan* given, const std::string& input,
                        const std::string& output, const std::string& rejects, char delimiter) {
  const BloomEncoder encoder(key);
  const Pseudonymiser pseudonymiser(key);
  EncodeCounts counts;
  EncodePlan plan;
  std::vector<const BloomColumn*> encode_at;
  std::vector<const PseudonymColumn*> hash_at;
  const auto plan_header = [&](const std::vector<std::string>& header, const std::string& source,
                               std::string_view hint) {
    plan = given != nullptr ? *given : EncodePlan::for_canonical(header);
    hash_at = plan.identifiers.positions(header, source, hint);
    encode_at.assign(header.size(), nullptr);
    for (const auto& c : plan.columns) {
      const auto it = std::find(header.begin(), header.end(), c.column);
      EH_CHECK(it != header.end() || !c.required, "encode: {} has no column '{}' to encode (its columns: {}){}{}",
               source, c.column, fmt::join(header, ", "), hint.empty() ? "" : "; ", hint);
      for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == c.column) encode_at[i] = &c;
    }
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (encode_at[i] != nullptr) counts.encoded_columns.push_back(header[i]);
      else if (hash_at[i] != nullptr) counts.pseudonymised_columns.push_back(header[i]);
    }
  };
  // Names repeat: each distinct (field, value) is encoded once.
  std::unordered_map<std::string, std::string> cache;
  const auto rewrite = [&](std::size_t i, std::string_view value, std::string& out) {
    if (encode_at[i] != nullptr) {
      if (holds(plan.identifiers.missing_values, trim_blanks(value))) return false;  // missing stays missing
      std::string k(1, static_cast<char>(encode_at[i]->field));
      k.append(value);
      auto it = cache.find(k);
      if (it == cache.end()) it = cache.emplace(std::move(k), encoder.encode(encode_at[i]->field, value)).first;
      out = it->second;
      ++(out.empty() ? counts.cells_emptied : counts.cells_encoded);
      return true;
    }
    if (hash_at[i] == nullptr) return false;
    out = plan.identifiers.cell(pseudonymiser, *hash_at[i], value);
    detail::count_hashed(value, out, counts.cells_pseudonymised, counts.cells_emptied);
    return true;
  };
  const detail::CsvPass pass = detail::rewrite_csv("encode", input, output, rejects, delimiter, plan_header, rewrite);
  counts.rows_read = pass.rows_read;
  counts.rows_written = pass.rows_written;
  counts.rows_rejected = pass.rows_rejected;
  return counts;
}

}  // namespace earlyhelp::governance
