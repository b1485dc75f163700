// SPDX-License-Identifier: Apache-2.0
// XGBoost JSON import (Model.from_xgboost_json, `earlyhelp score --model m.json`): any text is
// imported or refused with a FormatError; an imported model scores, explains and round-trips.

#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/model.hpp"

#include "fuzz_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace earlyhelp;
  fuzz::expect_only_errors([&] {
    models::XGBoostModel x = models::import_xgboost_json(fuzz::as_text(data, size), "fuzz.json");
    std::vector<std::string> names;
    if (static_cast<Index>(x.feature_names.size()) == x.ensemble.n_features()) {
      names = x.feature_names;
    }
    fuzz::exercise(models::Model(std::move(x.ensemble), std::move(names)));
  });
  return 0;
}
