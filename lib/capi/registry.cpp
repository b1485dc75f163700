// SPDX-License-Identifier: Apache-2.0
// The C API's live-handle registry (registry.hpp).
#include "registry.hpp"

#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace earlyhelp::capi {
namespace {

struct Registry {
  std::shared_mutex mutex;
  std::unordered_map<const void*, const char*> live;  // handle -> its type's name (static storage)
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: handles may be freed during exit
  return *r;
}

}  // namespace

void register_live(const void* handle, const char* type) {
  Registry& r = registry();
  const std::unique_lock lock(r.mutex);
  r.live[handle] = type;
}

bool release_live(const void* handle, const char* type) noexcept {
  Registry& r = registry();
  const std::unique_lock lock(r.mutex);
  const auto it = r.live.find(handle);
  if (it == r.live.end() || std::strcmp(it->second, type) != 0) return false;
  r.live.erase(it);
  return true;
}

bool is_live(const void* handle, const char* type) noexcept {
  Registry& r = registry();
  const std::shared_lock lock(r.mutex);
  const auto it = r.live.find(handle);
  return it != r.live.end() && std::strcmp(it->second, type) == 0;
}

}  // namespace earlyhelp::capi
