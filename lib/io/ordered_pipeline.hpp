// SPDX-License-Identifier: Apache-2.0
// A pipeline of numbered items without barriers between steps, for the parallel validate_stream
// (lib/io/ingest_parallel.cpp). Private to the library.
//
// Each item goes through, in this order:
// - the source: serial and in item order (cuts the next chunk of the input);
// - the work: on any thread, several items at once, in any order (tokenises, checks, formats);
// - the tail stages: each serial and in item order, each on one thread at a time, while different
//   tail stages run at once on different items (the unique-key check, then the sink).
// An item lives in one of a fixed number of slots from its source call to the end of its last
// tail stage, and the source fills a slot only once the item before in it has left: memory stays
// bounded. Threads take whichever task is ready, the tail stages first (they are the serial part
// of the run), so the key check and the sink of item i overlap the work on items i+1.. and the
// cutting of the next items, instead of waiting at a step's barrier for the slowest task (TBB's
// parallel_pipeline with serial_in_order filters works this way).
//
// The result depends only on the stages: the source and each tail stage see the items in order,
// one at a time, whatever the thread count and timing.

#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace earlyhelp::io::detail {

struct OrderedPipeline {
  /// Fills `slot` with the next item; false when there is none (the slot stays unused).
  std::function<bool(std::size_t slot)> source;
  /// The parallel work on the item in `slot`; `worker` in [0, threads) names the thread (0 is the
  /// calling thread), for per-thread state.
  std::function<void(std::size_t worker, std::size_t slot)> work;
  /// The serial tail stages, in the order an item goes through them (at least one).
  std::vector<std::function<void(std::size_t slot)>> tail;
  /// Called on the calling thread after each task it ran (for progress); may be empty.
  std::function<void()> after_caller_task;

  /// Runs every item through the stages on `threads` threads (the calling thread and threads - 1
  /// more; fewer if the system refuses one) with at most `slots` items in flight.
  /// @throws the first exception a work or tail task threw (the other threads stop at their next
  /// task; nothing is left running); else, once every item before it has gone through all
  /// stages, the exception the source threw, as a serial reader would meet it.
  void run(std::size_t threads, std::size_t slots) const;
};

}  // namespace earlyhelp::io::detail
