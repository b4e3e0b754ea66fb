#include "hft/train/trainer_state.h"

#include "hft/train/state_fields.h"  // StateFields

namespace hft::train {

namespace {

template <class T> nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// EarlyStoppingCallback's saved counter, which resuming reads: a whole number when present.
void check_early_stopping_state(const nlohmann::json& callbacks, const StateFields& fields) {
  const auto it = callbacks.find("EarlyStoppingCallback");
  if (it == callbacks.end()) return;
  const nlohmann::json::json_pointer counter("/attributes/early_stopping_patience_counter");
  if (!it->is_object() || (it->contains("attributes") && !(*it)["attributes"].is_object()) ||
      (it->contains(counter) && !it->at(counter).is_number_unsigned()))
    fields.fail("stateful_callbacks", "EarlyStoppingCallback's attributes.early_stopping_patience_counter as a whole number");
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

TrainerState trainer_state_from_json(const nlohmann::json& j, const std::string& file) {
  const StateFields fields(j, file);
  TrainerState s;
  s.global_step = fields.count("global_step", std::nullopt);
  s.epoch = fields.number("epoch", 0.0);
  if (!(s.epoch >= 0)) fields.fail("epoch", "a number, 0 or more");
  s.max_steps = fields.count("max_steps", 0);
  s.num_train_epochs = fields.count("num_train_epochs", 0);
  s.logging_steps = fields.count("logging_steps", 0);
  s.eval_steps = fields.count("eval_steps", 0);
  s.save_steps = fields.count("save_steps", 0);
  s.train_batch_size = fields.count("train_batch_size", 0);
  if (const nlohmann::json* history = fields.array("log_history")) {
    for (const auto& entry : *history)
      if (!entry.is_object()) fields.fail("log_history", "a list of objects, one per log entry");
    s.log_history = history->get<std::vector<nlohmann::json>>();
  }
  s.best_metric = fields.optional_number("best_metric");
  s.best_global_step = fields.optional_count("best_global_step");
  s.best_model_checkpoint = fields.optional_string("best_model_checkpoint");
  s.total_flos = fields.number("total_flos", 0.0);
  if (const nlohmann::json* callbacks = fields.object("stateful_callbacks")) s.stateful_callbacks = *callbacks;
  check_early_stopping_state(s.stateful_callbacks, fields);
  return s;
}

}  // namespace hft::train
