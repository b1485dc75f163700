// SPDX-License-Identifier: Apache-2.0
// Linkage settings JSON (Settings::from_json, `earlyhelp link --settings`), including the
// blocking-rule names it parses: loads or is refused with an InvalidArgument; settings that load
// write JSON that loads back to the same JSON.

#include "earlyhelp/linkage/linker.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using earlyhelp::linkage::Settings;
  earlyhelp::fuzz::expect_only_errors([&] {
    const Settings s = Settings::from_json(earlyhelp::fuzz::as_text(data, size));
    const std::string text = s.to_json();
    earlyhelp::fuzz::check(Settings::from_json(text).to_json() == text,
                           "settings JSON round-trips");
  });
  return 0;
}
