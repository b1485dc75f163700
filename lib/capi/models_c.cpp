// SPDX-License-Identifier: Apache-2.0
// C API: model bundles (load, import, save, predict, explain).

#include "earlyhelp/c_api.h"
#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/model.hpp"
#include "guard.hpp"
#include "registry.hpp"
#include "handles.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace {

using earlyhelp::Index;
using earlyhelp::capi::guarded;
using earlyhelp::capi::write_output;

const earlyhelp::models::Model& get(const eh_model* model, const char* fn) { return EH_LIVE(fn, model).model; }

std::string_view key_view(const void* key, std::size_t len, const char* fn) {
  EH_CHECK(len == 0 || key != nullptr, "{}: key is NULL but key_len is {}", fn, len);
  return len == 0 ? std::string_view() : std::string_view(static_cast<const char*>(key), len);
}

void check_batch(const earlyhelp::models::Model& m, const double* x, std::size_t n_rows,
                 std::size_t n_cols, const double* out, std::size_t out_capacity,
                 std::size_t per_row, const char* fn) {
  EH_CHECK(n_cols == static_cast<std::size_t>(m.n_features()),
           "{}: X has {} columns, model expects {}", fn, n_cols, m.n_features());
  EH_CHECK(n_rows == 0 || (x != nullptr && out != nullptr), "{}: argument 'x' or 'out' is NULL",
           fn);
  EH_CHECK(n_rows <= static_cast<std::size_t>(PTRDIFF_MAX) / (n_cols + per_row + 1),
           "{}: n_rows {} is too large", fn, n_rows);
  EH_CHECK(out_capacity >= n_rows * per_row, "{}: out holds {} values, {} needed", fn,
           out_capacity, n_rows * per_row);
}

}  // namespace

extern "C" {

int eh_model_load_file(const char* path, const void* key, size_t key_len, eh_model** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_load_file", path);
    EH_CHECK_PTR("eh_model_load_file", out);
    auto m = earlyhelp::models::Model::load(path, key_view(key, key_len, "eh_model_load_file"));
    *out = earlyhelp::capi::new_handle<eh_model>(std::move(m));
  });
}

int eh_model_load_memory(const void* data, size_t size, const void* key, size_t key_len,
                         eh_model** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_load_memory", out);
    EH_CHECK(size == 0 || data != nullptr, "eh_model_load_memory: data is NULL but size is {}",
             size);
    const std::string_view bytes(static_cast<const char*>(data), size);
    auto m = earlyhelp::models::Model::from_bytes(bytes, key_view(key, key_len, "eh_model_load_memory"));
    *out = earlyhelp::capi::new_handle<eh_model>(std::move(m));
  });
}

int eh_model_import_xgboost_json(const char* json, size_t size, eh_model** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_import_xgboost_json", json);
    EH_CHECK_PTR("eh_model_import_xgboost_json", out);
    auto x = earlyhelp::models::import_xgboost_json(std::string_view(json, size));
    *out = earlyhelp::capi::new_handle<eh_model>(earlyhelp::models::Model(std::move(x.ensemble), std::move(x.feature_names)));
  });
}

int eh_model_save_memory(const eh_model* model, const void* key, size_t key_len, void* buffer,
                         size_t capacity, size_t* size_needed) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_save_memory", size_needed);
    const std::string bytes =
        get(model, "eh_model_save_memory").to_bytes(key_view(key, key_len, "eh_model_save_memory"));
    return write_output("eh_model_save_memory", bytes, false, buffer, capacity, size_needed);
  });
}

int eh_model_num_features(const eh_model* model, size_t* out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_num_features", out);
    *out = static_cast<size_t>(get(model, "eh_model_num_features").n_features());
  });
}

int eh_model_num_outputs(const eh_model* model, size_t* out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_num_outputs", out);
    *out = static_cast<size_t>(get(model, "eh_model_num_outputs").n_outputs());
  });
}

int eh_model_num_contributions(const eh_model* model, size_t* out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_model_num_contributions", out);
    const auto& m = get(model, "eh_model_num_contributions");
    *out = static_cast<size_t>(m.n_groups()) * static_cast<size_t>(m.n_features() + 1);
  });
}

int eh_model_predict(const eh_model* model, const double* x, size_t n_rows, size_t n_cols,
                     int n_threads, double* out, size_t out_capacity) {
  return guarded([&] {
    const auto& m = get(model, "eh_model_predict");
    check_batch(m, x, n_rows, n_cols, out, out_capacity, static_cast<size_t>(m.n_outputs()),
                "eh_model_predict");
    m.predict_raw(x, static_cast<Index>(n_rows), out, false, n_threads);
  });
}

int eh_model_predict_one(const eh_model* model, const double* row, size_t n_cols, double* out,
                         size_t out_capacity) {
  return guarded([&] {
    const auto& m = get(model, "eh_model_predict_one");
    check_batch(m, row, 1, n_cols, out, out_capacity, static_cast<size_t>(m.n_outputs()),
                "eh_model_predict_one");
    m.predict_one(row, out);
  });
}

int eh_model_explain(const eh_model* model, const double* x, size_t n_rows, size_t n_cols,
                     double* out, size_t out_capacity) {
  return guarded([&] {
    const auto& m = get(model, "eh_model_explain");
    const auto width = static_cast<size_t>(m.n_groups()) * (n_cols + 1);
    check_batch(m, x, n_rows, n_cols, out, out_capacity, width, "eh_model_explain");
    if (n_rows == 0) return;
    const auto xs = Eigen::Map<const earlyhelp::RowMatrixXd>(x, static_cast<Index>(n_rows),
                                                             static_cast<Index>(n_cols));
    const earlyhelp::RowMatrixXd phi = m.explain(xs);
    std::memcpy(out, phi.data(), sizeof(double) * n_rows * width);
  });
}

void eh_model_free(eh_model* model) { earlyhelp::capi::free_handle(model, "eh_model_free"); }

}  // extern "C"
