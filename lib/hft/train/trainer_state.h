// TrainerState: the loop's progress and log history, written as trainer_state.json in the
// Trainer's own format so that tools reading one read the other.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hft::train {

struct TrainerState {
  int64_t global_step = 0;       // optimizer steps taken
  double epoch = 0;              // epochs done, fractional
  int64_t max_steps = 0;
  int64_t num_train_epochs = 0;
  int64_t logging_steps = 0;     // intervals resolved to steps
  int64_t eval_steps = 0;
  int64_t save_steps = 0;
  int64_t train_batch_size = 0;  // per device
  std::vector<nlohmann::json> log_history;
  std::optional<double> best_metric;
  std::optional<int64_t> best_global_step;
  std::optional<std::string> best_model_checkpoint;
  double total_flos = 0;
  // The callbacks' saved state, by callback name ({"EarlyStoppingCallback": {"args": ..., "attributes": ...}}).
  nlohmann::json stateful_callbacks = nlohmann::json::object();
};

nlohmann::json to_json(const TrainerState& state);
// Reads what to_json wrote; a field of the wrong type or range (a damaged file) is a
// CheckpointError naming `file` and the key.
TrainerState trainer_state_from_json(const nlohmann::json& json, const std::string& file = "trainer_state.json");

}  // namespace hft::train
