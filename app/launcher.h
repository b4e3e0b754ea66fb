// `hft train RECIPE --nproc-per-node N [--nnodes M --node-rank R --master-addr A --master-port P]`:
// starts N workers (`hft train RECIPE ...` with torchrun's variables set), prefixes each line they
// print with their rank, forwards SIGINT/SIGTERM to them, and when one fails stops the others and
// exits non-zero naming the rank.
#pragma once

#include <string>

#include "verbs.h"  // RecipeRequest

namespace hft::app {

struct LaunchRequest {
  int nproc_per_node = 1;  // workers on this node
  int nnodes = 1;
  int node_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  double stop_grace_seconds = 10;  // after one worker exits non-zero, how long the others get before SIGKILL
};

int run_launcher(const RecipeRequest& recipe, const LaunchRequest& launch);

}  // namespace hft::app
