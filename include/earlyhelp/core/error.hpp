// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The exception hierarchy every earlyhelp component throws, and the EH_CHECK helper.
///
/// Messages follow "<function>: <what> (<values>)", for example
/// `"predict: X has 3 columns, model expects 2"`. Raw personal identifiers never appear in them:
/// name the field and the row, not the value.

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace earlyhelp {

/// Base of all earlyhelp errors (Python: `earlyhelp.Error`, a RuntimeError; C: EH_ERR_RUNTIME).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A caller passed something invalid: wrong shape, out of range, NaN, unknown field
/// (Python: `earlyhelp.InvalidArgument`, a ValueError; C: EH_ERR_INVALID_ARGUMENT).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A schema file or a record does not follow the schema (Python: `earlyhelp.SchemaError`).
class SchemaError : public InvalidArgument {
 public:
  using InvalidArgument::InvalidArgument;
};

/// Bytes that cannot be read: malformed CSV, bad or unknown-version archive, corrupt envelope
/// (Python: `earlyhelp.FormatError`, a ValueError; C: EH_ERR_FORMAT).
class FormatError : public Error {
 public:
  using Error::Error;
};

/// An object is used in the wrong state, e.g. predicting with an unfitted model
/// (Python: `earlyhelp.StateError`, a RuntimeError; C: EH_ERR_STATE).
class StateError : public Error {
 public:
  using Error::Error;
};

/// An operating-system level failure: a file that cannot be opened or written
/// (Python: `earlyhelp.IOError`, an OSError; C: EH_ERR_IO).
class IOError : public Error {
 public:
  using Error::Error;
};

namespace detail {
/// Formats a message and throws `E`; kept out of line of the check so the fast path stays small.
template <class E, class... Args>
[[noreturn]] void throw_error(fmt::format_string<Args...> f, Args&&... args) {
  throw E(fmt::format(f, std::forward<Args>(args)...));
}
}  // namespace detail

}  // namespace earlyhelp

/// Throws earlyhelp::InvalidArgument with a fmt-formatted message when `cond` is false.
/// Example: `EH_CHECK(x.cols() == n, "predict: X has {} columns, model expects {}", x.cols(), n);`
#define EH_CHECK(cond, ...)                                                   \
  do {                                                                        \
    if (!(cond)) ::earlyhelp::detail::throw_error<::earlyhelp::InvalidArgument>(__VA_ARGS__); \
  } while (false)

/// Debug-only internal invariant.
#ifdef NDEBUG
#define EH_ASSERT(cond) ((void)0)
#else
#include <cassert>
#define EH_ASSERT(cond) assert(cond)
#endif
