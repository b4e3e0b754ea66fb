// `hft validate RECIPE`: load and check the recipe, then print it resolved (with where each
// value came from), the data files it names and the step arithmetic of a training run.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <optional>

#include "hft/config/recipe_printer.h"  // format_recipe_yaml, format_recipe_json
#include "hft/data/data_error.h"         // DataError
#include "hft/data/collator.h"           // collator_options
#include "hft/data/row_count.h"          // count_rows
#include "hft/data/split_stats.h"        // split_stats
#include "hft/data/splits.h"             // Splits
#include "hft/task/task.h"               // Task, RunKind
#include "hft/tokenize/load.h"           // tokenize::load
#include "hft/tokenize/tokenize_error.h" // TokenizeError
#include "hft/train/run_setup.h"         // task_of
#include "hft/train/step_plan.h"         // plan_steps
#include "recipe_loading.h"              // load_for
#include "verbs.h"

namespace hft::app {
namespace {

namespace fs = std::filesystem;

std::string pad(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

// "readable, 67349 rows" for a data file; rows are counted without loading the file.
std::string describe_data_file(const std::optional<std::string>& path, std::optional<int64_t>& rows) {
  if (!path) return "(not set)";
  try {
    rows = data::count_rows(*path);
    return *path + "  readable, " + std::to_string(*rows) + " rows";
  } catch (const data::DataError& e) {
    return *path + "  " + e.what();
  }
}

// Model folders are read when a run starts; validate says where `name` was found (a hub id: its
// snapshot in the Hugging Face cache) and whether config.json is there.
std::string describe_model_dir(const std::string& name, const std::string& folder) {
  if (folder.empty()) return name + "  NOT FOUND: train/evaluate/predict will stop here (see the warning above)";
  std::error_code ec;
  const std::string where = folder == name ? name : name + "  -> " + folder + " (Hugging Face cache)";
  if (fs::is_regular_file(fs::path(folder) / "config.json", ec)) return where + "  found (config.json)";
  return where + "  has no config.json: train/evaluate/predict will stop here";
}

std::string describe_tokenizer_dir(const std::string& name, const std::string& folder) {
  if (folder.empty()) return name + "  NOT FOUND: train/evaluate/predict will stop here (see the warning above)";
  return folder == name ? name : name + "  -> " + folder + " (Hugging Face cache)";
}

void print_files(const config::Recipe& recipe, std::optional<int64_t>& train_rows) {
  std::optional<int64_t> ignored;
  const config::ModelArguments& model = recipe.model;
  std::cout << "\n# Files\n" << pad("model_name_or_path", 20) << describe_model_dir(model.model_name_or_path, model.folders.model) << "\n";
  if (model.config_name) std::cout << pad("config_name", 20) << describe_model_dir(*model.config_name, model.folders.config) << "\n";
  if (model.tokenizer_name)
    std::cout << pad("tokenizer_name", 20) << describe_tokenizer_dir(*model.tokenizer_name, model.folders.tokenizer) << "\n";
  std::cout << pad("train_file", 20) << describe_data_file(recipe.data.train_file, train_rows) << "\n"
            << pad("validation_file", 20) << describe_data_file(recipe.data.validation_file, ignored) << "\n"
            << pad("test_file", 20) << describe_data_file(recipe.data.test_file, ignored) << "\n";
}

// The step arithmetic of a one-process run over the training rows (after max_train_samples).
std::optional<train::StepPlan> plan_for(const config::Recipe& recipe, std::optional<int64_t> train_rows) {
  if (!train_rows) return std::nullopt;
  int64_t rows = *train_rows;
  if (recipe.data.max_train_samples) rows = std::min(rows, *recipe.data.max_train_samples);
  return train::plan_steps(recipe.training, rows);
}

void print_plan(const config::Recipe& recipe, std::optional<int64_t> train_rows) {
  const auto& t = recipe.training;
  std::cout << "\n# Derived (1 process)\n";
  const std::optional<train::StepPlan> planned = plan_for(recipe, train_rows);
  if (!planned) {
    std::cout << "no training rows to plan steps for (train_file not set or unreadable)\n";
    return;
  }
  const train::StepPlan& plan = *planned;
  std::cout << pad("training rows", 24) << plan.train_rows << "\n"
            << pad("effective batch size", 24) << plan.global_batch_size << " (" << t.per_device_train_batch_size
            << " per device x " << t.gradient_accumulation_steps << " accumulation steps x " << plan.world_size
            << " process)\n"
            << pad("batches per epoch", 24) << plan.batches_per_epoch << "\n"
            << pad("steps per epoch", 24) << plan.steps_per_epoch << "\n"
            << pad("total steps", 24) << plan.total_steps << " (" << plan.epochs << " epochs)\n"
            << pad("warmup steps", 24) << plan.warmup_steps << "\n";
}

void print_split(const char* name, const data::EncodedDataset& split, const data::LabelSpace& labels, int64_t batch_size,
                 const data::CollatorOptions& collator) {
  const data::SplitStats stats = data::split_stats(split, labels, batch_size, collator);
  std::cout << pad(name, 20) << stats.rows << " rows";
  if (stats.choices > 1) std::cout << " of " << stats.choices << " choices";
  if (stats.unlabeled_rows) std::cout << " (" << stats.unlabeled_rows << " unlabeled)";
  if (stats.token_labels) std::cout << "; labelled tokens per tag";
  for (const auto& [label, count] : stats.label_counts) std::cout << ", " << label << ": " << count;
  if (stats.pieces_per_word) std::cout << "\n" << pad("", 20) << "tokens per word: " << *stats.pieces_per_word;
  if (stats.target_mean)
    std::cout << ", targets " << *stats.target_min << " .. " << *stats.target_max << " (mean " << *stats.target_mean << ")";
  std::cout << "\n" << pad("", 20) << (stats.choices > 1 ? "tokens per choice:" : "tokens per row:");
  for (const auto& [p, tokens] : stats.length_percentiles) std::cout << " p" << p << " " << tokens;
  std::cout << "; dynamic padding computes " << stats.tokens_dynamic << " token positions instead of "
            << stats.tokens_max_length << " (saves " << static_cast<int>(100 * stats.padding_saved_fraction + 0.5)
            << "%)\n";
}

// Rows, labels, lengths and padding of each split, tokenized as a run would tokenize them.
void print_data_statistics(const config::Recipe& recipe) {
  std::cout << "\n# Data (tokenized as a run would)\n";
  const std::string tokenizer_dir = recipe.model.folders.tokenizer;
  if (tokenizer_dir.empty()) {
    std::cout << "no statistics: the tokenizer was not found\n";
    return;
  }
  try {
    const task::Task& task = train::task_of(recipe);  // each task reads its data its own way
    const tokenize::Tokenizer tokenizer = tokenize::load(tokenizer_dir, task.tokenizer_options());
    const data::Splits splits = task.load_data(recipe, task::RunKind::kStatistics, tokenizer, /*cache_dir=*/"");
    const data::CollatorOptions collator = data::collator_options(tokenizer, recipe.data.max_seq_length,
                                                                  recipe.data.pad_to_max_length, recipe.training.fp16, true);
    if (splits.train) print_split("train_file", *splits.train, splits.labels, recipe.training.per_device_train_batch_size, collator);
    if (splits.validation)
      print_split("validation_file", *splits.validation, splits.labels, recipe.training.per_device_eval_batch_size, collator);
    if (splits.test) print_split("test_file", *splits.test, splits.labels, recipe.training.per_device_eval_batch_size, collator);
  } catch (const tokenize::TokenizeError& e) {
    std::cout << "no statistics: the tokenizer is not readable (" << e.what() << ")\n";
  }
}

nlohmann::json plan_json(const config::Recipe& recipe, std::optional<int64_t> train_rows) {
  const std::optional<train::StepPlan> plan = plan_for(recipe, train_rows);
  if (!plan) return nullptr;
  return {{"train_rows", plan->train_rows},           {"world_size", plan->world_size},
          {"global_batch_size", plan->global_batch_size}, {"batches_per_epoch", plan->batches_per_epoch},
          {"steps_per_epoch", plan->steps_per_epoch},   {"total_steps", plan->total_steps},
          {"epochs", plan->epochs},                     {"warmup_steps", plan->warmup_steps}};
}

void print_json(const config::LoadedRecipe& loaded) {
  std::optional<int64_t> train_rows;
  if (loaded.recipe.data.train_file) {
    try {
      train_rows = data::count_rows(*loaded.recipe.data.train_file);
    } catch (const data::DataError&) {
    }
  }
  const config::ModelFolders& folders = loaded.recipe.model.folders;
  const nlohmann::json out = {{"recipe", config::format_recipe_json(loaded)},
                              {"folders", {{"model", folders.model}, {"config", folders.config}, {"tokenizer", folders.tokenizer}}},
                              {"warnings", loaded.warnings},
                              {"plan", plan_json(loaded.recipe, train_rows)}};
  std::cout << out.dump(2) << "\n";
}

}  // namespace

int run_validate(const ValidateRequest& request) {
  const config::LoadedRecipe loaded = load_for(request.recipe, config::Verb::kValidate);
  if (request.json) {
    print_json(loaded);
    return 0;
  }
  std::cout << "# " << loaded.path << ": valid. Resolved recipe (value, then where it came from):\n\n"
            << config::format_recipe_yaml(loaded, /*annotate=*/true);
  std::optional<int64_t> train_rows;
  print_files(loaded.recipe, train_rows);
  print_plan(loaded.recipe, train_rows);
  print_data_statistics(loaded.recipe);
  return 0;
}

}  // namespace hft::app
