#include "hft/train/resume_state.h"

#include <ATen/Context.h>
#include <fcntl.h>
#include <torch/cuda.h>
#include <torch/serialize.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "hft/checkpoint/atomic_file.h"  // write_json_atomically
#include "hft/error.h"  // RunFailure
#include "hft/model/adapter_files.h"  // kAdapterConfigFile, kAdapterWeightsFile
#include "hft/train/state_fields.h"      // StateFields

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

nlohmann::json loop_state_json(const SavedProgress& progress, std::optional<size_t> world_size) {
  const LossSums& sums = progress.losses;
  const LossScaleState& scale = progress.loss_scale;
  nlohmann::json state = {{"logged_total", sums.logged_total},
                          {"since_last_log", sums.since_last_log},
                          {"last_logged_step", sums.last_logged_step},
                          {"loss_scale", scale.scale},
                          {"loss_scale_growth_tracker", scale.growth_tracker},
                          {"steps_skipped_by_loss_scale", scale.skipped_steps}};
  if (world_size) state["world_size"] = *world_size;
  return state;
}

// hft_loop_state.json (at `path`); `global_step` bounds the step of the last log.
void read_loop_state(const nlohmann::json& json, const std::string& path, int64_t global_step, ResumePoint& point) {
  const StateFields fields(json, path);
  SavedProgress& progress = point.progress;
  progress.losses = {fields.number("logged_total", 0.0), fields.number("since_last_log", 0.0),
                     fields.count("last_logged_step", 0)};
  if (progress.losses.last_logged_step > global_step)
    fields.fail("last_logged_step", "a step no later than trainer_state.json's global_step " + std::to_string(global_step));
  progress.loss_scale = {fields.number("loss_scale", 0.0), fields.count("loss_scale_growth_tracker", 0),
                         fields.count("steps_skipped_by_loss_scale", 0)};
  if (!(progress.loss_scale.scale >= 0)) fields.fail("loss_scale", "a number, 0 or more");
  point.world_size = fields.optional_count("world_size");
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

// Writes `size` bytes (nullptr: skips them) unless an earlier write failed; keeps the first error.
void write_or_remember(int fd, const void* data, size_t size, int& error) {
  if (error != 0) return;
  if (!data) {
    if (::lseek(fd, static_cast<off_t>(size), SEEK_CUR) < 0) error = errno;
    return;
  }
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      return;
    }
    bytes += n;
    size -= static_cast<size_t>(n);
  }
}

// torch::save into `path` through hft's own writes. LibTorch's file writer ends the process
// (its destructor throws while the write error unwinds) when a write fails, as on a full disk;
// here LibTorch is always told the bytes were written, and the first error is thrown after it.
template <class Value> void save_torch_file(const Value& value, const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw RunFailure("cannot create " + path + ": " + std::strerror(errno));
  int error = 0;
  try {
    torch::save(value, [&](const void* data, size_t size) -> size_t {
      write_or_remember(fd, data, size, error);
      return size;
    });
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) throw RunFailure("cannot write " + path + ": " + std::strerror(error));
}

}  // namespace

std::vector<std::string> checkpoint_files(bool resumable, bool adapters) {
  std::vector<std::string> files = {"config.json", adapters ? model::kAdapterWeightsFile : "model.safetensors",
                                    kTrainerStateFile, kLoopStateFile, kRecipeFile};
  if (adapters) files.push_back(model::kAdapterConfigFile);
  if (resumable) files.insert(files.end(), {kOptimizerFile, kRngStateFile});
  return files;
}

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

void save_resume_state(const std::string& folder, const SavedProgress& progress, torch::optim::Optimizer& optimizer,
                         const std::vector<torch::Tensor>* generator_states_by_rank) {
  const fs::path dir(folder);
  const auto world_size = generator_states_by_rank ? std::optional<size_t>(generator_states_by_rank->size()) : std::nullopt;
  checkpoint::write_json_atomically((dir / kTrainerStateFile).string(), to_json(progress.state));
  checkpoint::write_json_atomically((dir / kLoopStateFile).string(), loop_state_json(progress, world_size));
  if (!generator_states_by_rank) return;
  save_torch_file(optimizer, (dir / kOptimizerFile).string());
  save_torch_file(*generator_states_by_rank, (dir / kRngStateFile).string());
}

ResumePoint read_resume_point(const std::string& folder) {
  const fs::path dir(folder);
  ResumePoint point;
  point.progress.state = trainer_state_from_json(read_json(dir / kTrainerStateFile), (dir / kTrainerStateFile).string());
  read_loop_state(read_json(dir / kLoopStateFile), (dir / kLoopStateFile).string(), point.progress.state.global_step, point);
  return point;
}

ResumedState load_resume_state(const std::string& folder, torch::optim::Optimizer& optimizer, int64_t rank) {
  const fs::path dir(folder);
  ResumePoint point = read_resume_point(folder);
  ResumedState resumed;
  resumed.progress = std::move(point.progress);
  resumed.world_size = point.world_size;
  // Onto the parameters' device, whatever device saved it (torch.load's map_location): a state
  // saved on cuda:0 resumes on another rank's GPU, or on a CPU.
  const torch::Device device = optimizer.param_groups().front().params().front().device();
  load_file(dir / kOptimizerFile, [&] { torch::load(optimizer, (dir / kOptimizerFile).string(), device); });
  load_file(dir / kRngStateFile, [&] { resumed.generators_restored = load_rng_states((dir / kRngStateFile).string(), rank); });
  return resumed;
}

}  // namespace hft::train
