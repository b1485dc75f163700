// SPDX-License-Identifier: Apache-2.0
#pragma once

// Allocation probe for the tests: while armed, records the largest single allocation made
// through the global operator new (replaced in alloc_probe.cpp). Used to show that readers keep
// bounded memory on hostile input.

#include <cstddef>

namespace eh_test {
void alloc_probe_arm(bool on) noexcept;
void alloc_probe_reset() noexcept;
std::size_t alloc_probe_largest() noexcept;
}  // namespace eh_test
