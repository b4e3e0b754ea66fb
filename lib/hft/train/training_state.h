// What a checkpoint holds beyond the model, so that a resumed run continues exactly where the
// saved one was: the optimizer's moments and step counts, the random number generators (dropout
// masks), and the loop's progress (trainer_state.json in the Trainer's format, plus the loss
// sums in hft_loop_state.json).
#pragma once

#include <torch/optim/optimizer.h>

#include <string>
#include <vector>

#include "hft/train/training_loop.h"  // LoopProgress

namespace hft::train {

inline constexpr const char* kOptimizerFile = "hft_optimizer.pt";  // LibTorch's format, not the Trainer's optimizer.pt
inline constexpr const char* kRngStateFile = "hft_rng_state.pt";
inline constexpr const char* kLoopStateFile = "hft_loop_state.json";

// This process's generator states, the CPU's then each GPU's, end to end: uint8 [bytes].
torch::Tensor generator_states();
// Sets the generators from what generator_states() returned; false (nothing set) when the sizes
// do not fit, as on a machine with another number of GPUs.
bool restore_generator_states(const torch::Tensor& states);

// Writes trainer_state.json and the loss sums; unless save_only_model (null states) also the
// optimizer and every rank's generator states (element r: rank r's generator_states()).
void save_training_state(const std::string& folder, const LoopProgress& progress, torch::optim::Optimizer& optimizer,
                         const std::vector<torch::Tensor>* generator_states_by_rank);

struct ResumedState {
  LoopProgress progress;     // where the loop continues from
  bool generators_restored = false;  // false: the checkpoint has no states for this rank
};

// Reads what save_training_state wrote into `optimizer` and rank `rank`'s generators. Throws
// CheckpointError naming the file that is missing or bad.
ResumedState load_training_state(const std::string& folder, torch::optim::Optimizer& optimizer, int64_t rank);

// A checkpoint that cannot be resumed from (bad input: exit 2).
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace hft::train
