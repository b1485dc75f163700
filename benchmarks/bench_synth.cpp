// SPDX-License-Identifier: Apache-2.0
// Benchmark of the synthetic council at county size: generates --persons (default 600,000) to a
// scratch directory, measures wall time and peak resident memory (getrusage), and writes
// benchmarks/results/synth.md beside this file. Targets from the issue: <= 60 s and <= 2 GB on
// 2 cores. There is no peer generator to race; the target is the comparator.
//
//   cmake --preset bench && cmake --build --preset bench --target bench_synth
//   build/bench/bin/bench_synth [--persons N] [--threads T] [--out DIR]

#include "earlyhelp/synth/generate.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#ifndef EH_BENCH_COMPILER
#define EH_BENCH_COMPILER "unknown"
#endif
#ifndef EH_BENCH_CXX_FLAGS
#define EH_BENCH_CXX_FLAGS "unknown"
#endif

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::uintmax_t directory_bytes(const std::filesystem::path& dir) {
  std::uintmax_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  earlyhelp::synth::Config c;
  c.persons = 600000;
  c.seed = 1;
  c.n_threads = 2;
  std::string out = "/tmp/earlyhelp-bench-synth";
  std::string command = "bench_synth";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    command += " " + a;
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        fmt::print(stderr, "bench_synth: {} needs a value\n", a);
        std::exit(2);
      }
      command += std::string(" ") + argv[i + 1];
      return argv[++i];
    };
    if (a == "--persons") c.persons = std::stoul(next());
    else if (a == "--threads") c.n_threads = std::stoi(next());
    else if (a == "--out") out = next();
    else {
      fmt::print(stderr, "usage: bench_synth [--persons N] [--threads T] [--out DIR]\n");
      return 2;
    }
  }
  std::filesystem::remove_all(out);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = earlyhelp::synth::write_directory(c, out);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double peak_gb = static_cast<double>(ru.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB
  // CPU time shows how much of the wall time was ours when the machine is shared.
  const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  double load1 = 0;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load1) != 1) load1 = 0;
    std::fclose(f);
  }
  const double disk_mb = static_cast<double>(directory_bytes(out)) / 1e6;

  const std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::ostringstream md;
  md << "# Synthetic council generation benchmark\n\n"
     << "Written by `benchmarks/bench_synth.cpp`; regenerate by running it, never edit by hand.\n\n"
     << fmt::format("- date: {}\n- CPU: {}\n- cores available: {}, threads used: {}\n", date, cpu_model(),
                    std::thread::hardware_concurrency(), c.n_threads)
     << fmt::format("- compiler: {}; flags: `{}`\n", EH_BENCH_COMPILER, EH_BENCH_CXX_FLAGS)
     << fmt::format("- command: `{}` (build: `cmake --preset bench && cmake --build --preset bench --target bench_synth`)\n\n", command)
     << "| measure | ours | target | ratio (ours / target) |\n|---|---|---|---|\n"
     << fmt::format("| wall time, {} persons, seed {} | {:.1f} s | 60 s | {:.2f} |\n", c.persons, c.seed, secs, secs / 60.0)
     << fmt::format("| peak resident memory | {:.2f} GB | 2 GB | {:.2f} |\n", peak_gb, peak_gb / 2.0)
     << fmt::format("| CPU time (user + system) | {:.1f} s | - | - |\n\n", cpu)
     << fmt::format("Load average when the run finished: {:.1f} (the machine is shared; CPU time / threads is the "
                    "wall time on {} idle cores).\n\n", load1, c.n_threads)
     << fmt::format("Output: {} persons in {} households, {} source records over {} streams, {} outcome labels, "
                    "{:.0f} MB of CSV.\n\n",
                    r.persons, r.households, r.total_rows(), earlyhelp::synth::n_streams, r.outcomes, disk_mb)
     << "| stream | records |\n|---|---|\n";
  for (std::size_t s = 0; s < earlyhelp::synth::n_streams; ++s)
    md << fmt::format("| {} | {} |\n", earlyhelp::synth::stream_name(static_cast<earlyhelp::synth::StreamId>(s)), r.rows[s]);
  md << "\n| measure | generated | official |\n|---|---|---|\n";
  for (const auto& rate : r.rates)
    md << fmt::format("| {} | {:.4g} | {} |\n", rate.measure, rate.generated,
                      rate.official == rate.official ? fmt::format("{:g}", rate.official) : std::string("-"));
  const auto results = std::filesystem::path(__FILE__).parent_path() / "results" / "synth.md";
  std::filesystem::create_directories(results.parent_path());
  std::ofstream(results) << md.str();
  fmt::print("{}", md.str());
  fmt::print("\nwrote {}\n", results.string());
  std::filesystem::remove_all(out);
  return secs <= 60.0 && peak_gb <= 2.0 ? 0 : 1;
}
