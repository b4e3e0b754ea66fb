// Best metric and early stopping, on evaluation sequences worked through by hand with the
// rules of Trainer._determine_best_metric and EarlyStoppingCallback.
#include "hft/train/best_model.h"

#include <catch2/catch.hpp>

using namespace hft;

namespace {

// Feeds `values` of `metric` as successive evaluations; returns the 1-based evaluation at which
// early stopping fired (0: never) and leaves the final state in `state`.
int run(const std::vector<double>& values, const std::string& metric, bool greater, int64_t patience, double threshold,
        train::TrainerState& state) {
  config::TrainingArguments args;
  args.metric_for_best_model = metric;
  args.greater_is_better = greater;
  config::EarlyStoppingArguments options{patience, threshold};
  train::EarlyStopping stopping(options, args);
  for (size_t i = 0; i < values.size(); ++i) {
    state.global_step = static_cast<int64_t>(i + 1) * 10;
    const nlohmann::json metrics = {{"eval_" + metric, values[i]}};
    const bool stop = stopping.should_stop(state, metrics);
    train::update_best_metric(state, args, metrics);
    if (stop) return static_cast<int>(i + 1);
  }
  return 0;
}

}  // namespace

TEST_CASE("early stopping counts evaluations that do not beat the best") {
  train::TrainerState state;
  // 0.5 best; 0.6 best; 0.6 equal (1); 0.55 worse (2) -> stop at the 4th evaluation.
  CHECK(run({0.5, 0.6, 0.6, 0.55, 0.61}, "accuracy", true, 2, 0.0, state) == 4);
  CHECK(state.best_metric == 0.6);
  CHECK(state.best_global_step == 20);
}

TEST_CASE("an improvement smaller than the threshold does not reset the count") {
  train::TrainerState state;
  // loss, lower is better: 1.0 best; 0.995 better but by < 0.01 (1); 0.99 again (2) -> stop.
  CHECK(run({1.0, 0.995, 0.99, 0.5}, "loss", false, 2, 0.01, state) == 3);
  CHECK(state.best_metric == 0.99);  // the best is still tracked without a threshold
}

TEST_CASE("without patience nothing stops; the best is still tracked") {
  train::TrainerState state;
  config::TrainingArguments args;
  args.metric_for_best_model = "f1";
  args.greater_is_better = true;
  CHECK(train::update_best_metric(state, args, {{"eval_f1", 0.7}}));
  CHECK_FALSE(train::update_best_metric(state, args, {{"eval_f1", 0.6}}));
  CHECK(train::best_metric_key(args) == "eval_f1");
}
