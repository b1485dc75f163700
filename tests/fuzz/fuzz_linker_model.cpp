// SPDX-License-Identifier: Apache-2.0
// Trained linkage models as JSON (Linker::load_model_json, `earlyhelp link --model`): ours
// (levels by label) and Splink's (comparisons by output column, levels in order). Any text loads
// or is refused with an InvalidArgument; a model that loads is written out, read back and written
// again unchanged.

#include "earlyhelp/linkage/linker.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using earlyhelp::linkage::Linker;
  earlyhelp::fuzz::expect_only_errors([&] {
    Linker linker;
    linker.load_model_json(earlyhelp::fuzz::as_text(data, size));
    const std::string once = linker.model_json();
    Linker again;
    again.load_model_json(once);
    earlyhelp::fuzz::check(again.model_json() == once, "a loaded model is written back unchanged");
  });
  return 0;
}
