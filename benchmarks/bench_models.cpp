// SPDX-License-Identifier: Apache-2.0
// Model evaluation speed: batch rows/s (C++ API, float32 input read in place) at 1 and 2
// threads, and single-record latency through the C API. Run by benchmarks/bench_models.py,
// which measures XGBoost in the same run and writes benchmarks/results/models.md.
//
// Usage: bench_models <model.json> <X.f32> <n_rows> <n_cols> <out.json>

#include "earlyhelp/c_api.h"
#include "earlyhelp/models/import_xgboost.hpp"

#include <fmt/format.h>
#include <fmt/os.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: bench_models <model.json> <X.f32> <n_rows> <n_cols> <out.json>\n");
    return 2;
  }
  const std::string model_path = argv[1];
  const long n_rows = std::stol(argv[3]);
  const long n_cols = std::stol(argv[4]);
  std::vector<float> x(static_cast<std::size_t>(n_rows * n_cols));
  {
    std::ifstream in(argv[2], std::ios::binary);
    in.read(reinterpret_cast<char*>(x.data()), static_cast<std::streamsize>(x.size() * sizeof(float)));
    if (!in) {
      std::fprintf(stderr, "bench_models: cannot read %s\n", argv[2]);
      return 2;
    }
  }
  const auto imported = earlyhelp::models::import_xgboost_json_file(model_path);
  const auto& model = imported.ensemble;
  const Eigen::Map<const earlyhelp::RowMatrixXf> xs(x.data(), n_rows, n_cols);
  earlyhelp::RowMatrixXd out(n_rows, 1);

  // Batch: best of 3 per thread count (the machine is shared). Process CPU time (std::clock,
  // all threads) is recorded beside wall time: rows per CPU-second does not depend on how much
  // of the machine other processes take, so it tells a scaling fault (it would drop with more
  // threads) from a busy machine (wall time only).
  double rows_per_s[3] = {0, 0, 0};
  double rows_per_cpu_s[3] = {0, 0, 0};
  for (int threads : {1, 2}) {
    for (int rep = 0; rep < 3; ++rep) {
      const auto t0 = Clock::now();
      const std::clock_t c0 = std::clock();
      model.predict(xs, out, threads);
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      rows_per_s[threads] = std::max(rows_per_s[threads], static_cast<double>(n_rows) / seconds_since(t0));
      if (cpu > 0) {
        rows_per_cpu_s[threads] = std::max(rows_per_cpu_s[threads], static_cast<double>(n_rows) / cpu);
      }
    }
  }

  // Single record through the C API, from a bundle in memory (as a case system would load it).
  std::ifstream in(model_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  eh_model* handle = nullptr;
  if (eh_model_import_xgboost_json(json.data(), json.size(), &handle) != EH_OK) {
    std::fprintf(stderr, "bench_models: %s\n", eh_last_error());
    return 1;
  }
  std::vector<double> row(static_cast<std::size_t>(n_cols));
  const int n_calls = 20000;
  std::vector<double> lat;
  lat.reserve(n_calls);
  double sink = 0;
  for (int i = 0; i < n_calls; ++i) {
    const float* src = x.data() + static_cast<std::size_t>(i % n_rows) * static_cast<std::size_t>(n_cols);
    for (long j = 0; j < n_cols; ++j) row[static_cast<std::size_t>(j)] = static_cast<double>(src[j]);
    double p = 0;
    const auto t0 = Clock::now();
    const int rc = eh_model_predict_one(handle, row.data(), static_cast<size_t>(n_cols), &p, 1);
    lat.push_back(seconds_since(t0) * 1e6);
    if (rc != EH_OK) return 1;
    sink += p;
    // The same record must give the batch result exactly.
    if (i < n_rows && p != out(i, 0)) {
      std::fprintf(stderr, "bench_models: row %d: C API %.17g != batch %.17g\n", i, p, out(i, 0));
      return 1;
    }
  }
  eh_model_free(handle);
  std::nth_element(lat.begin(), lat.begin() + n_calls / 2, lat.end());
  const double median_us = lat[static_cast<std::size_t>(n_calls / 2)];

  auto f = fmt::output_file(argv[5]);
  f.print("{{\"rows_per_s_1\": {:.1f}, \"rows_per_s_2\": {:.1f}, \"rows_per_cpu_s_1\": {:.1f}, "
          "\"rows_per_cpu_s_2\": {:.1f}, \"c_api_median_us\": {:.3f}, "
          "\"trees\": {}, \"max_depth\": {}, \"compiler\": \"{}\", \"checksum\": {:.6f}}}\n",
          rows_per_s[1], rows_per_s[2], rows_per_cpu_s[1], rows_per_cpu_s[2], median_us, model.n_trees(),
          model.max_depth(),
#if defined(__clang__)
          fmt::format("clang {}", __clang_version__),
#else
          fmt::format("gcc {}", __VERSION__),
#endif
          sink);
  return 0;
}
