// The recipe's `task` key chooses the task the run is built around: the registry maps each
// transformers pipeline name hft has to its task, and a run refuses a name it lacks.
#include "hft/error.h"
#include "hft/task/multiple_choice/multiple_choice.h"
#include "hft/task/registry.h"
#include "hft/task/text_classification/text_classification.h"
#include "hft/task/text_generation/text_generation.h"
#include "hft/task/token_classification/token_classification.h"
#include "hft/train/run_setup.h"

#include <catch2/catch.hpp>  // after LibTorch's headers: both define CHECK, and Catch's must win

using namespace hft;

TEST_CASE("task: text-classification (the default) is the text classification task") {
  config::Recipe recipe;
  CHECK(recipe.model.task == "text-classification");  // the default, as the pipeline name
  CHECK(dynamic_cast<const task::TextClassification*>(&train::task_of(recipe)) != nullptr);
  CHECK(task::task_names() ==
        std::vector<std::string>{"text-classification", "token-classification", "multiple-choice", "text-generation"});
}

TEST_CASE("task: token-classification, multiple-choice and text-generation are run_ner's, run_swag's and SFTTrainer's") {
  config::Recipe recipe;
  recipe.model.task = "token-classification";
  CHECK(dynamic_cast<const task::TokenClassification*>(&train::task_of(recipe)) != nullptr);
  CHECK(train::task_of(recipe).tokenizer_options().add_prefix_space == true);  // run_ner's, for byte-level BPE
  recipe.model.task = "multiple-choice";
  CHECK(dynamic_cast<const task::MultipleChoice*>(&train::task_of(recipe)) != nullptr);
  CHECK_FALSE(train::task_of(recipe).tokenizer_options().add_prefix_space.has_value());
  recipe.model.task = "text-generation";
  CHECK(dynamic_cast<const task::TextGeneration*>(&train::task_of(recipe)) != nullptr);
}

TEST_CASE("a task the registry lacks is bad input, not a crash") {
  config::Recipe recipe;
  recipe.model.task = "summarization";  // a pipeline name hft has no task for
  CHECK(task::find_task(recipe.model.task) == nullptr);
  CHECK_THROWS_AS(train::task_of(recipe), BadInput);
}

TEST_CASE("predictions are written as .tsv or .jsonl, whatever the task") {
  CHECK(task::is_prediction_file("out/predictions.tsv"));
  CHECK(task::is_prediction_file("predictions.jsonl"));
  CHECK_FALSE(task::is_prediction_file("predictions.csv"));
  CHECK_FALSE(task::is_prediction_file("predictions"));
}
