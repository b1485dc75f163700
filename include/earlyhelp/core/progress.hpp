// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Progress of the long calls (link, features, profile, synth, forecast): one callback type,
/// carried in each call's options, told the stage name, the units done and the units in the
/// stage. The calls report at stage boundaries and coarse steps only (a blocking rule, a block of
/// 65536 rows, a domain, a scenario), never per pair or per row, so the cost is a few calls per
/// run; with no callback it is one branch.
///
/// Every stage is announced with `done == 0` and ends with `done == total`; stages arrive in the
/// call's order and `done` never decreases within a stage. The callback is invoked on the thread
/// that made the call, never from the library's worker threads; a `Progress` serialises its
/// calls with a mutex shared by its copies, so one callback may also serve calls running at once
/// on several threads.
///
/// Example:
/// ```cpp
/// earlyhelp::linkage::Settings s;
/// s.progress = [](std::string_view stage, std::uint64_t done, std::uint64_t total) {
///   fmt::print(stderr, "{} {}/{}\n", stage, done, total);
/// };
/// earlyhelp::linkage::link(records, s);   // fit 0/3 ... fit 3/3, predict 0/N ... cluster 1/1
/// ```

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <utility>

namespace earlyhelp {

/// The progress callback: stage name, units done, units in the stage.
using ProgressCallback = std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)>;

/// An optional progress callback as the options of a long call hold it (see the file comment).
/// Empty by default: reporting costs one branch. Copies share the callback and its mutex.
class Progress {
 public:
  Progress() = default;
  /// Wraps `callback`: anything a ProgressCallback can hold (an empty std::function or a null
  /// function pointer gives an empty Progress). Implicit, so options read `o.progress = fn;`.
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Progress> &&
                                              std::is_constructible_v<ProgressCallback, F>>>
  Progress(F&& callback) {  // NOLINT(google-explicit-constructor)
    ProgressCallback fn(std::forward<F>(callback));
    if (!fn) return;
    callback_ = std::make_shared<Shared>();
    callback_->fn = std::move(fn);
  }

  /// Whether a callback is set.
  explicit operator bool() const noexcept { return callback_ != nullptr; }

  /// Reports `done` of `total` units of `stage`; nothing without a callback.
  /// @throws whatever the callback throws (it ends the call: e.g. an interrupt from Python).
  void operator()(std::string_view stage, std::uint64_t done, std::uint64_t total) const {
    if (!callback_) return;
    std::lock_guard<std::mutex> lock(callback_->mutex);
    callback_->fn(stage, done, total);
  }

 private:
  struct Shared {
    ProgressCallback fn;
    std::mutex mutex;
  };
  std::shared_ptr<Shared> callback_;
};

}  // namespace earlyhelp
