// SPDX-License-Identifier: Apache-2.0
// A Python progress callable as the library's Progress (core/progress.hpp).

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string_view>

namespace py = pybind11;

namespace earlyhelp::python {

Progress progress_from(const py::object& callback) {
  if (callback.is_none()) return {};
  if (!PyCallable_Check(callback.ptr()))
    throw InvalidArgument("progress: expected a callable(stage, done, total) or None");
  // Copies of the Progress share this holder and never touch the reference count, so they may be
  // made and dropped without the GIL (the long calls release it); the last one takes the GIL to
  // let the callable go.
  std::shared_ptr<py::object> fn(new py::object(callback), [](py::object* p) {
    py::gil_scoped_acquire gil;
    delete p;
  });
  return [fn](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    py::gil_scoped_acquire gil;  // the only place the GIL is taken back during a long call
    (*fn)(py::str(stage.data(), stage.size()), done, total);
  };
}

}  // namespace earlyhelp::python
