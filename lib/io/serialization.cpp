// SPDX-License-Identifier: Apache-2.0
// The bounded Boost input archive of io/serialization.hpp, instantiated once: Boost compiles its
// archive templates into libboost_serialization for its own archive classes only.

#include "earlyhelp/io/serialization.hpp"

#include <boost/archive/impl/archive_serializer_map.ipp>
#include <boost/archive/impl/basic_binary_iarchive.ipp>
#include <boost/archive/impl/basic_binary_iprimitive.ipp>

namespace boost::archive {
template class basic_binary_iprimitive<earlyhelp::io::detail::BoundedBinaryIArchive, char,
                                       std::char_traits<char>>;
template class basic_binary_iarchive<earlyhelp::io::detail::BoundedBinaryIArchive>;
template class detail::archive_serializer_map<earlyhelp::io::detail::BoundedBinaryIArchive>;
}  // namespace boost::archive
