#include "hft/config/resolve_defaults.h"

#include <string_view>

namespace hft::config {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void mark_derived(LoadedRecipe& loaded, const std::string& key) {
  loaded.origins[key] = Origin{Origin::Kind::kDerived, "", 0, 0};
}

}  // namespace

void resolve_derived_values(LoadedRecipe& loaded) {
  TrainingArguments& t = loaded.recipe.training;
  if (!t.do_eval && t.eval_strategy != IntervalStrategy::kNo) {
    t.do_eval = true;
    mark_derived(loaded, "do_eval");
  }
  if (t.eval_strategy == IntervalStrategy::kSteps && (!t.eval_steps || *t.eval_steps == 0)) {
    t.eval_steps = t.logging_steps;
    mark_derived(loaded, "eval_steps");
  }
  if (t.load_best_model_at_end && !t.metric_for_best_model) {
    t.metric_for_best_model = "loss";
    mark_derived(loaded, "metric_for_best_model");
  }
  if (!t.greater_is_better && t.metric_for_best_model) {
    t.greater_is_better = !ends_with(*t.metric_for_best_model, "loss");
    mark_derived(loaded, "greater_is_better");
  }
  if (!t.activation_checkpointing) {
    t.activation_checkpointing = false;
    mark_derived(loaded, "activation_checkpointing");
  }
}

}  // namespace hft::config
