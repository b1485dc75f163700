// SPDX-License-Identifier: Apache-2.0
// The feature table `earlyhelp score` reads (bindings/cli/model_csv: the model's columns as numbers,
// an id column kept as text, missing-value markers, rejects collected or the first bad row an
// error): the first byte picks collecting or not, the rest is the file. Properties: rows read =
// rows scored + rows rejected, every kept row has its text columns, and a reject names a reason.

#include "model_csv.hpp"

#include "fuzz_support.hpp"

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fz = earlyhelp::fuzz;
  if (size == 0) return 0;
  const bool collect = (data[0] & 1) != 0;
  const std::string path = fz::as_file("score_table", ".csv", data + 1, size - 1);
  static const std::vector<std::string> columns = {"age", "n_contacts", "arrears"};
  static const std::vector<std::string> keep = {"person_id"};
  static const std::vector<std::string> missing = earlyhelp::cli::conventional_missing_values();
  fz::expect_only_errors([&] {
    const earlyhelp::cli::NumericTable t = earlyhelp::cli::read_numeric_csv(path, columns, keep, collect, missing);
    const auto scored = static_cast<std::size_t>(t.values.rows());
    fz::check(t.values.cols() == static_cast<earlyhelp::Index>(columns.size()), "one value column per model feature");
    fz::check(t.rows_read == scored + t.rejects.size(), "rows read = rows scored + rows rejected");
    for (const auto& col : t.text) fz::check(col.size() == scored, "every scored row keeps its id");
    for (const auto& r : t.rejects) fz::check(!r.reason.empty(), "a reject says why");
    if (!collect) fz::check(t.rejects.empty(), "without collecting, a bad row is an error, never dropped");
  });
  return 0;
}
