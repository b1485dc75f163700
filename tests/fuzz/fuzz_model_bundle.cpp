// SPDX-License-Identifier: Apache-2.0
// Model bundles as they arrive from another organisation: Model::from_bytes on any bytes, without
// a key (integrity only) and with one (the signature is required). The envelope is checked before
// Boost reads a byte, so most mutations stop there; fuzz_model_payload goes past it.

#include "earlyhelp/models/model.hpp"

#include "fuzz_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using earlyhelp::models::Model;
  const std::string_view bytes = earlyhelp::fuzz::as_text(data, size);
  earlyhelp::fuzz::expect_only_errors([&] { earlyhelp::fuzz::exercise(Model::from_bytes(bytes)); });
  earlyhelp::fuzz::expect_only_errors(
      [&] { earlyhelp::fuzz::exercise(Model::from_bytes(bytes, "fuzz-approval-key")); });
  return 0;
}
