#include "hft/config/load_recipe.h"

#include <catch2/catch.hpp>

#include "hft/config/recipe_printer.h"
#include "../test_files.h"
#include "recipe_errors.h"

using namespace hft::config;
using hft::testing::recipe_errors;
using hft::testing::ScratchDir;

namespace {

const std::string kDevTsv = std::string(HFT_SOURCE_DIR) + "/data/glue/SST-2/dev.tsv";

// The scratch folder stands in for the model folder: load_recipe only checks that it exists.
std::string minimal_recipe(const ScratchDir& dir) {
  return "model_name_or_path: " + dir.path() + "\noutput_dir: " + dir.path("out") + "\n";
}

}  // namespace

TEST_CASE("a recipe's values, their origins and the command line's precedence") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "learning_rate: 2e-5\nseed: 1\n");
  const LoadedRecipe loaded = load_recipe(path, {"--seed=9"}, Verb::kValidate);
  CHECK(loaded.recipe.training.learning_rate == Approx(2e-5));
  CHECK(loaded.recipe.training.seed == 9);
  CHECK(loaded.origin_of("learning_rate").where() == path + ":3:1");
  CHECK(loaded.origin_of("seed").kind == Origin::Kind::kCommandLine);
  CHECK(loaded.origin_of("adam_beta1").kind == Origin::Kind::kDefault);
}

TEST_CASE("the verb sets do_train, do_eval or do_predict") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "train_file: " + kDevTsv + "\n");
  CHECK(load_recipe(path, {}, Verb::kTrain).recipe.training.do_train);
  CHECK_FALSE(load_recipe(path, {}, Verb::kValidate).recipe.training.do_train);
}

TEST_CASE("values TrainingArguments derives are derived the same way") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "validation_file: " + kDevTsv +
                                            "\neval_strategy: steps\nlogging_steps: 50\nload_best_model_at_end: "
                                            "true\nsave_steps: 100\n");
  const Recipe recipe = load_recipe(path, {}, Verb::kValidate).recipe;
  CHECK(recipe.training.do_eval);                          // eval_strategy != no
  CHECK(recipe.training.eval_steps == 50);                 // from logging_steps
  CHECK(recipe.training.metric_for_best_model == "loss");  // load_best_model_at_end without a metric
  CHECK(recipe.training.greater_is_better == false);       // the metric ends with "loss"
}

TEST_CASE("renamed keys are read under their new name with a warning") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "validation_file: " + kDevTsv +
                                            "\nevaluation_strategy: epoch\nwarmup_ratio: 0.1\ngroup_by_length: true\n");
  const LoadedRecipe loaded = load_recipe(path, {}, Verb::kValidate);
  CHECK(loaded.recipe.training.eval_strategy == IntervalStrategy::kEpoch);
  CHECK(loaded.recipe.training.warmup_steps == Approx(0.1));
  CHECK(loaded.recipe.training.train_sampling_strategy == TrainSamplingStrategy::kGroupByLength);
  REQUIRE(loaded.warnings.size() == 3);
  CHECK(loaded.warnings[0] == path + ":4:1: evaluation_strategy is deprecated; use eval_strategy (renamed in transformers 4.41)");
}

TEST_CASE("every mistake of a recipe is reported at once") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "learning_rat: 1\nseed: x\nadam_beta1: 2\n");
  const auto messages = recipe_errors(path, {"--warmup_steps=-1"});
  REQUIRE(messages.size() == 4);
  CHECK(messages[0] == path + ":3:1: learning_rat: unknown key; expected a known key (did you mean learning_rate?)");
  CHECK(messages[1] == path + ":4:7: seed: not an integer (got x); expected an integer");
  CHECK(messages[2] == path + ":5:13: adam_beta1: out of range (got 2); expected a number in [0, 1)");
  CHECK(messages[3].find("command line `--warmup_steps=-1`: warmup_steps: out of range") == 0);
}

TEST_CASE("the resolved recipe printed as YAML loads back to the same recipe") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "validation_file: " + kDevTsv +
                                            "\neval_strategy: epoch\nlr_scheduler_type: cosine\n"
                                            "lr_scheduler_kwargs: {num_cycles: 0.25}\nreport_to: tensorboard\n");
  const LoadedRecipe first = load_recipe(path, {"--seed=5"}, Verb::kValidate);
  const auto copy = dir.write("hft_recipe.yaml", format_recipe_yaml(first, /*annotate=*/true));
  const LoadedRecipe second = load_recipe(copy, {}, Verb::kValidate);
  auto values = [](const LoadedRecipe& loaded) {
    const nlohmann::json resolved = format_recipe_json(loaded);
    nlohmann::json out;
    for (const auto& [key, entry] : resolved.items()) out[key] = entry["value"];
    return out;
  };
  CHECK(values(first) == values(second));
}
