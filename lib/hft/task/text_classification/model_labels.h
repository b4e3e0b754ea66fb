// Text classification's labels against the model: evaluation and prediction map labels as
// run_glue does (by the model's label2id unless those are the default LABEL_i names), unlabelled
// rows are counted, and problem_type must fit the labels.
#pragma once

#include <string>
#include <vector>

#include "hft/config/recipe.h"         // Recipe
#include "hft/data/splits.h"           // SplitsOptions, LabelSpace, EncodedDataset
#include "hft/model/model_config.h"    // ModelConfig

namespace hft::task {

// Evaluation reads only validation_file, prediction (`predicting`) only test_file, with the
// labels of the model at the recipe's config folder, unless they are the default names.
void use_model_labels(data::SplitsOptions& options, const config::Recipe& recipe, bool predicting);

// Rows labelled -1 are left out of the loss and the metrics; adds a warning saying how many. A
// split evaluated for its metrics (`metrics_needed`) without one labelled row is a DataError.
void check_labelled_rows(const data::EncodedDataset& split, const std::string& file, bool metrics_needed,
                         std::vector<std::string>& warnings);

// problem_type as config.json writes it must be the one the labels make (transformers' loss
// follows problem_type, and fails on labels of another kind); throws ModelError otherwise.
void check_problem_type(const model::ModelConfig& config, const data::LabelSpace& labels, const std::string& label_file);

}  // namespace hft::task
