// SPDX-License-Identifier: Apache-2.0
// The payload of a model bundle behind a valid envelope: anyone can compute the SHA-256 of an
// unsigned bundle, so the Boost archive itself must survive hostile bytes (huge counts, cut
// archives, wrong class versions). The first byte picks the format version (1 or 2); the rest is
// sealed as the payload.

#include "earlyhelp/io/envelope.hpp"
#include "earlyhelp/models/model.hpp"

#include "fuzz_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace earlyhelp;
  if (size < 1) return 0;
  const std::uint32_t version = 1u + (data[0] & 1u);
  const std::string bytes =
      io::seal(fuzz::as_text(data + 1, size - 1), models::kModelMagic, version);
  fuzz::expect_only_errors([&] { fuzz::exercise(models::Model::from_bytes(bytes)); });
  return 0;
}
