// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to the C API: turns C++ exceptions into status codes and the thread-local message.

#include "earlyhelp/c_api.h"
#include "earlyhelp/core/error.hpp"

#include <cstring>
#include <exception>
#include <type_traits>
#include <new>
#include <string>

namespace earlyhelp::capi {

/// Stores `message` as this thread's last error.
void set_last_error(std::string message) noexcept;
/// Clears this thread's last error.
void clear_last_error() noexcept;

/// Runs `fn` and maps any exception to an eh_status; nothing escapes.
/// `fn` returns void (status EH_OK) or int (returned as is).
template <class Fn>
int guarded(Fn&& fn) noexcept {
  try {
    clear_last_error();
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      return EH_OK;
    } else {
      return static_cast<int>(fn());
    }
  } catch (const earlyhelp::InvalidArgument& e) {
    set_last_error(e.what());
    return EH_ERR_INVALID_ARGUMENT;
  } catch (const earlyhelp::FormatError& e) {
    set_last_error(e.what());
    return EH_ERR_FORMAT;
  } catch (const earlyhelp::StateError& e) {
    set_last_error(e.what());
    return EH_ERR_STATE;
  } catch (const earlyhelp::IOError& e) {
    set_last_error(e.what());
    return EH_ERR_IO;
  } catch (const std::bad_alloc&) {
    set_last_error("out of memory");
    return EH_ERR_NO_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(e.what());
    return EH_ERR_RUNTIME;
  } catch (...) {
    set_last_error("unknown exception");
    return EH_ERR_UNKNOWN;
  }
}

/// Two-call text output (c_api.h): `*needed` gets the size the text needs, NUL included; the text
/// is copied only when it fits.
inline void write_text(const std::string& text, char* out, std::size_t capacity, std::size_t* needed) {
  *needed = text.size() + 1;
  if (out != nullptr && capacity >= text.size() + 1) std::memcpy(out, text.c_str(), text.size() + 1);
}

/// Throws InvalidArgument when a pointer argument is NULL (as xgboost_CHECK_C_ARG_PTR).
#define EH_CHECK_PTR(func, ptr) \
  EH_CHECK((ptr) != nullptr, "{}: argument '{}' is NULL", func, #ptr)

}  // namespace earlyhelp::capi
