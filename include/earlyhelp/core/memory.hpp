// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Giving freed memory back to the operating system after a large structure is gone.
///
/// glibc's allocator keeps the pages of freed small allocations in its heaps, and the heaps of
/// worker threads (each has its own arena) cannot reuse what the main thread's freed. A step that
/// frees a large structure of many small pieces (the linker, 3.4 GB on the 600,000-person county)
/// and then allocates on worker threads (reading the extracts again for the features) would hold
/// both: the process's resident memory only grows. release_free_memory() returns every whole free
/// page of every arena (malloc_trim), so the next step's peak is its own. Elsewhere it does nothing.

#include <cstddef>  // defines __GLIBC__ where it applies

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace earlyhelp {

/// Returns the whole free pages of the allocator's heaps to the operating system (glibc; a no-op
/// elsewhere). Costs a walk over the heaps: call it after freeing something large, not in loops.
inline void release_free_memory() noexcept {
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
}

}  // namespace earlyhelp
