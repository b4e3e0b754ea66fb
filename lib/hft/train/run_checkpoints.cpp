#include "hft/train/run_checkpoints.h"

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"        // write_file_atomically
#include "hft/checkpoint/checkpoint_folder.h"  // checkpoint_path, write_checkpoint_folder, latest_complete_checkpoint
#include "hft/checkpoint/manifest.h"           // checkpoint_problem
#include "hft/checkpoint/rotation.h"           // rotate_checkpoints
#include "hft/error.h"                         // RunFailure
#include "hft/model/adapter_files.h"           // save_trained_model, load_adapter_weights
#include "hft/train/resume_state.h"            // save_resume_state, read_resume_point, checkpoint_files
#include "hft/train/run_setup.h"               // say, warn

namespace hft::train {

namespace fs = std::filesystem;

void write_checkpoint(RunSetup& s, const config::Recipe& recipe, const std::string& recipe_yaml,
                     torch::optim::Optimizer& optimizer, SavedProgress& progress,
                     const std::vector<torch::Tensor>& generator_states_by_rank, const RunHooks& hooks) {
  const auto& args = recipe.training;
  TrainerState& state = progress.state;
  const std::string folder = checkpoint::checkpoint_path(args.output_dir, state.global_step);
  record_checkpoint(state, args);
  std::optional<std::string> kept;
  try {
    kept = checkpoint::write_checkpoint_folder(folder, [&](const std::string& dir) {
      model::save_trained_model(s.model, dir, s.tokenizer_dir, s.base_model_name_or_path);
      save_resume_state(dir, progress, optimizer, args.save_only_model ? nullptr : &generator_states_by_rank);
      checkpoint::write_file_atomically((fs::path(dir) / kRecipeFile).string(), recipe_yaml);
    }, hooks.before_manifest);
  } catch (const c10::Error& e) {
    throw RunFailure("could not save " + folder + " (earlier checkpoints are intact): " + e.what_without_backtrace());
  } catch (const std::exception& e) {  // a full disk, say: what was saved before stays as it was
    throw RunFailure("could not save " + folder + " (earlier checkpoints are intact): " + e.what());
  }
  if (kept)
    warn(hooks, folder + " was there and is not a checkpoint hft wrote (no hft_manifest.json): kept it as " + *kept);
  say(hooks, "saved " + folder);
  if (!args.save_total_limit) return;
  const checkpoint::Rotation rotation = checkpoint::rotate_checkpoints(
      args.output_dir, *args.save_total_limit, state.best_model_checkpoint,
      checkpoint_files(/*resumable=*/false, s.model.lora.has_value()));
  for (const auto& [other, problem] : rotation.left_alone)
    warn(hooks, "save_total_limit: left " + other + " alone, it does not count as a checkpoint: " + problem);
}

void record_checkpoint(TrainerState& state, const config::TrainingArguments& args) {
  if (state.best_global_step == state.global_step)
    state.best_model_checkpoint = checkpoint::checkpoint_path(args.output_dir, state.global_step);
}

std::optional<std::string> resume_problem(const std::string& folder, bool adapters) {
  if (auto problem = checkpoint::checkpoint_problem(folder, checkpoint_files(/*resumable=*/false, adapters))) {
    const bool other_kind = !checkpoint::checkpoint_problem(folder, checkpoint_files(/*resumable=*/false, !adapters));
    if (other_kind)
      return std::string(adapters ? "it holds a full model, not the LoRA adapters this run (use_peft: true) trains"
                                  : "it holds LoRA adapters (saved with use_peft: true), not the full model this run trains");
    return problem;
  }
  for (const char* name : {kOptimizerFile, kRngStateFile})
    if (!fs::exists(fs::path(folder) / name))
      return std::string(name) + " is not in it: it was saved with save_only_model: true, which keeps the model only";
  if (auto problem = checkpoint::checkpoint_problem(folder, checkpoint_files(/*resumable=*/true, adapters), /*check_hashes=*/false))
    return problem;
  try {
    read_resume_point(folder);
  } catch (const CheckpointError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

std::optional<std::string> checkpoint_to_resume(const config::TrainingArguments& args, const RunHooks& hooks,
                                                bool adapters) {
  auto problem_of = [adapters](const std::string& folder) { return resume_problem(folder, adapters); };
  const config::ResumeFrom& resume = args.resume_from_checkpoint;
  if (!resume.requested()) return std::nullopt;
  if (resume.latest) {
    const checkpoint::LatestCheckpoint latest = checkpoint::latest_complete_checkpoint(args.output_dir, problem_of);
    for (const auto& [folder, problem] : latest.passed_over)
      warn(hooks, "resume_from_checkpoint: passing over " + folder + ", which cannot be resumed from: " + problem);
    if (!latest.folder)
      say(hooks, "resume_from_checkpoint: true, but " + args.output_dir +
                     " holds no complete checkpoint yet: training from scratch");
    return latest.folder;
  }
  if (auto problem = problem_of(resume.path))
    throw CheckpointError("resume_from_checkpoint: " + resume.path + ": " + *problem +
                          "; name a complete checkpoint folder, or use resume_from_checkpoint: true for the newest one");
  return resume.path;
}

void load_best_model(RunSetup& s, const TrainerState& state, const RunHooks& hooks) {
  if (!state.best_model_checkpoint) return;
  if (s.model.lora) {  // the checkpoint holds what trains: into the adapters and saved modules
    model::load_adapter_weights(*s.model.module, *state.best_model_checkpoint);
  } else {
    s.model = s.task->load_model(*state.best_model_checkpoint, s.splits.labels, /*config_dir=*/std::nullopt,
                                /*ignore_mismatched_sizes=*/false);
    s.model.module->to(s.device);
  }
  say(hooks, "loaded the best model from " + *state.best_model_checkpoint + " (" + std::to_string(*state.best_metric) + ")");
}

}  // namespace hft::train
