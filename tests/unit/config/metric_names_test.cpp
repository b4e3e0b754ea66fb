// Which metrics a run reports, and metric_for_best_model checked against them. The expected names
// are the published ones: run_glue.py's metrics through evaluate's glue metric (cola
// matthews_correlation; stsb pearson, spearmanr; mrpc, qqp accuracy, f1; the other tasks accuracy),
// and the Trainer's reading of metric_for_best_model, which adds "eval_" unless it is there.
#include "hft/config/metric_names.h"

#include <catch2/catch.hpp>

#include "../test_files.h"
#include "recipe_errors.h"

using namespace hft::config;
using hft::testing::recipe_errors;
using hft::testing::ScratchDir;
using Names = std::vector<std::string>;

namespace {

const std::string kDevTsv = std::string(HFT_SOURCE_DIR) + "/data/glue/SST-2/dev.tsv";

// The messages load_recipe throws for a recipe with evaluation and these overrides, or none.
std::vector<std::string> errors_with(const std::vector<std::string>& overrides) {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", "model_name_or_path: " + dir.path() + "\noutput_dir: " + dir.path("out") +
                                            "\nvalidation_file: " + kDevTsv + "\neval_strategy: epoch\n");
  return recipe_errors(path, overrides);
}

}  // namespace

TEST_CASE("the GLUE tasks' metrics are those of run_glue.py") {
  CHECK(glue_task_metrics("cola") == Names{"matthews_correlation"});
  CHECK(glue_task_metrics("stsb") == Names{"pearson", "spearmanr"});
  CHECK(glue_task_metrics("mrpc") == Names{"accuracy", "f1"});
  CHECK(glue_task_metrics("qqp") == Names{"accuracy", "f1"});
  for (const char* task : {"mnli", "qnli", "rte", "sst2", "wnli"}) CHECK(glue_task_metrics(task) == Names{"accuracy"});
}

TEST_CASE("without task_name, the metrics key, else the labels' kind, decides") {
  Recipe recipe;
  DataArguments& data = recipe.data;
  CHECK(metric_names(data, false) == Names{"accuracy"});
  CHECK(metric_names(data, true) == Names{"pearson", "spearmanr"});
  CHECK(possible_metric_names(recipe) == Names{"accuracy", "pearson", "spearmanr"});
  data.metrics = {"f1_macro", "precision_macro"};
  CHECK(metric_names(data, false) == data.metrics);
  CHECK(possible_metric_names(recipe) == data.metrics);
  data.task_name = "mrpc";
  CHECK(possible_metric_names(recipe) == Names{"accuracy", "f1"});
}

// run_ner.py's compute_metrics names, and run_swag.py's.
TEST_CASE("token classification reports seqeval's metrics, multiple choice accuracy") {
  Recipe recipe;
  recipe.model.task = "token-classification";
  CHECK(possible_metric_names(recipe) == Names{"precision", "recall", "f1", "accuracy"});
  CHECK_FALSE(possible_entity_metric(recipe, "PER_f1"));
  recipe.data.return_entity_level_metrics = true;
  CHECK(possible_metric_names(recipe) == Names{"overall_precision", "overall_recall", "overall_f1", "overall_accuracy"});
  CHECK(possible_entity_metric(recipe, "eval_PER_f1"));
  CHECK(possible_entity_metric(recipe, "LOC_number"));
  CHECK_FALSE(possible_entity_metric(recipe, "_f1"));
  CHECK_FALSE(possible_entity_metric(recipe, "PER_accuracy"));
  recipe.model.task = "multiple-choice";
  CHECK(possible_metric_names(recipe) == Names{"accuracy"});
}

TEST_CASE("metric_for_best_model is read with or without eval_, as the Trainer reads it") {
  const Names mrpc = glue_task_metrics("mrpc");
  for (const char* reported : {"f1", "eval_f1", "accuracy", "loss", "eval_loss", "runtime", "eval_samples_per_second"})
    CHECK(reports_metric(mrpc, reported));
  for (const char* missing : {"matthews_correlation", "eval_pearson", "eval_eval_f1", "F1", "train_loss"})
    CHECK_FALSE(reports_metric(mrpc, missing));
}

TEST_CASE("validate refuses a metric_for_best_model the evaluation does not compute") {
  CHECK(errors_with({"metric_for_best_model=f1", "task_name=mrpc"}).empty());
  CHECK(errors_with({"metric_for_best_model=eval_matthews_correlation", "task_name=cola"}).empty());
  CHECK(errors_with({"metric_for_best_model=f1_macro", "metrics=[accuracy, f1_macro]"}).empty());
  CHECK(errors_with({"metric_for_best_model=pearson"}).empty());  // numeric labels would compute it
  CHECK(errors_with({"load_best_model_at_end=true", "save_strategy=epoch"}).empty());  // "loss", derived

  const auto no_task = errors_with({"metric_for_best_model=f1"});
  REQUIRE(no_task.size() == 1);
  CHECK(no_task[0] ==
        "command line `metric_for_best_model=f1`: metric_for_best_model: not a metric the evaluation computes (got f1); "
        "expected one of loss, accuracy, pearson, spearmanr, with or without eval_ (with neither task_name nor metrics "
        "the labels decide: accuracy for classes, pearson and spearmanr for numbers)");
  const auto sst2 = errors_with({"metric_for_best_model=eval_f1", "task_name=sst2"});
  REQUIRE(sst2.size() == 1);
  CHECK(sst2[0].find("(got eval_f1); expected one of loss, accuracy, with or without eval_ (what task_name sst2 "
                     "computes)") != std::string::npos);
  CHECK(errors_with({"metric_for_best_model=f1", "metrics=[accuracy]"}).size() == 1);
}

TEST_CASE("once the labels are read, their kind decides between accuracy and pearson, spearmanr") {
  Recipe recipe;
  recipe.training.metric_for_best_model = "accuracy";
  CHECK_FALSE(best_metric_problem(recipe, /*regression=*/false));
  REQUIRE(best_metric_problem(recipe, /*regression=*/true));
  CHECK(*best_metric_problem(recipe, true) ==
        "the labels are numbers (regression), whose evaluation computes pearson, spearmanr, not metric_for_best_model "
        "accuracy; expected metric_for_best_model: loss or pearson, spearmanr (or task_name or metrics naming the "
        "metrics to compute)");
  recipe.training.metric_for_best_model = "eval_spearmanr";
  CHECK_FALSE(best_metric_problem(recipe, true));
  CHECK(best_metric_problem(recipe, false));
  recipe.training.metric_for_best_model.reset();
  CHECK_FALSE(best_metric_problem(recipe, true));
}
