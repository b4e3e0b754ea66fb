// One function per verb of the `hft` command. Each returns the process exit code; the library
// errors they let through are mapped to exit codes by main.cpp.
#pragma once

#include <string>
#include <vector>

namespace hft::app {

struct RecipeRequest {
  std::string recipe_path;
  std::vector<std::string> overrides;  // key=value, --key=value, --key value
};

struct ValidateRequest {
  RecipeRequest recipe;
  bool json = false;  // print the resolved recipe as JSON (value, default, source per key)
};

struct PredictRequest {
  RecipeRequest recipe;
  std::string input_path;   // rows to predict; the recipe's test_file when empty
  std::string output_path;  // .tsv or .jsonl
};

int run_validate(const ValidateRequest& request);
int run_train(const RecipeRequest& request);
int run_evaluate(const RecipeRequest& request);
int run_predict(const PredictRequest& request);
int run_env();

}  // namespace hft::app
