#include "hft/train/trainer_state.h"

namespace hft::train {

namespace {

template <class T> nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const TrainerState& s) {
  return {{"best_global_step", or_null(s.best_global_step)},
          {"best_metric", or_null(s.best_metric)},
          {"best_model_checkpoint", or_null(s.best_model_checkpoint)},
          {"epoch", s.epoch},
          {"eval_steps", s.eval_steps},
          {"global_step", s.global_step},
          {"is_hyper_param_search", false},
          {"is_local_process_zero", true},
          {"is_world_process_zero", true},
          {"log_history", s.log_history},
          {"logging_steps", s.logging_steps},
          {"max_steps", s.max_steps},
          {"num_input_tokens_seen", 0},
          {"num_train_epochs", s.num_train_epochs},
          {"save_steps", s.save_steps},
          {"stateful_callbacks", s.stateful_callbacks},
          {"total_flos", s.total_flos},
          {"train_batch_size", s.train_batch_size},
          {"trial_name", nullptr},
          {"trial_params", nullptr}};
}

TrainerState trainer_state_from_json(const nlohmann::json& j) {
  TrainerState s;
  s.global_step = j.value("global_step", int64_t{0});
  s.epoch = j.value("epoch", 0.0);
  s.max_steps = j.value("max_steps", int64_t{0});
  s.num_train_epochs = j.value("num_train_epochs", int64_t{0});
  s.logging_steps = j.value("logging_steps", int64_t{0});
  s.eval_steps = j.value("eval_steps", int64_t{0});
  s.save_steps = j.value("save_steps", int64_t{0});
  s.train_batch_size = j.value("train_batch_size", int64_t{0});
  if (j.contains("log_history")) s.log_history = j["log_history"].get<std::vector<nlohmann::json>>();
  if (j.contains("best_metric") && !j["best_metric"].is_null()) s.best_metric = j["best_metric"].get<double>();
  if (j.contains("best_global_step") && !j["best_global_step"].is_null())
    s.best_global_step = j["best_global_step"].get<int64_t>();
  if (j.contains("best_model_checkpoint") && !j["best_model_checkpoint"].is_null())
    s.best_model_checkpoint = j["best_model_checkpoint"].get<std::string>();
  s.total_flos = j.value("total_flos", 0.0);
  if (j.contains("stateful_callbacks") && j["stateful_callbacks"].is_object()) s.stateful_callbacks = j["stateful_callbacks"];
  return s;
}

}  // namespace hft::train
