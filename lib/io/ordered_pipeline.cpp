// SPDX-License-Identifier: Apache-2.0
// The scheduler of an OrderedPipeline (see ordered_pipeline.hpp): one mutex guards which item
// each stage is at; the stages run outside it. Tasks are whole chunks (hundreds of KiB), so the
// lock is taken a few times per chunk and is never contended for long.

#include "io/ordered_pipeline.hpp"

#include "earlyhelp/core/error.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace earlyhelp::io::detail {

namespace {

class Scheduler {
 public:
  Scheduler(const OrderedPipeline& p, std::size_t threads, std::size_t slots)
      : p_(p), threads_(threads), slots_(slots), worked_(slots, 0), tail_next_(p.tail.size(), 0),
        tail_busy_(p.tail.size(), 0) {}

  // One thread's loop: takes ready tasks until every item is through or a task failed.
  void loop(std::size_t worker) {
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      if (failed_ || finished()) return;
      const Task t = pick();
      if (t.kind == Kind::none) {
        cv_.wait(lock);
        continue;
      }
      lock.unlock();
      bool got = false;
      std::exception_ptr source_error;
      try {
        switch (t.kind) {
          case Kind::source:
            try {
              got = p_.source(t.slot);
            } catch (...) {
              source_error = std::current_exception();
            }
            break;
          case Kind::work: p_.work(worker, t.slot); break;
          case Kind::tail: p_.tail[t.stage](t.slot); break;
          case Kind::none: break;
        }
        if (worker == 0 && p_.after_caller_task) p_.after_caller_task();
      } catch (...) {
        lock.lock();
        if (!failed_) error_ = std::current_exception();
        failed_ = true;
        cv_.notify_all();
        return;
      }
      lock.lock();
      switch (t.kind) {
        case Kind::source:
          source_busy_ = false;
          if (got) {
            ++sourced_;
          } else {
            // The end of the input, or an error met there: the items before it still go through.
            source_done_ = true;
            source_error_ = source_error;
          }
          break;
        case Kind::work: worked_[t.slot] = 1; break;
        case Kind::tail:
          tail_busy_[t.stage] = 0;
          ++tail_next_[t.stage];
          break;
        case Kind::none: break;
      }
      cv_.notify_all();
    }
  }

  // After every thread has left loop().
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
    if (source_error_) std::rethrow_exception(source_error_);
  }

 private:
  enum class Kind { none, source, work, tail };
  struct Task {
    Kind kind = Kind::none;
    std::size_t slot = 0;
    std::size_t stage = 0;
  };

  bool finished() const noexcept { return source_done_ && !source_busy_ && tail_next_.back() == sourced_; }

  // The next task to run (state under the lock), marked as taken. The serial tail first, from its
  // last stage back: it bounds the run's time. Then the source while fewer items wait for work
  // than there are threads, the work, and the source again if a slot is free.
  Task pick() {
    for (std::size_t s = p_.tail.size(); s-- > 0;) {
      const std::size_t q = tail_next_[s];
      if (tail_busy_[s] || q >= sourced_) continue;
      if (s == 0 ? worked_[q % slots_] == 0 : tail_next_[s - 1] <= q) continue;
      tail_busy_[s] = 1;
      return Task{Kind::tail, q % slots_, s};
    }
    const bool source_ready = !source_busy_ && !source_done_ && sourced_ - tail_next_.back() < slots_;
    if (source_ready && sourced_ - dispatched_ < threads_) return take_source();
    if (dispatched_ < sourced_) return Task{Kind::work, dispatched_++ % slots_, 0};
    if (source_ready) return take_source();
    return Task{};
  }

  Task take_source() {
    source_busy_ = true;
    const std::size_t slot = sourced_ % slots_;
    worked_[slot] = 0;
    return Task{Kind::source, slot, 0};
  }

  const OrderedPipeline& p_;
  const std::size_t threads_;
  const std::size_t slots_;
  std::mutex m_;
  std::condition_variable cv_;
  std::size_t sourced_ = 0;     // items the source has filled: 0 .. sourced_ - 1
  bool source_busy_ = false;
  bool source_done_ = false;
  std::size_t dispatched_ = 0;  // items whose work has started (in item order)
  std::vector<char> worked_;    // per slot: the work on its item is done
  std::vector<std::size_t> tail_next_;  // per tail stage: the next item it takes
  std::vector<char> tail_busy_;
  bool failed_ = false;
  std::exception_ptr error_;         // the first work or tail task that threw
  std::exception_ptr source_error_;  // what the source threw, after the items before it
};

}  // namespace

void OrderedPipeline::run(std::size_t threads, std::size_t slots) const {
  if (tail.empty() || !source || !work) throw InvalidArgument("OrderedPipeline::run: a source, a work and a tail stage are needed");
  threads = std::max<std::size_t>(threads, 1);
  slots = std::max<std::size_t>(slots, 1);
  Scheduler s(*this, threads, slots);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t w = 1; w < threads; ++w) {
    try {
      pool.emplace_back([&s, w] { s.loop(w); });
    } catch (const std::system_error&) {
      break;  // the threads started (and the calling one) do the work: the result is the same
    }
  }
  s.loop(0);
  for (auto& t : pool) t.join();
  s.rethrow();
}

}  // namespace earlyhelp::io::detail
