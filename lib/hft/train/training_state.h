// What a checkpoint holds beyond the model, so that a resumed run continues exactly where the
// saved one was: the optimizer's moments and step counts, the random number generators (dropout
// masks), and the loop's progress (trainer_state.json in the Trainer's format, plus the loss
// sums in hft_loop_state.json).
#pragma once

#include <torch/optim/optimizer.h>

#include <string>

#include "hft/train/training_loop.h"  // LoopProgress

namespace hft::train {

inline constexpr const char* kOptimizerFile = "hft_optimizer.pt";  // LibTorch's format, not the Trainer's optimizer.pt
inline constexpr const char* kRngStateFile = "hft_rng_state.pt";
inline constexpr const char* kLoopStateFile = "hft_loop_state.json";

// Writes trainer_state.json and the loss sums; with `optimizer_and_rng` (not save_only_model)
// also the optimizer and the generators' states.
void save_training_state(const std::string& folder, const LoopProgress& progress, torch::optim::Optimizer& optimizer,
                         bool optimizer_and_rng);

// Reads what save_training_state wrote into `optimizer` and the process's generators; returns
// the progress to continue from. Throws CheckpointError naming the file that is missing or bad.
LoopProgress load_training_state(const std::string& folder, torch::optim::Optimizer& optimizer);

// A checkpoint that cannot be resumed from (bad input: exit 2).
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace hft::train
