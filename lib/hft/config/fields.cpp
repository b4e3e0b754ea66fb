#include "hft/config/fields.h"

#include <cmath>

namespace hft::config {
namespace {

using nlohmann::json;

// --- printing values as JSON -----------------------------------------------------------------
json to_json(bool v) { return v; }
json to_json(int64_t v) { return v; }
json to_json(double v) { return v; }
json to_json(const std::string& v) { return v; }
json to_json(const std::vector<std::string>& v) { return v; }
template <class E>
json to_json(E v)
  requires requires { EnumNames<E>::kNames; }
{
  return std::string(enum_name(v));
}
template <class T> json to_json(const std::optional<T>& v) { return v ? to_json(*v) : json(nullptr); }
json to_json(const ResumeFrom& v) {
  if (v.latest) return true;
  return v.path.empty() ? json(nullptr) : json(v.path);
}
json to_json(const SchedulerKwargs& k) {
  json out = json::object();
  auto put = [&](const char* name, const auto& value) {
    if (value) out[name] = *value;
  };
  put("num_cycles", k.num_cycles), put("power", k.power), put("lr_end", k.lr_end);
  put("min_lr", k.min_lr), put("min_lr_rate", k.min_lr_rate), put("timescale", k.timescale);
  put("num_stable_steps", k.num_stable_steps), put("num_decay_steps", k.num_decay_steps);
  put("decay_type", k.decay_type), put("min_lr_ratio", k.min_lr_ratio);
  return out;
}

// --- range rules: each returns what is expected when the value breaks it ----------------------
template <class T> using Rule = std::function<std::optional<std::string>(const T&)>;

template <class T> Rule<T> at_least(T low) {
  return [low](const T& v) -> std::optional<std::string> {
    if (v >= low) return std::nullopt;
    return "a number >= " + json(low).dump();
  };
}
template <class T> Rule<T> above(T low) {
  return [low](const T& v) -> std::optional<std::string> {
    if (v > low) return std::nullopt;
    return "a number > " + json(low).dump();
  };
}
Rule<double> fraction_below_one() {
  return [](const double& v) -> std::optional<std::string> {
    if (v >= 0 && v < 1) return std::nullopt;
    return "a number in [0, 1)";
  };
}
Rule<double> unit_interval() {
  return [](const double& v) -> std::optional<std::string> {
    if (v > 0 && v <= 1) return std::nullopt;
    return "a number in (0, 1]";
  };
}
// logging_steps, eval_steps, save_steps: a whole number of steps >= 1, or a ratio in (0, 1).
Rule<double> steps_or_ratio() {
  return [](const double& v) -> std::optional<std::string> {
    if (v > 0 && (v < 1 || v == std::floor(v))) return std::nullopt;
    return "a whole number of steps >= 1, or a fraction of the total steps in (0, 1)";
  };
}
Rule<std::vector<std::string>> each_of(std::vector<std::string> allowed) {
  return [allowed](const std::vector<std::string>& names) -> std::optional<std::string> {
    for (const auto& name : names)
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string out = "each one of:";
        for (const auto& a : allowed) out += " " + a;
        return out;
      }
    return std::nullopt;
  };
}
Rule<std::string> one_of(std::vector<std::string> allowed) {
  return [allowed](const std::string& name) -> std::optional<std::string> {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) return std::nullopt;
    std::string out = "one of:";
    for (const auto& a : allowed) out += " " + a;
    return out;
  };
}

// A rule that lists allowed names flags an unknown name; the others flag a value out of range.
std::string problem_for(const std::string& expected) {
  return expected.starts_with("one of") || expected.starts_with("each one of") ? "unknown name" : "out of range";
}

template <class T> struct Inner { using type = T; };
template <class T> struct Inner<std::optional<T>> { using type = T; };

// A FieldSpec from a generic accessor `[](auto& r) -> auto& { return r.section.key; }`.
template <class Access>
FieldSpec field(std::string name, std::string section, Access access,
                Rule<typename Inner<std::remove_cvref_t<decltype(access(std::declval<Recipe&>()))>>::type> rule = {}) {
  using T = std::remove_cvref_t<decltype(access(std::declval<Recipe&>()))>;
  auto read = [access, rule](const RawValue& raw, Recipe& recipe) -> MaybeProblem {
    T value{};
    if (auto problem = read_value(raw, value)) return problem;
    if (rule) {
      if constexpr (std::is_same_v<T, typename Inner<T>::type>) {
        if (auto expected = rule(value)) return Problem{problem_for(*expected), *expected};
      } else if (value) {
        if (auto expected = rule(*value)) return Problem{problem_for(*expected), *expected};
      }
    }
    access(recipe) = std::move(value);
    return std::nullopt;
  };
  auto print = [access](const Recipe& recipe) { return to_json(access(recipe)); };
  return FieldSpec{std::move(name), std::move(section), read, print};
}

#define HFT_KEY(section, key) #key, #section, [](auto& r) -> auto& { return r.section.key; }

const std::vector<std::string> kGlueTasks = {"cola", "mnli", "mrpc", "qnli", "qqp", "rte", "sst2", "stsb", "wnli"};
const std::vector<std::string> kMetrics = {"accuracy", "f1", "f1_macro", "precision", "precision_macro",
                                           "recall", "recall_macro", "matthews_correlation", "pearson",
                                           "spearmanr"};
const std::vector<std::string> kReporters = {"none", "all", "tensorboard", "mlflow"};

std::vector<FieldSpec> build_fields() {
  return {
      // ModelArguments
      field(HFT_KEY(model, model_name_or_path)),
      field(HFT_KEY(model, config_name)),
      field(HFT_KEY(model, tokenizer_name)),
      field(HFT_KEY(model, model_revision)),
      field(HFT_KEY(model, task)),
      field(HFT_KEY(model, ignore_mismatched_sizes)),
      // DataArguments
      field(HFT_KEY(data, task_name), one_of(kGlueTasks)),
      field(HFT_KEY(data, train_file)),
      field(HFT_KEY(data, validation_file)),
      field(HFT_KEY(data, test_file)),
      field(HFT_KEY(data, max_seq_length), above<int64_t>(0)),
      field(HFT_KEY(data, pad_to_max_length)),
      field(HFT_KEY(data, max_train_samples), above<int64_t>(0)),
      field(HFT_KEY(data, max_eval_samples), above<int64_t>(0)),
      field(HFT_KEY(data, max_predict_samples), above<int64_t>(0)),
      field(HFT_KEY(data, text_column_names)),
      field(HFT_KEY(data, label_column_name)),
      field(HFT_KEY(data, shuffle_train_dataset)),
      field(HFT_KEY(data, shuffle_seed)),
      field(HFT_KEY(data, metrics), each_of(kMetrics)),
      field(HFT_KEY(data, text_column_name)),
      field(HFT_KEY(data, label_all_tokens)),
      field(HFT_KEY(data, return_entity_level_metrics)),
      field(HFT_KEY(data, context_column_name)),
      field(HFT_KEY(data, question_column_name)),
      field(HFT_KEY(data, ending_column_names)),
      field(HFT_KEY(data, dataset_text_field)),
      field(HFT_KEY(data, max_length), above<int64_t>(0)),
      field(HFT_KEY(data, completion_only_loss)),
      field(HFT_KEY(data, assistant_only_loss)),
      field(HFT_KEY(data, packing)),
      field(HFT_KEY(data, eval_packing)),
      // TrainingArguments
      field(HFT_KEY(training, output_dir)),
      field(HFT_KEY(training, overwrite_output_dir)),
      field(HFT_KEY(training, do_train)),
      field(HFT_KEY(training, do_eval)),
      field(HFT_KEY(training, do_predict)),
      field(HFT_KEY(training, per_device_train_batch_size), above<int64_t>(0)),
      field(HFT_KEY(training, per_device_eval_batch_size), above<int64_t>(0)),
      field(HFT_KEY(training, gradient_accumulation_steps), above<int64_t>(0)),
      field(HFT_KEY(training, learning_rate), at_least(0.0)),
      field(HFT_KEY(training, weight_decay), at_least(0.0)),
      field(HFT_KEY(training, adam_beta1), fraction_below_one()),
      field(HFT_KEY(training, adam_beta2), fraction_below_one()),
      field(HFT_KEY(training, adam_epsilon), above(0.0)),
      field(HFT_KEY(training, max_grad_norm), at_least(0.0)),
      field(HFT_KEY(training, num_train_epochs), above(0.0)),
      field(HFT_KEY(training, max_steps)),
      field(HFT_KEY(training, lr_scheduler_type)),
      field(HFT_KEY(training, lr_scheduler_kwargs)),
      field(HFT_KEY(training, warmup_steps), at_least(0.0)),
      field(HFT_KEY(training, optim)),
      field(HFT_KEY(training, logging_strategy)),
      field(HFT_KEY(training, logging_steps), steps_or_ratio()),
      field(HFT_KEY(training, logging_first_step)),
      field(HFT_KEY(training, eval_strategy)),
      field(HFT_KEY(training, eval_steps), steps_or_ratio()),
      field(HFT_KEY(training, eval_delay), at_least(0.0)),
      field(HFT_KEY(training, save_strategy)),
      field(HFT_KEY(training, save_steps), steps_or_ratio()),
      field(HFT_KEY(training, save_total_limit), above<int64_t>(0)),
      field(HFT_KEY(training, save_only_model)),
      field(HFT_KEY(training, load_best_model_at_end)),
      field(HFT_KEY(training, metric_for_best_model)),
      field(HFT_KEY(training, greater_is_better)),
      field(HFT_KEY(training, seed), at_least<int64_t>(0)),
      field(HFT_KEY(training, data_seed), at_least<int64_t>(0)),
      field(HFT_KEY(training, bf16)),
      field(HFT_KEY(training, fp16)),
      field(HFT_KEY(training, tf32)),
      field(HFT_KEY(training, dataloader_num_workers), at_least<int64_t>(0)),
      field(HFT_KEY(training, dataloader_drop_last)),
      field(HFT_KEY(training, dataloader_pin_memory)),
      field(HFT_KEY(training, train_sampling_strategy)),
      field(HFT_KEY(training, label_smoothing_factor), fraction_below_one()),
      field(HFT_KEY(training, skip_nonfinite_loss_steps)),
      field(HFT_KEY(training, resume_from_checkpoint)),
      field(HFT_KEY(training, report_to), each_of(kReporters)),
      field(HFT_KEY(training, html_report)),
      field(HFT_KEY(training, logging_dir)),
      field(HFT_KEY(training, run_name)),
      field(HFT_KEY(training, disable_tqdm)),
      field(HFT_KEY(training, use_cpu)),
      field(HFT_KEY(training, activation_checkpointing)),
      field(HFT_KEY(training, ddp_backend)),
      field(HFT_KEY(training, ddp_timeout), above<int64_t>(0)),
      field(HFT_KEY(training, ddp_bucket_cap_mb), above<int64_t>(0)),
      field(HFT_KEY(training, ddp_find_unused_parameters)),
      field(HFT_KEY(training, ddp_broadcast_buffers)),
      field(HFT_KEY(training, ddp_static_graph)),
      field(HFT_KEY(training, local_rank), at_least<int64_t>(-1)),
      // EarlyStoppingCallback
      field(HFT_KEY(early_stopping, early_stopping_patience), above<int64_t>(0)),
      field(HFT_KEY(early_stopping, early_stopping_threshold), at_least(0.0)),
      // GenerationConfig (hft predict, task: text-generation)
      field(HFT_KEY(generation, max_new_tokens), above<int64_t>(0)),
      field(HFT_KEY(generation, do_sample)),
      field(HFT_KEY(generation, temperature), above(0.0)),
      field(HFT_KEY(generation, top_k), at_least<int64_t>(0)),
      field(HFT_KEY(generation, top_p), unit_interval()),
      // ModelConfig's LoRA arguments (TRL), hft's merge_adapters
      field(HFT_KEY(peft, use_peft)),
      field(HFT_KEY(peft, lora_r), above<int64_t>(0)),
      field(HFT_KEY(peft, lora_alpha), above(0.0)),
      field(HFT_KEY(peft, lora_dropout), fraction_below_one()),
      field(HFT_KEY(peft, lora_target_modules)),
      field(HFT_KEY(peft, lora_modules_to_save)),
      field(HFT_KEY(peft, use_rslora)),
      field(HFT_KEY(peft, merge_adapters)),
  };
}

#undef HFT_KEY

}  // namespace

const std::vector<FieldSpec>& recipe_fields() {
  static const std::vector<FieldSpec> fields = build_fields();
  return fields;
}

const FieldSpec* find_field(std::string_view name) {
  for (const auto& f : recipe_fields())
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> field_names() {
  std::vector<std::string> names;
  for (const auto& f : recipe_fields()) names.push_back(f.name);
  return names;
}

}  // namespace hft::config
