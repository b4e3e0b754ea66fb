// `hft train|evaluate|predict RECIPE`: load and validate the recipe, then run the verb.
// The components a run needs (tokenizers, data, models, the Trainer) are not built yet; until
// they land, the verbs stop after validation and say so, with exit code 1.
#include <iostream>

#include "exit_codes.h"
#include "recipe_loading.h"  // load_for
#include "verbs.h"

namespace hft::app {
namespace {

int not_built_yet(const char* verb) {
  std::cerr << "hft " << verb
            << ": the recipe is valid, but this build cannot run it yet: the tokenizer, data, model and "
               "trainer components are still being built. Nothing was written.\n";
  return kExitRuntimeFailure;
}

}  // namespace

int run_train(const RecipeRequest& request) {
  load_for(request, config::Verb::kTrain);
  return not_built_yet("train");
}

int run_evaluate(const RecipeRequest& request) {
  load_for(request, config::Verb::kEvaluate);
  return not_built_yet("evaluate");
}

int run_predict(const PredictRequest& request) {
  RecipeRequest recipe = request.recipe;
  if (!request.input_path.empty()) recipe.overrides.insert(recipe.overrides.begin(), {"--test_file", request.input_path});
  load_for(recipe, config::Verb::kPredict);
  return not_built_yet("predict");
}

}  // namespace hft::app
