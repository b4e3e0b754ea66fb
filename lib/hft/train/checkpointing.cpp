#include "hft/train/checkpointing.h"

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"        // write_file_atomically
#include "hft/checkpoint/checkpoint_folder.h"  // checkpoint_path, write_checkpoint_folder, rotate_checkpoints
#include "hft/checkpoint/manifest.h"           // checkpoint_problem
#include "hft/model/pretrained.h"              // from_pretrained, save_pretrained
#include "hft/train/training_state.h"          // save_training_state, CheckpointError

namespace hft::train {

namespace fs = std::filesystem;

void save_checkpoint(RunSetup& s, const config::Recipe& recipe, const std::string& recipe_yaml,
                     torch::optim::Optimizer& optimizer, LoopProgress& progress,
                     const std::vector<torch::Tensor>& generator_states_by_rank, const RunHooks& hooks) {
  const auto& args = recipe.training;
  TrainerState& state = progress.state;
  const std::string folder = checkpoint::checkpoint_path(args.output_dir, state.global_step);
  record_checkpoint(state, args);
  try {
    checkpoint::write_checkpoint_folder(folder, [&](const std::string& dir) {
      model::save_pretrained(s.model, dir, s.tokenizer_dir);
      save_training_state(dir, progress, optimizer, args.save_only_model ? nullptr : &generator_states_by_rank);
      checkpoint::write_file_atomically((fs::path(dir) / "hft_recipe.yaml").string(), recipe_yaml);
    });
  } catch (const std::exception& e) {  // a full disk, say: what was saved before stays as it was
    throw std::runtime_error("could not save " + folder + " (earlier checkpoints are intact): " + e.what());
  }
  say(hooks, "saved " + folder);
  if (args.save_total_limit) checkpoint::rotate_checkpoints(args.output_dir, *args.save_total_limit, state.best_model_checkpoint);
}

void record_checkpoint(TrainerState& state, const config::TrainingArguments& args) {
  if (state.best_global_step == state.global_step)
    state.best_model_checkpoint = checkpoint::checkpoint_path(args.output_dir, state.global_step);
}

std::optional<std::string> checkpoint_to_resume(const config::TrainingArguments& args) {
  const config::ResumeFrom& resume = args.resume_from_checkpoint;
  if (!resume.requested()) return std::nullopt;
  if (resume.latest) {
    auto latest = checkpoint::latest_complete_checkpoint(args.output_dir);
    if (!latest)
      throw CheckpointError("resume_from_checkpoint: true, but " + args.output_dir +
                            " holds no complete checkpoint-N folder; train without resume_from_checkpoint first");
    return latest;
  }
  if (auto problem = checkpoint::checkpoint_problem(resume.path))
    throw CheckpointError("resume_from_checkpoint: " + resume.path + ": " + *problem +
                          "; name a complete checkpoint folder, or use resume_from_checkpoint: true for the newest one");
  return resume.path;
}

void load_best_model(RunSetup& s, const TrainerState& state, const RunHooks& hooks) {
  if (!state.best_model_checkpoint) return;
  model::LoadOptions load;
  load.labels = s.model.config.labels;
  load.problem_type = s.model.config.problem_type;
  s.model = model::from_pretrained(*state.best_model_checkpoint, load);
  s.model.module->to(s.device);
  say(hooks, "loaded the best model from " + *state.best_model_checkpoint + " (" + std::to_string(*state.best_metric) + ")");
}

}  // namespace hft::train
