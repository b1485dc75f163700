// SPDX-License-Identifier: Apache-2.0
// The linkage files the pipeline hands between steps (`earlyhelp link --output/--households`, read
// by features, tf and profile): any bytes as a persons file, then the same bytes as its households
// file. Either is read or refused with an earlyhelp::Error naming the file and row.

#include "earlyhelp/features/load.hpp"
#include "earlyhelp/schema/schema.hpp"

#include "fuzz_support.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ft = earlyhelp::features;
  static const earlyhelp::schema::Schema schema = earlyhelp::schema::Schema::builtin();
  const std::string path = earlyhelp::fuzz::as_file("linkage_files", ".csv", data, size);
  earlyhelp::fuzz::expect_only_errors([&] {
    ft::Linkage links = ft::read_persons_csv(path, schema);
    earlyhelp::fuzz::expect_only_errors([&] { ft::read_households_csv(links, path); });
  });
  return 0;
}
