// Which metrics an evaluation reports, decided from the recipe as run_glue.py decides them: a GLUE
// task's, else the `metrics` key, else accuracy for class labels and pearson, spearmanr for
// numeric ones (regression). The run (train/run_setup.cpp) and the check of metric_for_best_model
// both ask here, so that they agree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hft/config/recipe.h"  // DataArguments, Recipe

namespace hft::config {

// As the glue metric of `evaluate` computes them: cola matthews_correlation; stsb pearson,
// spearmanr; mrpc and qqp accuracy, f1; the other tasks accuracy.
std::vector<std::string> glue_task_metrics(const std::string& task);

// The metrics of a run whose labels are numbers (`regression`) or classes.
std::vector<std::string> metric_names(const DataArguments& data, bool regression);

// What a recipe may report before its labels are read. Text classification with neither task_name
// nor metrics: the metrics of both kinds of labels. Token classification: seqeval's (run_ner's
// names; overall_* with return_entity_level_metrics). Multiple choice: accuracy.
std::vector<std::string> possible_metric_names(const Recipe& recipe);
// return_entity_level_metrics adds <TYPE>_precision, _recall, _f1, _number for the entity types
// the data has, which the recipe cannot know: a name with one of those endings is possible.
bool possible_entity_metric(const Recipe& recipe, const std::string& metric);

// Whether an evaluation's results (eval_loss, eval_NAME for each of `names`, eval_runtime,
// eval_samples_per_second, eval_steps_per_second) hold `metric`, named with or without "eval_" as
// the Trainer reads metric_for_best_model.
bool reports_metric(const std::vector<std::string>& names, const std::string& metric);

// Why metric_for_best_model is not among the metrics of labels of this kind, or nullopt.
std::optional<std::string> best_metric_problem(const Recipe& recipe, bool regression);

}  // namespace hft::config
