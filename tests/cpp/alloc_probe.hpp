// SPDX-License-Identifier: Apache-2.0
#pragma once

// Allocation probe for the tests: while armed, records the largest single allocation and the
// peak of the bytes live (allocated since arming, less those freed) made through the global
// operator new (replaced in alloc_probe.cpp), and can make operator new fail once the live bytes
// would pass a limit. Used to show that readers keep bounded memory on hostile input and that
// running out of memory is an exception, never an abort.

#include <cstddef>

namespace eh_test {
void alloc_probe_arm(bool on) noexcept;
void alloc_probe_reset() noexcept;
std::size_t alloc_probe_largest() noexcept;
/// Peak of the live bytes since the last reset (allocator block sizes, while armed).
std::size_t alloc_probe_peak() noexcept;
/// While armed, operator new throws std::bad_alloc (the nothrow form returns null) when the live
/// bytes would pass `bytes`; 0 removes the limit.
void alloc_probe_limit(std::size_t bytes) noexcept;
}  // namespace eh_test
