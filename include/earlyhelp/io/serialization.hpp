// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The only place Boost.Serialization appears. `to_bytes` / `from_bytes` run a portable-enough
/// binary archive (no class-info header tracking across builds of different Boost versions is
/// relied on: our payloads carry their own magic and format version inside the envelope of
/// io/envelope.hpp, which is verified before `from_bytes` reads a byte). Include this only from
/// lib/ .cpp files that define `serialize(Archive&, T&, unsigned)` for their plain state structs.
///
/// The envelope proves a payload is intact, not that it is friendly: anyone can seal an unsigned
/// file. So `from_bytes` reads through BoundedBinaryIArchive, which checks every length Boost
/// would otherwise trust before it allocates for it: a string longer than the bytes left, or a
/// collection whose elements would need more than kMaxAmplification times the bytes left, is a
/// FormatError. Memory spent on a hostile archive before it is refused is thereby bounded by a
/// small multiple of its size.

#include "earlyhelp/core/error.hpp"

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive_impl.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/array_optimization.hpp>
#include <boost/serialization/collection_size_type.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <cstddef>
#include <exception>
#include <new>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::io {

namespace detail {

/// Reads a string_view in place (the payload is not copied).
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view bytes) {
    // The get area is only ever read.
    char* p = const_cast<char*>(bytes.data());
    setg(p, p, p + bytes.size());
  }
  /// Bytes not yet read.
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(egptr() - gptr()); }
};

/// Largest ratio of memory to the bytes left that one collection may claim. Honest archives
/// need at most ~4 (an empty std::string takes 8 bytes on disk and 32 in memory; a tree's seven
/// empty arrays take 68 and 224).
inline constexpr std::size_t kMaxAmplification = 16;

/// Boost's binary input archive (same format as binary_iarchive) that refuses impossible
/// lengths before allocating and bools that are neither 0 nor 1 (explicitly instantiated in
/// lib/io/serialization.cpp). Throws std::length_error; from_bytes reports it as a FormatError.
class BoundedBinaryIArchive
    : public boost::archive::binary_iarchive_impl<BoundedBinaryIArchive, char,
                                                  std::char_traits<char>> {
  using Base =
      boost::archive::binary_iarchive_impl<BoundedBinaryIArchive, char, std::char_traits<char>>;
  friend class boost::archive::detail::interface_iarchive<BoundedBinaryIArchive>;
  friend class boost::archive::basic_binary_iarchive<BoundedBinaryIArchive>;
  friend class boost::archive::basic_binary_iprimitive<BoundedBinaryIArchive, char,
                                                       std::char_traits<char>>;
  friend class boost::archive::load_access;

 public:
  explicit BoundedBinaryIArchive(ViewBuf& buf)
      : Base(buf, boost::archive::no_header), buf_(buf) {}

 private:
  // Every value read passes through load_override (Boost's archive interface).
  template <class T>
  void load_override(T& t) {
    Base::load_override(t);
  }
  // A vector reads its count first: remember its element size for that count.
  template <class T, class A>
  void load_override(std::vector<T, A>& v) {
    element_bytes_ = sizeof(T);
    Base::load_override(v);
  }
  void load_override(boost::serialization::collection_size_type& count) {
    Base::load_override(count);
    const std::size_t n = static_cast<const boost::serialization::collection_size_type&>(count);
    const std::size_t element_bytes = element_bytes_;
    element_bytes_ = 1;  // maps and sets allocate one element at a time
    if (n > kMaxAmplification * buf_.remaining() / element_bytes) {
      throw std::length_error(fmt::format("a count of {} items of {} bytes with {} bytes left", n,
                                          element_bytes, buf_.remaining()));
    }
  }

  // Primitives (load_access calls these on the most derived archive).
  using Base::load;
  void load(std::string& s) {
    std::size_t n = 0;
    Base::load(n);
    if (n > buf_.remaining()) {
      throw std::length_error(
          fmt::format("a string of {} bytes with {} bytes left", n, buf_.remaining()));
    }
    s.resize(n);
    if (n > 0) load_binary(s.data(), n);
  }
  void load(bool& b) {
    unsigned char c = 0;
    load_binary(&c, 1);
    if (c > 1) throw std::length_error(fmt::format("a boolean stored as {}", c));
    b = c == 1;
  }

  ViewBuf& buf_;
  std::size_t element_bytes_ = 1;
};

}  // namespace detail

}  // namespace earlyhelp::io

// Arrays of numbers are one block, as binary_iarchive reads them (the format depends on it).
BOOST_SERIALIZATION_USE_ARRAY_OPTIMIZATION(earlyhelp::io::detail::BoundedBinaryIArchive)

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

/// Reads what to_bytes wrote. Lengths are checked against the bytes left before anything is
/// allocated (see the file comment), so hostile bytes are refused within bounded memory.
/// @throws FormatError when the archive is malformed (named by `what`).
template <class T>
T from_bytes(std::string_view bytes, std::string_view what) {
  T value{};
  try {
    detail::ViewBuf buf(bytes);
    detail::BoundedBinaryIArchive ar(buf);
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
