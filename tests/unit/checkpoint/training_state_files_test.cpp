// A checkpoint's state files as damaged or hostile input: trainer_state.json and
// hft_loop_state.json with fields of the wrong types or out of range are CheckpointErrors naming
// the file and the key (never a JSON library exception, never a step the loop cannot start
// from); and a full disk while the optimizer is written is an error naming the file, not an abort.
#include "../data/torch_catch.h"  // torch, then Catch's CHECK
#include "hft/train/resume_state.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "../test_files.h"
#include "hft/train/run_checkpoints.h"
#include "hft/train/trainer_state.h"

using namespace hft;
using nlohmann::json;

namespace {

json valid_trainer_state() {
  train::TrainerState state;
  state.global_step = 4;
  state.max_steps = 10;
  state.log_history = {{{"loss", 0.5}, {"step", 4}}};
  return train::to_json(state);
}

json valid_loop_state() {
  return {{"logged_total", 2.0}, {"since_last_log", 0.0}, {"last_logged_step", 4}, {"loss_scale", 0.0},
          {"loss_scale_growth_tracker", 0}, {"steps_skipped_by_loss_scale", 0}, {"world_size", 1}};
}

// A checkpoint folder holding the two JSON state files only.
std::string state_folder(const testing::ScratchDir& scratch, const json& trainer_state, const json& loop_state) {
  scratch.write("trainer_state.json", trainer_state.dump());
  scratch.write("hft_loop_state.json", loop_state.dump());
  return scratch.path();
}

}  // namespace

TEST_CASE("a valid trainer_state.json and loop state read back as written") {
  testing::ScratchDir scratch;
  const auto point = train::read_resume_point(state_folder(scratch, valid_trainer_state(), valid_loop_state()));
  CHECK(point.progress.state.global_step == 4);
  CHECK(point.progress.state.log_history.size() == 1);
  CHECK(point.progress.losses.logged_total == 2.0);
  CHECK(point.world_size == 1);
}

TEST_CASE("trainer_state.json fields of the wrong type or range are named") {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"global_step", -5}}, "global_step is -5; expected a whole number, 0 or more"},
      {{{"global_step", "4"}}, "global_step is \"4\"; expected a whole number, 0 or more"},
      {{{"global_step", 2.5}}, "global_step is 2.5"},
      {{{"epoch", "one"}}, "epoch is \"one\"; expected a number"},
      {{{"epoch", -1.0}}, "epoch is -1.0"},
      {{{"log_history", {1, 2}}}, "log_history is [1,2]; expected a list of objects"},
      {{{"log_history", "none"}}, "log_history is \"none\"; expected a list"},
      {{{"best_metric", "high"}}, "best_metric is \"high\"; expected a number"},
      {{{"best_global_step", -1}}, "best_global_step is -1"},
      {{{"best_model_checkpoint", 3}}, "best_model_checkpoint is 3; expected a string or null"},
      {{{"stateful_callbacks", {{"EarlyStoppingCallback", {{"attributes", {{"early_stopping_patience_counter", "x"}}}}}}}},
       "stateful_callbacks is"},
  };
  for (const auto& [change, expected] : cases) {
    INFO(change.dump());
    testing::ScratchDir scratch;
    json state = valid_trainer_state();
    state.update(change);
    const std::string folder = state_folder(scratch, state, valid_loop_state());
    CHECK_THROWS_AS(train::read_resume_point(folder), train::CheckpointError);
    CHECK_THROWS_WITH(train::read_resume_point(folder), Catch::Contains(scratch.path("trainer_state.json") + ": " + expected));
  }
  testing::ScratchDir scratch;
  json state = valid_trainer_state();
  state.erase("global_step");
  CHECK_THROWS_WITH(train::read_resume_point(state_folder(scratch, state, valid_loop_state())),
                    Catch::Contains("global_step is missing"));
  CHECK_THROWS_WITH(train::read_resume_point(state_folder(scratch, json::array(), valid_loop_state())),
                    Catch::Contains("trainer_state.json: not a JSON object"));
}

TEST_CASE("hft_loop_state.json fields of the wrong type or range are named") {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"logged_total", "x"}}, "logged_total is \"x\"; expected a number"},
      {{{"last_logged_step", 9}}, "last_logged_step is 9; expected a step no later than trainer_state.json's global_step 4"},
      {{{"last_logged_step", -1}}, "last_logged_step is -1"},
      {{{"loss_scale", -2.0}}, "loss_scale is -2.0"},
      {{{"world_size", "two"}}, "world_size is \"two\""},
  };
  for (const auto& [change, expected] : cases) {
    INFO(change.dump());
    testing::ScratchDir scratch;
    json loop = valid_loop_state();
    loop.update(change);
    CHECK_THROWS_WITH(train::read_resume_point(state_folder(scratch, valid_trainer_state(), loop)),
                      Catch::Contains(scratch.path("hft_loop_state.json") + ": " + expected));
  }
}

TEST_CASE("a full disk while the optimizer state is written is an error naming the file") {
  // /dev/full fails every write with ENOSPC, as a full disk does: hft_optimizer.pt leads there.
  testing::ScratchDir scratch;
  std::filesystem::create_symlink("/dev/full", scratch.path(train::kOptimizerFile));
  torch::nn::Linear layer(4, 2);
  torch::optim::AdamW optimizer(layer->parameters());
  layer(torch::ones({1, 4})).sum().backward();
  optimizer.step();  // moments to save
  const std::vector<torch::Tensor> generators = {train::generator_states()};
  train::SavedProgress progress;
  CHECK_THROWS_WITH(train::save_resume_state(scratch.path(), progress, optimizer, &generators),
                    "cannot write " + scratch.path(train::kOptimizerFile) + ": No space left on device");
}
