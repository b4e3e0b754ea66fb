// The recipe's `task` key chooses the task the run is built around: the registry maps each
// transformers pipeline name hft has to its task, and a run refuses a name it lacks.
#include <catch2/catch.hpp>

#include "hft/error.h"
#include "hft/task/registry.h"
#include "hft/task/text_classification/text_classification.h"
#include "hft/train/run_setup.h"

using namespace hft;

TEST_CASE("task: text-classification (the default) is the text classification task") {
  config::Recipe recipe;
  CHECK(recipe.model.task == "text-classification");  // the default, as the pipeline name
  CHECK(dynamic_cast<const task::TextClassification*>(&train::task_of(recipe)) != nullptr);
  CHECK(task::task_names() == std::vector<std::string>{"text-classification"});
}

TEST_CASE("a task the registry lacks is bad input, not a crash") {
  config::Recipe recipe;
  recipe.model.task = "token-classification";  // pipeline name of a later issue
  CHECK(task::find_task(recipe.model.task) == nullptr);
  CHECK_THROWS_AS(train::task_of(recipe), BadInput);
}

TEST_CASE("predictions are written as .tsv or .jsonl, whatever the task") {
  CHECK(task::is_prediction_file("out/predictions.tsv"));
  CHECK(task::is_prediction_file("predictions.jsonl"));
  CHECK_FALSE(task::is_prediction_file("predictions.csv"));
  CHECK_FALSE(task::is_prediction_file("predictions"));
}
