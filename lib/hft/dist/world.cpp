#include "hft/dist/world.h"

#include <memory>
#include <mutex>

#include "hft/dist/environment.h"  // process_environment

namespace hft::dist {
namespace {

std::mutex g_mutex;
std::unique_ptr<Group> g_world;

}  // namespace

Group& join_world(Backend backend, std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_world) g_world = std::make_unique<Group>(process_environment(), backend, timeout);
  return *g_world;
}

Group& world() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_world) {
    // Never joined: a distributed job must join first (its ranks would wait on each other here
    // otherwise); a single process gets its world of one.
    if (process_environment().distributed())
      throw std::logic_error("dist::world() before dist::join_world() in a distributed job");
    g_world = std::make_unique<Group>();
  }
  return *g_world;
}

}  // namespace hft::dist
