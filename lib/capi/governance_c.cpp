// SPDX-License-Identifier: Apache-2.0
// C API: pseudonymisation.

#include "earlyhelp/c_api.h"
#include "earlyhelp/governance/pseudonymise.hpp"
#include "guard.hpp"
#include "registry.hpp"

#include <cstring>
#include <string>

struct eh_pseudonymiser {
  earlyhelp::governance::Pseudonymiser impl;
};

namespace {
constexpr std::size_t default_digest_bytes = 16;
}  // namespace

extern "C" {

int eh_pseudonymiser_create(const uint8_t* key, size_t key_len, size_t digest_bytes,
                            eh_pseudonymiser** out) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_pseudonymiser_create", key);
    EH_CHECK_PTR("eh_pseudonymiser_create", out);
    earlyhelp::governance::PseudonymKey k(std::string(reinterpret_cast<const char*>(key), key_len));
    *out = earlyhelp::capi::new_handle<eh_pseudonymiser>(earlyhelp::governance::Pseudonymiser(
        std::move(k), digest_bytes == 0 ? default_digest_bytes : digest_bytes));
  });
}

int eh_pseudonymiser_create_from_file(const char* key_path, size_t digest_bytes,
                                      eh_pseudonymiser** out) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_pseudonymiser_create_from_file", key_path);
    EH_CHECK_PTR("eh_pseudonymiser_create_from_file", out);
    *out = earlyhelp::capi::new_handle<eh_pseudonymiser>(earlyhelp::governance::Pseudonymiser(
        earlyhelp::governance::PseudonymKey::from_file(key_path),
        digest_bytes == 0 ? default_digest_bytes : digest_bytes));
  });
}

void eh_pseudonymiser_free(eh_pseudonymiser* p) { earlyhelp::capi::free_handle(p, "eh_pseudonymiser_free"); }

int eh_pseudonymise(const eh_pseudonymiser* p, const char* domain, const char* value, int normalise,
                    char* buf, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_pseudonymise", p);
    EH_CHECK_PTR("eh_pseudonymise", domain);
    EH_CHECK_PTR("eh_pseudonymise", value);
    const std::string v = normalise ? earlyhelp::governance::normalise_for_pseudonym(domain, value)
                                    : std::string(value);
    return earlyhelp::capi::write_text("eh_pseudonymise", p->impl.pseudonymise(domain, v), buf, capacity, needed);
  });
}

int eh_pseudonymiser_fingerprint(const eh_pseudonymiser* p, char* buf, size_t capacity) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_pseudonymiser_fingerprint", p);
    return earlyhelp::capi::write_text("eh_pseudonymiser_fingerprint", p->impl.key_fingerprint(), buf, capacity,
                                       nullptr);
  });
}

}  // extern "C"
