// SPDX-License-Identifier: Apache-2.0
// Smallest C++ program using earlyhelp: prints the version and parses a UK date.
#include <earlyhelp/earlyhelp.hpp>

#include <fmt/format.h>

int main() {
  const auto d = earlyhelp::parse_date("03/04/2020");
  fmt::print("earlyhelp {}: 03/04/2020 is {}\n", earlyhelp::version(), earlyhelp::format_date(*d));
  return 0;
}
