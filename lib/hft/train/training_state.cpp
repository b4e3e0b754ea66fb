#include "hft/train/training_state.h"

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/serialize.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "hft/checkpoint/atomic_file.h"  // write_json_atomically

namespace hft::train {
namespace {

namespace fs = std::filesystem;

// The default generator of the CPU and of each GPU: their states decide dropout masks.
std::vector<c10::Device> generator_devices() {
  std::vector<c10::Device> devices{c10::Device(c10::kCPU)};
  for (c10::DeviceIndex i = 0; i < static_cast<c10::DeviceIndex>(torch::cuda::device_count()); ++i)
    devices.emplace_back(c10::kCUDA, i);
  return devices;
}

// Rank r's generator states: element r of the saved list. False when the checkpoint has none for
// this rank (it was written by fewer processes) or they do not fit this machine's generators.
bool load_rng_states(const std::string& path, int64_t rank) {
  std::vector<torch::Tensor> states_by_rank;
  torch::load(states_by_rank, path);
  if (rank >= static_cast<int64_t>(states_by_rank.size())) return false;
  return restore_generator_states(states_by_rank[rank]);
}

nlohmann::json loop_state_json(const LoopProgress& progress) {
  const LossSums& sums = progress.losses;
  const LossScaleState& scale = progress.loss_scale;
  return {{"logged_total", sums.logged_total},
          {"since_last_log", sums.since_last_log},
          {"last_logged_step", sums.last_logged_step},
          {"loss_scale", scale.scale},
          {"loss_scale_growth_tracker", scale.growth_tracker},
          {"steps_skipped_by_loss_scale", scale.skipped_steps}};
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw CheckpointError(path.string() + ": missing; the checkpoint is incomplete or not one hft wrote");
  nlohmann::json value = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw CheckpointError(path.string() + ": not valid JSON; the checkpoint is damaged");
  return value;
}

// Runs a LibTorch load, turning its exceptions into one line naming the file.
template <class Load> void load_file(const fs::path& path, Load load) {
  if (!fs::exists(path))
    throw CheckpointError(path.string() + ": missing; was the checkpoint saved with save_only_model: true?");
  try {
    load();
  } catch (const c10::Error& e) {
    throw CheckpointError(path.string() + ": cannot be read (" + e.what_without_backtrace() + ")");
  }
}

}  // namespace

torch::Tensor generator_states() {
  std::vector<torch::Tensor> states;
  for (const auto& device : generator_devices()) states.push_back(at::globalContext().defaultGenerator(device).get_state());
  return torch::cat(states);
}

bool restore_generator_states(const torch::Tensor& states) {
  std::vector<at::Generator> generators;
  std::vector<int64_t> sizes;
  for (const auto& device : generator_devices()) {
    generators.push_back(at::globalContext().defaultGenerator(device));  // shares the default one
    sizes.push_back(generators.back().get_state().numel());
  }
  if (states.numel() != std::accumulate(sizes.begin(), sizes.end(), int64_t{0})) return false;  // another number of GPUs
  int64_t offset = 0;
  for (size_t i = 0; i < generators.size(); ++i) {
    generators[i].set_state(states.narrow(0, offset, sizes[i]).clone());
    offset += sizes[i];
  }
  return true;
}

void save_training_state(const std::string& folder, const LoopProgress& progress, torch::optim::Optimizer& optimizer,
                         const std::vector<torch::Tensor>* generator_states_by_rank) {
  const fs::path dir(folder);
  checkpoint::write_json_atomically((dir / "trainer_state.json").string(), to_json(progress.state));
  checkpoint::write_json_atomically((dir / kLoopStateFile).string(), loop_state_json(progress));
  if (!generator_states_by_rank) return;
  torch::save(optimizer, (dir / kOptimizerFile).string());
  torch::save(*generator_states_by_rank, (dir / kRngStateFile).string());
}

ResumedState load_training_state(const std::string& folder, torch::optim::Optimizer& optimizer, int64_t rank) {
  const fs::path dir(folder);
  ResumedState resumed;
  LoopProgress& progress = resumed.progress;
  progress.state = trainer_state_from_json(read_json(dir / "trainer_state.json"));
  const nlohmann::json sums = read_json(dir / kLoopStateFile);
  progress.losses = {sums.value("logged_total", 0.0), sums.value("since_last_log", 0.0),
                     sums.value("last_logged_step", int64_t{0})};
  progress.loss_scale = {sums.value("loss_scale", 0.0), sums.value("loss_scale_growth_tracker", int64_t{0}),
                         sums.value("steps_skipped_by_loss_scale", int64_t{0})};
  load_file(dir / kOptimizerFile, [&] { torch::load(optimizer, (dir / kOptimizerFile).string()); });
  load_file(dir / kRngStateFile, [&] { resumed.generators_restored = load_rng_states((dir / kRngStateFile).string(), rank); });
  return resumed;
}

}  // namespace hft::train
