#include "hft/train/best_model.h"

#include <cmath>

namespace hft::train {

std::optional<std::string> best_metric_key(const config::TrainingArguments& args) {
  if (!args.metric_for_best_model) return std::nullopt;
  const std::string& name = *args.metric_for_best_model;
  return name.rfind("eval_", 0) == 0 ? name : "eval_" + name;
}

namespace {

bool better(double value, double best, bool greater_is_better) { return greater_is_better ? value > best : value < best; }

}  // namespace

bool update_best_metric(TrainerState& state, const config::TrainingArguments& args, const nlohmann::json& metrics) {
  const auto key = best_metric_key(args);
  if (!key || !metrics.contains(*key)) return false;
  const double value = metrics[*key].get<double>();
  if (state.best_metric && !better(value, *state.best_metric, args.greater_is_better.value_or(true))) return false;
  state.best_metric = value;
  state.best_global_step = state.global_step;
  return true;
}

EarlyStopping::EarlyStopping(const config::EarlyStoppingArguments& options, const config::TrainingArguments& args)
    : options_(options), args_(args) {}

bool EarlyStopping::should_stop(const TrainerState& state, const nlohmann::json& metrics) {
  const auto key = best_metric_key(args_);
  if (!options_.early_stopping_patience || !key || !metrics.contains(*key)) return false;
  const double value = metrics[*key].get<double>();
  const bool improved = !state.best_metric || (better(value, *state.best_metric, args_.greater_is_better.value_or(true)) &&
                                               std::abs(value - *state.best_metric) > options_.early_stopping_threshold);
  evaluations_without_improvement_ = improved ? 0 : evaluations_without_improvement_ + 1;
  return evaluations_without_improvement_ >= *options_.early_stopping_patience;
}

void EarlyStopping::save_to(TrainerState& state) const {
  if (!options_.early_stopping_patience) return;
  state.stateful_callbacks["EarlyStoppingCallback"] = {
      {"args", {{"early_stopping_patience", *options_.early_stopping_patience},
                {"early_stopping_threshold", options_.early_stopping_threshold}}},
      {"attributes", {{"early_stopping_patience_counter", evaluations_without_improvement_}}}};
}

void EarlyStopping::restore_from(const TrainerState& state) {
  const auto& saved = state.stateful_callbacks;
  if (!saved.contains("EarlyStoppingCallback")) return;
  evaluations_without_improvement_ =
      saved["EarlyStoppingCallback"].value("/attributes/early_stopping_patience_counter"_json_pointer, int64_t{0});
}

}  // namespace hft::train
