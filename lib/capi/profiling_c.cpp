// SPDX-License-Identifier: Apache-2.0
// C API: one person's risk score with reasons from a domain bundle (profiling::score_row).

#include "earlyhelp/c_api.h"
#include "earlyhelp/profiling/score_row.hpp"
#include "guard.hpp"
#include "handles.hpp"
#include "registry.hpp"

#include <string>

int eh_model_score_row(const eh_model* model, const eh_feature_set* set, const double* row, size_t n_values,
                       size_t k, double* out_score, int* out_above, char* reasons, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_model_score_row", model);
    EH_LIVE("eh_model_score_row", set);
    EH_CHECK_PTR("eh_model_score_row", row);
    EH_CHECK_PTR("eh_model_score_row", out_score);
    EH_CHECK_PTR("eh_model_score_row", needed);
    EH_CHECK(k <= 100, "eh_model_score_row: k is {}, expected at most 100", k);
    const auto s = earlyhelp::profiling::score_row(model->model, set->set, row, n_values, static_cast<int>(k));
    std::string text;
    for (std::size_t i = 0; i < s.reasons.size(); ++i) text += (i ? "\n" : "") + s.reasons[i];
    // k = 0 asks for the score alone: `reasons` may then be NULL.
    if (k > 0) {
      const int rc = earlyhelp::capi::write_text("eh_model_score_row", text, reasons, capacity, needed);
      if (rc != EH_OK) return rc;  // results are written only on success
    } else {
      *needed = 1;
      if (reasons != nullptr && capacity > 0) reasons[0] = '\0';
    }
    *out_score = s.score;
    if (out_above != nullptr) *out_above = s.above_threshold ? 1 : 0;
    return static_cast<int>(EH_OK);
  });
}
