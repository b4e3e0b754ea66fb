// What a checkpoint holds beyond the model, so that a resumed run continues exactly where the
// saved one was: the optimizer's moments and step counts, the random number generators (dropout
// masks), and the loop's progress (trainer_state.json in the Trainer's format, plus the loss
// sums in hft_loop_state.json).
#pragma once

#include <torch/optim/optimizer.h>

#include <optional>
#include <string>
#include <vector>

#include "hft/train/checkpoint_error.h"  // CheckpointError
#include "hft/train/training_loop.h"     // SavedProgress

namespace hft::train {

inline constexpr const char* kOptimizerFile = "hft_optimizer.pt";  // LibTorch's format, not the Trainer's optimizer.pt
inline constexpr const char* kRngStateFile = "hft_rng_state.pt";
inline constexpr const char* kLoopStateFile = "hft_loop_state.json";
inline constexpr const char* kTrainerStateFile = "trainer_state.json";
inline constexpr const char* kRecipeFile = "hft_recipe.yaml";

// The files every checkpoint hft writes lists in its manifest: the model (or with `adapters` its
// LoRA adapters), the loop's state, the recipe; with `resumable`, also the optimizer and generator
// states (save_only_model leaves them out).
std::vector<std::string> checkpoint_files(bool resumable, bool adapters = false);

// This process's generator states, the CPU's then each GPU's, end to end: uint8 [bytes].
torch::Tensor generator_states();
// Sets the generators from what generator_states() returned; false (nothing set) when the sizes
// do not fit, as on a machine with another number of GPUs.
bool restore_generator_states(const torch::Tensor& states);

// Writes trainer_state.json and the loss sums; unless save_only_model (null states) also the
// optimizer and every rank's generator states (element r: rank r's generator_states()). A failed
// write (a full disk) throws std::runtime_error naming the file and the system's reason.
void save_resume_state(const std::string& folder, const SavedProgress& progress, torch::optim::Optimizer& optimizer,
                         const std::vector<torch::Tensor>* generator_states_by_rank);

// Where a checkpoint's run stood: trainer_state.json and hft_loop_state.json, every field checked.
struct ResumePoint {
  SavedProgress progress;
  std::optional<int64_t> world_size;  // processes of the run that saved it; unknown in older checkpoints
};

// Throws CheckpointError naming the file and the key that is missing, of the wrong type or out of range.
ResumePoint read_resume_point(const std::string& folder);

struct ResumedState {
  SavedProgress progress;     // where the loop continues from
  bool generators_restored = false;  // false: the checkpoint has no states for this rank
  std::optional<int64_t> world_size;
};

// Reads what save_resume_state wrote into `optimizer` and rank `rank`'s generators. Throws
// CheckpointError naming the file that is missing or bad.
ResumedState load_resume_state(const std::string& folder, torch::optim::Optimizer& optimizer, int64_t rank);

}  // namespace hft::train
