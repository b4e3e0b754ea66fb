// What every run (train, evaluate, predict) builds from the recipe before its loop: the
// tokenizer, the data splits, the model on its device, the collator and the evaluation options.
#pragma once

#include <optional>
#include <string>

#include "hft/config/recipe.h"              // Recipe
#include "hft/data/collator.h"              // CollatorOptions
#include "hft/data/splits.h"                // Splits
#include "hft/distributed/process_group.h"         // Group
#include "hft/eval/evaluation_loop.h"       // EvalOptions, EvalResult
#include "hft/model/pretrained.h"           // PretrainedModel
#include "hft/tokenize/tokenizer.h"         // Tokenizer
#include "hft/train/run_hooks.h"            // RunHooks

namespace hft::train {

struct RunSetup {
  std::string model_dir, tokenizer_dir;
  std::optional<tokenize::Tokenizer> tokenizer;
  data::Splits splits;
  model::PretrainedModel model;
  data::CollatorOptions collator;
  eval::EvalOptions eval;
  torch::Device device = torch::kCPU;
};

void say(const RunHooks& hooks, const std::string& line);
// A warning: hooks.warn, else a "warning: " line through hooks.info.
void warn(const RunHooks& hooks, const std::string& line);

// Which run a setup is for: the splits it reads and where its labels come from.
enum class RunKind { kTrain, kEvaluate, kPredict };

// Builds everything a run needs; bad input fails here, before anything is written. Training
// reads the train split and labels; evaluation reads only validation_file and prediction only
// test_file, with the model's labels (mapped as run_glue maps them; see run_setup.cpp).
// `weights_dir` replaces model_name_or_path as the source of the weights (a resumed run).
RunSetup set_up(const config::Recipe& recipe, RunKind kind, const RunHooks& hooks,
                const std::optional<std::string>& weights_dir = std::nullopt);

// Evaluates the model on one split, batch by batch on the run's device; each rank of `group`
// takes its share of the rows.
eval::EvalResult evaluate_split(RunSetup& s, distributed::Group& group, const data::EncodedDataset& split,
                                const config::TrainingArguments& args, eval::EvalOptions options);

}  // namespace hft::train
