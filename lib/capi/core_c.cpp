// SPDX-License-Identifier: Apache-2.0
// C API: errors and version.

#include "earlyhelp/c_api.h"
#include "earlyhelp/core/version.hpp"
#include "guard.hpp"

#include <string>
#include <utility>

namespace earlyhelp::capi {
namespace {
thread_local std::string last_error;
}
void set_last_error(std::string message) noexcept {
  try {
    last_error = std::move(message);
  } catch (...) {
    last_error.clear();  // cannot allocate: an empty message is better than none at all
  }
}
void clear_last_error() noexcept { last_error.clear(); }
}  // namespace earlyhelp::capi

extern "C" {

const char* eh_last_error(void) { return earlyhelp::capi::last_error.c_str(); }

const char* eh_status_name(int status) {
  switch (status) {
    case EH_OK: return "EH_OK";
    case EH_ERR_INVALID_ARGUMENT: return "EH_ERR_INVALID_ARGUMENT";
    case EH_ERR_FORMAT: return "EH_ERR_FORMAT";
    case EH_ERR_STATE: return "EH_ERR_STATE";
    case EH_ERR_IO: return "EH_ERR_IO";
    case EH_ERR_NO_MEMORY: return "EH_ERR_NO_MEMORY";
    case EH_ERR_RUNTIME: return "EH_ERR_RUNTIME";
    case EH_ERR_UNKNOWN: return "EH_ERR_UNKNOWN";
    case EH_ERR_BUFFER: return "EH_ERR_BUFFER";
    default: return "EH_ERR_UNRECOGNISED_STATUS";
  }
}

const char* eh_version(void) { return earlyhelp::version(); }

int eh_version_numbers(int* major, int* minor, int* patch) {
  return earlyhelp::capi::guarded([&] {
    if (major) *major = EARLYHELP_VERSION_MAJOR;
    if (minor) *minor = EARLYHELP_VERSION_MINOR;
    if (patch) *patch = EARLYHELP_VERSION_PATCH;
  });
}

int eh_abi_version(void) { return EH_ABI_VERSION; }

}  // extern "C"
