// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to the C API: the live handles. Every handle is registered with its type when created
// and removed when freed, and every call checks its handle arguments, so a handle that was freed
// (or never came from earlyhelp, or is of another type) is EH_ERR_INVALID_ARGUMENT with a message
// instead of undefined behaviour, and a second free is refused. Limit: an address freed and then
// reused by a new handle of the same type is live again (that call is then well defined).

#include "earlyhelp/c_api.h"
#include "guard.hpp"

#include <memory>
#include <utility>

namespace earlyhelp::capi {

/// The C name of a handle type (specialised for each below).
template <class T>
struct HandleName;
template <> struct HandleName<eh_model> { static constexpr const char* value = "eh_model"; };
template <> struct HandleName<eh_linker> { static constexpr const char* value = "eh_linker"; };
template <> struct HandleName<eh_feature_set> { static constexpr const char* value = "eh_feature_set"; };
template <> struct HandleName<eh_feature_case> { static constexpr const char* value = "eh_feature_case"; };
template <> struct HandleName<eh_pseudonymiser> { static constexpr const char* value = "eh_pseudonymiser"; };
template <> struct HandleName<eh_engagement> { static constexpr const char* value = "eh_engagement"; };

void register_live(const void* handle, const char* type);
/// Removes a live handle; false when `handle` is not a live handle of `type`.
bool release_live(const void* handle, const char* type) noexcept;
bool is_live(const void* handle, const char* type) noexcept;

/// A new handle, registered live. @throws std::bad_alloc.
template <class T, class... Args>
T* new_handle(Args&&... args) {
  auto h = std::make_unique<T>(T{std::forward<Args>(args)...});
  register_live(h.get(), HandleName<T>::value);
  return h.release();
}

/// Frees a live handle; NULL is a no-op; a handle that is not live (freed twice, or never
/// created) is left alone and named in the thread's last error.
template <class T>
void free_handle(T* handle, const char* fn) noexcept {
  if (handle == nullptr) return;
  if (!release_live(handle, HandleName<T>::value)) {
    set_last_error(fmt::format("{}: the argument is not a live {} (freed already, or never created by earlyhelp); "
                               "nothing was freed",
                               fn, HandleName<T>::value));
    return;
  }
  delete handle;
}

/// The handle, checked: not NULL, and live with its type.
/// @throws InvalidArgument naming the function and the argument.
template <class T>
T& live(const char* fn, const char* arg, T* handle) {
  EH_CHECK(handle != nullptr, "{}: argument '{}' is NULL", fn, arg);
  EH_CHECK(is_live(handle, HandleName<std::remove_const_t<T>>::value),
           "{}: argument '{}' is not a live {} (freed, never created by earlyhelp, or another handle type)", fn,
           arg, HandleName<std::remove_const_t<T>>::value);
  return *handle;
}

}  // namespace earlyhelp::capi

/// Checks a handle argument (see live()) and yields a reference to it.
#define EH_LIVE(func, handle) ::earlyhelp::capi::live(func, #handle, handle)
