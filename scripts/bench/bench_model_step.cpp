// bench_model_step: one training step on one batch through an hft model (forward, backward, then
// clipping to norm 1 and AdamW as the training loop runs them), timed part by part, for
// scripts/bench/model_step.py (which runs the same steps through transformers). Prints one JSON
// object: {"load_s", "forward_s": [...], "backward_s": [...], "optimizer_s": [...], "step_s": [...],
// "peak_rss_above_start_bytes"}: the last is the peak resident memory while stepping above the
// resident memory before the first step (activations, gradients, optimizer state).
// Usage: bench_model_step MODEL_DIR BATCH.safetensors fp32|bf16 WARMUP REPEATS THREADS [CHECKPOINTING 0|1]
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "hft/model/pretrained.h"     // from_pretrained
#include "hft/model/safetensors.h"    // SafetensorsFile
#include "hft/train/optimizer.h"      // make_adamw, clip_grad_norm: the training loop's
#include "hft/train/mixed_precision.h"  // AutocastScope: bf16 exactly as the training loop runs it

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A field of /proc/self/status in bytes (VmRSS: resident now; VmHWM: the peak since the last reset).
int64_t status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1) * 1024;
  return -1;
}

// Makes VmHWM start again from the current resident memory (Linux: clear_refs 5).
bool reset_peak_rss() { return static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5"); }

struct StepTimes {
  double forward_s = 0, backward_s = 0, optimizer_s = 0;
};

// One training step: forward (under autocast when bf16, as the Trainer wraps it), backward,
// clipping and the AdamW update (the recipe defaults: adamw_torch_fused, max_grad_norm 1).
StepTimes step(hft::model::TaskModel& model, torch::optim::Optimizer& optimizer,
               const std::vector<torch::Tensor>& parameters, const hft::data::Batch& batch, bool bf16) {
  optimizer.zero_grad(/*set_to_none=*/true);
  const auto start = Clock::now();
  torch::Tensor loss;
  {
    hft::train::AutocastScope autocast(bf16, c10::DeviceType::CPU);
    loss = model.forward(batch).loss;
  }
  const double forward_s = seconds_since(start);
  const auto backward_start = Clock::now();
  loss.backward();
  const double backward_s = seconds_since(backward_start);
  const auto optimizer_start = Clock::now();
  hft::train::clip_grad_norm(parameters, 1.0);
  optimizer.step();
  return {forward_s, backward_s, seconds_since(optimizer_start)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7 && argc != 8) {
    std::fprintf(stderr, "usage: bench_model_step MODEL_DIR BATCH.safetensors fp32|bf16 WARMUP REPEATS THREADS "
                         "[CHECKPOINTING 0|1]\n");
    return 2;
  }
  const std::string dtype = argv[3];
  const int warmup = std::atoi(argv[4]), repeats = std::atoi(argv[5]);
  at::set_num_threads(std::atoi(argv[6]));
  const auto load_start = Clock::now();
  hft::model::PretrainedModel model = hft::model::from_pretrained(argv[1]);
  const hft::model::SafetensorsFile stored(argv[2]);
  const hft::data::Batch batch{stored.tensor("input_ids").clone(), stored.tensor("attention_mask").clone(),
                                      stored.tensor("token_type_ids").clone(), stored.tensor("labels").clone()};
  const double load_s = seconds_since(load_start);
  model.module->train();
  model.module->set_activation_recomputation(argc == 8 && std::string(argv[7]) == "1");
  const auto optimizer = hft::train::make_adamw(*model.module, hft::config::TrainingArguments{});
  std::vector<torch::Tensor> parameters;
  for (const auto& p : model.module->parameters())
    if (p.requires_grad()) parameters.push_back(p);
  nlohmann::json out = {{"load_s", load_s}, {"forward_s", nlohmann::json::array()}, {"backward_s", nlohmann::json::array()},
                        {"optimizer_s", nlohmann::json::array()}, {"step_s", nlohmann::json::array()}};
  const int64_t start_rss = status_bytes("VmRSS");
  const bool peak_reset = reset_peak_rss();
  for (int i = 0; i < warmup + repeats; ++i) {
    const StepTimes times = step(*model.module, *optimizer, parameters, batch, dtype == "bf16");
    if (i < warmup) continue;
    out["forward_s"].push_back(times.forward_s);
    out["backward_s"].push_back(times.backward_s);
    out["optimizer_s"].push_back(times.optimizer_s);
    out["step_s"].push_back(times.forward_s + times.backward_s + times.optimizer_s);
  }
  out["peak_rss_above_start_bytes"] = peak_reset ? status_bytes("VmHWM") - start_rss : -1;
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
