// The process's group for the whole run, shared by the Trainer's parts (training batches,
// gradient averaging, evaluation, checkpoint writing): made once, on every rank, before the
// first collective.
#pragma once

#include <chrono>

#include "hft/dist/process_group.h"  // Group, Backend

namespace hft::dist {

// Joins the job process_environment() describes (a world of one without launcher variables).
// Later calls return the same group; only the first call's arguments count.
Group& join_world(Backend backend, std::chrono::milliseconds timeout);

// The group join_world made; a world of one when it was never called.
Group& world();

// Rank 0 of the world: the one that logs and writes files.
inline bool is_main_process() { return world().rank() == 0; }

}  // namespace hft::dist
