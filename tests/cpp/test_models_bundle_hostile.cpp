// SPDX-License-Identifier: Apache-2.0
// Model bundles against hostile bytes (issue 19): every truncation and every single-bit flip of a
// small bundle, oversized length fields in the envelope, and a valid envelope (correct SHA-256)
// around a hostile payload: garbage, a cut Boost archive, huge counts. Each is a FormatError
// within bounded memory, never a crash; the ci-sanitize preset runs these under ASan and UBSan.

#include "alloc_probe.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/envelope.hpp"
#include "earlyhelp/models/model.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

using earlyhelp::FormatError;
using earlyhelp::RowMatrixXd;
using earlyhelp::io::kEnvelopeHeaderSize;
using namespace earlyhelp::models;

constexpr std::string_view kKey = "council-approval-key";

// A small bundle holding every part of the format: trees (one split categorical), feature names,
// labels, calibration, bands, thresholds and metadata.
Model tree_model() {
  // Two stumps (left, right, feature, threshold, default_left, value, cover, categories, group).
  std::vector<TreeArrays> trees{
      {{1, -1, -1}, {2, -1, -1}, {0, 0, 0}, {0.5, 0, 0}, {1, 0, 0}, {0, -0.4, 0.7}, {10, 6, 4}, {}, 0},
      {{1, -1, -1}, {2, -1, -1}, {1, 0, 0}, {0, 0, 0}, {1, 0, 0}, {0, 0.6, 0.7}, {10, 6, 4},
       {{3, 4}, {}, {}}, 0}};
  Model m(TreeEnsemble(trees, 2, 1, Objective::binary_logistic, 0.3), {"absence", "arrears"});
  m.set_labels({{"absence", "School absence"}});
  m.set_calibration(Calibration::platt(-1.2, 0.1));
  m.set_bands(RiskBands{{0.2, 0.5}, {"low", "medium", "high"}});
  m.set_thresholds({{"alert", 0.5}});
  ModelInfo info;
  info.name = "early-help";
  info.evaluation = {{"auc", 0.81}};
  m.set_info(info);
  return m;
}

// Format 2's part: a linear model over declared encodings.
Model encoded_linear_model() {
  FeatureEncoding age;
  age.center = 40;
  age.scale = 10;
  age.missing = MissingPolicy::indicator;
  FeatureEncoding tenure;
  tenure.encoding = Encoding::one_hot;
  tenure.categories = {"council", "private"};
  RowMatrixXd coef(1, 5);
  coef << 0.3, 0.8, 0.5, 0.2, 0.0;
  return Model(LinearModel(coef, Eigen::VectorXd::Constant(1, -2.0), Link::logit,
                           std::vector<FeatureEncoding>{age, tenure}));
}

// True when loading is refused with a FormatError, false when it loads; any other exception
// fails the test case.
bool refused(std::string_view bytes, std::string_view key = {}) {
  try {
    (void)Model::from_bytes(bytes, key);
    return false;
  } catch (const FormatError&) {
    return true;
  }
}

std::string payload_of(const std::string& bundle) { return bundle.substr(kEnvelopeHeaderSize); }

std::string sealed(std::string_view payload, std::uint32_t version = kModelFormatVersion) {
  return earlyhelp::io::seal(payload, kModelMagic, version);
}

void put_le64(std::string& s, std::size_t at, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xffu);
}

std::string first_of(const std::vector<std::size_t>& v) {
  return v.empty() ? std::string("none") : std::to_string(v.front());
}

// Largest single allocation requested while loading `bytes` (refused or not). Live memory is
// held under 1 MiB, so a reader that trusts a hostile count fails here fast.
std::size_t largest_allocation(std::string_view bytes) {
  return eh_test::largest_allocation_of([&] { (void)refused(bytes); }, std::size_t{1} << 20);
}

}  // namespace

TEST_SUITE("models") {
  TEST_CASE("models.bundle_hostile: every truncation is a FormatError, signed or not") {
    for (const Model& m : {tree_model(), encoded_linear_model()}) {
      for (const std::string_view key : {std::string_view(), kKey}) {
        const std::string good = m.to_bytes(key);
        REQUIRE_FALSE(refused(good, key));
        std::vector<std::size_t> accepted;
        for (std::size_t n = 0; n < good.size(); ++n) {
          if (!refused(std::string_view(good).substr(0, n), key)) accepted.push_back(n);
        }
        CAPTURE(good.size());
        CHECK_MESSAGE(accepted.empty(), first_of(accepted), " of ", accepted.size(), " lengths loaded");
      }
    }
  }

  TEST_CASE("models.bundle_hostile: every single-bit flip is a FormatError") {
    // Unsigned bundles opened without a key (integrity only), signed ones with their key. (Past
    // the header every flip meets the SHA-256, so one bundle speaks for every payload kind.)
    for (const std::string_view key : {std::string_view(), kKey}) {
      const std::string good = tree_model().to_bytes(key);
      std::vector<std::size_t> accepted;  // bit positions that still load
      std::string bad = good;
      for (std::size_t bit = 0; bit < 8 * good.size(); ++bit) {
        const auto mask = static_cast<char>(1u << (bit % 8));
        bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ mask);
        if (!refused(bad, key)) accepted.push_back(bit);
        bad[bit / 8] = good[bit / 8];
      }
      CAPTURE(key);
      CHECK_MESSAGE(accepted.empty(), "flipping bit ", first_of(accepted), " (of ", accepted.size(),
                    " such bits) still loads");
    }
  }

  TEST_CASE("models.bundle_hostile: oversized or wrong payload lengths in the envelope") {
    const std::string good = tree_model().to_bytes();
    const std::uint64_t have = good.size() - kEnvelopeHeaderSize;
    for (const std::uint64_t length :
         {~std::uint64_t{0}, std::uint64_t{1} << 63, (std::uint64_t{1} << 32) + have, have * 2,
          have + 1, have - 1, std::uint64_t{0}}) {
      CAPTURE(length);
      std::string bad = good;
      put_le64(bad, 16, length);
      CHECK_THROWS_WITH_AS(Model::from_bytes(bad),
                           doctest::Contains(length > have ? "truncated" : "extra bytes"),
                           FormatError);
      // The same lie in a file cut right after the header.
      CHECK_THROWS_AS(Model::from_bytes(std::string_view(bad).substr(0, kEnvelopeHeaderSize)),
                      FormatError);
    }
  }

  TEST_CASE("models.bundle_hostile: a valid envelope around garbage or a cut archive") {
    const std::string payload = payload_of(tree_model().to_bytes());
    std::mt19937_64 rng(19);
    std::vector<std::string> accepted;
    // Random bytes, alone and after a real archive's opening (class information and tag).
    for (int i = 0; i < 300; ++i) {
      std::string junk(rng() % 400, '\0');
      for (char& c : junk) c = static_cast<char>(rng() & 0xffu);
      const std::string tail = i % 2 == 0 ? junk : payload.substr(0, 48) + junk;
      for (const std::uint32_t version : {1u, 2u}) {
        if (!refused(sealed(tail, version))) accepted.push_back(tail);
      }
    }
    // Every prefix of a real archive, as format 1 and 2.
    for (std::size_t n = 0; n < payload.size(); ++n) {
      for (const std::uint32_t version : {1u, 2u}) {
        if (!refused(sealed(payload.substr(0, n), version))) accepted.push_back(payload.substr(0, n));
      }
    }
    CHECK_MESSAGE(accepted.empty(), accepted.size(), " hostile payloads loaded");
  }

  TEST_CASE("models.bundle_hostile: a declared 64 MiB string is refused before it is allocated") {
    // Regression (fuzz_model_payload): Boost trusted the archive's string length and allocated it
    // (zero-filled) before reading a byte of it; a hostile sealed bundle could demand gigabytes.
    const std::string payload = payload_of(tree_model().to_bytes());
    const std::size_t tag = payload.find("earlyhelp.models.Model");
    REQUIRE(tag != std::string::npos);
    REQUIRE(tag >= 8);
    std::string bad = payload;
    put_le64(bad, tag - 8, std::uint64_t{64} << 20);
    const std::string bundle = sealed(bad);
    CHECK_THROWS_WITH_AS(Model::from_bytes(bundle), doctest::Contains("malformed model bundle"),
                         FormatError);
    CHECK(largest_allocation(bundle) < 64 * bundle.size());
  }

  TEST_CASE("models.bundle_hostile: a boolean stored as 2 is a FormatError") {
    // Boost reads a bool by copying the byte into it: 2 is undefined behaviour (UBSan stops
    // there; a plain build read it as true).
    Model plain = tree_model();
    plain.set_calibration(std::nullopt);
    const std::string with = payload_of(tree_model().to_bytes());
    const std::string without = payload_of(plain.to_bytes());
    // Everything before has_calibration is the same; there the two payloads hold 1 and 0.
    std::size_t at = 0;
    while (at < without.size() && with[at] == without[at]) ++at;
    REQUIRE(at < without.size());
    REQUIRE(with[at] == 1);
    std::string bad = with;
    bad[at] = 2;
    CHECK_THROWS_WITH_AS(Model::from_bytes(sealed(bad)), doctest::Contains("boolean"), FormatError);
  }

  TEST_CASE("models.bundle_hostile: a linear bundle whose coefficient count overflows is a FormatError") {
    // fuzz_model_payload: rows x columns was checked against the coefficients in int64, which
    // overflows (undefined behaviour); 2^62 + 1 rows of 4 columns wrapped to 4 and matched, then
    // the matrix was built from far outside the array.
    RowMatrixXd one(1, 4), two(2, 4);
    one << 1, 2, 3, 4;
    two << 1, 2, 3, 4, 5, 6, 7, 8;
    const std::string p1 =
        payload_of(Model(LinearModel(one, Eigen::VectorXd::Zero(1), Link::identity)).to_bytes());
    const std::string p2 =
        payload_of(Model(LinearModel(two, Eigen::VectorXd::Zero(2), Link::identity)).to_bytes());
    // The payloads agree up to the number of coefficient rows (1 and 2, an int64).
    std::size_t rows_at = 0;
    while (rows_at < p1.size() && p1[rows_at] == p2[rows_at]) ++rows_at;
    REQUIRE(rows_at + 8 <= p1.size());
    REQUIRE(p1[rows_at] == 1);
    std::string bad = p1;
    put_le64(bad, rows_at, (std::uint64_t{1} << 62) + 1);
    CHECK_THROWS_WITH_AS(Model::from_bytes(sealed(bad)), doctest::Contains("coefficients"),
                         FormatError);
  }

  TEST_CASE("models.bundle_hostile: huge counts anywhere in the archive stay within bounded memory") {
    // Every 8-byte window of the payload overwritten with a huge count: wherever a length or a
    // collection size sits, the archive must be refused before allocating for it.
    const std::string payload = payload_of(tree_model().to_bytes());
    std::size_t worst = 0, worst_at = 0;
    for (const std::uint64_t count :
         {std::uint64_t{1} << 26, std::uint64_t{1} << 40, ~std::uint64_t{0}}) {
      for (std::size_t at = 0; at + 8 <= payload.size(); ++at) {
        std::string bad = payload;
        put_le64(bad, at, count);
        const std::size_t largest = largest_allocation(sealed(bad));
        if (largest > worst) {
          worst = largest;
          worst_at = at;
        }
      }
    }
    CAPTURE(worst_at);
    CHECK(worst <= 16 * payload.size());
  }
}
