// SPDX-License-Identifier: Apache-2.0
#include <earlyhelp/earlyhelp.hpp>

#include <cstdio>

int main() {
  const auto d = earlyhelp::parse_date("03/04/2020");
  if (!d || earlyhelp::to_civil(*d).month != 4) return 1;
  std::printf("consumer: earlyhelp %s found and working\n", earlyhelp::version());
  return 0;
}
