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
#include <string_view>

#include <fmt/format.h>

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

/// The one output convention of c_api.h for every variable-size result: `*needed` (when not
/// NULL) gets the size the result needs (text: its terminating NUL included); the result is
/// copied only when it fits, else EH_ERR_BUFFER with a message and nothing written.
/// @param fn the C function's name, for the message
/// @param text true: `bytes` is text, written with a NUL
inline int write_output(const char* fn, std::string_view bytes, bool text, void* out, std::size_t capacity,
                        std::size_t* needed) {
  const std::size_t size = bytes.size() + (text ? 1 : 0);
  if (needed != nullptr) *needed = size;
  if (out == nullptr || capacity < size) {
    set_last_error(fmt::format("{}: a buffer of {} bytes is too small, {} are needed{}", fn,
                               out == nullptr ? 0 : capacity, size, text ? " (the NUL included)" : ""));
    return EH_ERR_BUFFER;
  }
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  if (text) static_cast<char*>(out)[bytes.size()] = '\0';
  return EH_OK;
}

/// write_output for text.
inline int write_text(const char* fn, std::string_view text, char* out, std::size_t capacity, std::size_t* needed) {
  return write_output(fn, text, true, out, capacity, needed);
}

/// Throws InvalidArgument when a pointer argument is NULL (as xgboost_CHECK_C_ARG_PTR).
#define EH_CHECK_PTR(func, ptr) \
  EH_CHECK((ptr) != nullptr, "{}: argument '{}' is NULL", func, #ptr)

}  // namespace earlyhelp::capi
