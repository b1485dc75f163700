// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The only place Boost.Serialization appears. `to_bytes` / `from_bytes` run a portable-enough
/// binary archive (no class-info header tracking across builds of different Boost versions is
/// relied on: our payloads carry their own magic and format version inside the envelope of
/// io/envelope.hpp, which is verified before `from_bytes` reads a byte). Include this only from
/// lib/ .cpp files that define `serialize(Archive&, T&, unsigned)` for their plain state structs.

#include "earlyhelp/core/error.hpp"

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <exception>
#include <new>
#include <stdexcept>
#include <sstream>
#include <string>
#include <string_view>

namespace earlyhelp::io {

/// Serialises `value` with a Boost binary archive.
template <class T>
std::string to_bytes(const T& value) {
  std::ostringstream out(std::ios::binary);
  {
    boost::archive::binary_oarchive ar(out, boost::archive::no_header);
    ar << value;
  }
  return out.str();
}

/// Reads what to_bytes wrote. Call only on bytes whose envelope has been verified.
/// @throws FormatError when the archive is malformed (named by `what`).
template <class T>
T from_bytes(std::string_view bytes, std::string_view what) {
  T value{};
  try {
    std::istringstream in(std::string(bytes), std::ios::binary);
    boost::archive::binary_iarchive ar(in, boost::archive::no_header);
    ar >> value;
  } catch (const boost::archive::archive_exception& e) {
    earlyhelp::detail::throw_error<FormatError>("from_bytes: malformed {} ({})", what, e.what());
  } catch (const std::bad_alloc&) {
    earlyhelp::detail::throw_error<FormatError>("from_bytes: malformed {} (absurd sizes)", what);
  } catch (const std::length_error& e) {
    earlyhelp::detail::throw_error<FormatError>("from_bytes: malformed {} ({})", what, e.what());
  }
  return value;
}

}  // namespace earlyhelp::io
