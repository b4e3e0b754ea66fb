#include "hft/train/resume_checks.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "hft/config/fields.h"           // recipe_fields
#include "hft/train/checkpoint_error.h"  // CheckpointError
#include "hft/train/run_setup.h"         // warn
#include "hft/train/resume_state.h"    // kRecipeFile

namespace hft::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What decides the model a run trains: a resumed run takes the checkpoint's weights and config, so
// another value here would be silently ignored.
const std::set<std::string> kModelKeys = {"model_name_or_path", "config_name", "tokenizer_name", "model_revision"};

// Keys that do not change what is trained (where files go, what is shown, how processes talk),
// and resume_from_checkpoint itself.
const std::set<std::string> kNotTraining = {
    "output_dir", "overwrite_output_dir", "resume_from_checkpoint", "do_train", "do_eval", "do_predict", "test_file",
    "max_predict_samples", "per_device_eval_batch_size", "report_to", "logging_dir", "run_name", "disable_tqdm",
    "dataloader_num_workers", "dataloader_pin_memory", "ddp_backend", "ddp_timeout", "ddp_bucket_cap_mb",
    "ddp_find_unused_parameters", "ddp_broadcast_buffers", "ddp_static_graph", "local_rank"};

// The resolved recipe as format_recipe_yaml prints it: one `key: <JSON value>  # source` a line.
std::map<std::string, json> read_resolved_recipe(const fs::path& path) {
  std::map<std::string, json> values;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(": ");
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    std::istringstream value_text(line.substr(colon + 2));
    json value;
    try {
      value_text >> value;  // one JSON value; the comment after it is left unread
    } catch (const json::exception&) {
      continue;
    }
    values[line.substr(0, colon)] = std::move(value);
  }
  return values;
}

std::string shown(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// "bert" for a folder whose config.json says "model_type": "bert"; nullopt when unreadable.
std::optional<std::string> model_type_in(const fs::path& folder) {
  std::ifstream in(folder / "config.json");
  const json config = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object() || !config.contains("model_type") || !config["model_type"].is_string()) return std::nullopt;
  return config["model_type"].get<std::string>();
}

void refuse_another_model_type(const config::Recipe& recipe, const std::string& checkpoint_dir) {
  const auto saved = model_type_in(checkpoint_dir);
  const auto wanted = model_type_in(recipe.model.folders.config);
  if (saved && wanted && *saved != *wanted)
    throw CheckpointError("resume_from_checkpoint: " + checkpoint_dir + " holds a " + *saved + " model, but " +
                          recipe.model.folders.config + " is a " + *wanted +
                          " model; resume with the model the checkpoint was trained from, or train without "
                          "resume_from_checkpoint");
}

}  // namespace

void check_resumed_recipe(const config::Recipe& recipe, const std::string& checkpoint_dir, const RunHooks& hooks) {
  const fs::path saved_path = fs::path(checkpoint_dir) / kRecipeFile;
  const std::map<std::string, json> saved = read_resolved_recipe(saved_path);
  for (const auto& field : config::recipe_fields()) {
    const auto it = saved.find(field.name);
    if (it == saved.end() || kNotTraining.contains(field.name)) continue;
    const json now = field.print(recipe);
    if (now == it->second) continue;
    if (kModelKeys.contains(field.name))
      throw CheckpointError("resume_from_checkpoint: " + field.name + " is " + shown(now) + ", but " + checkpoint_dir +
                            " continues a run of " + shown(it->second) + " (" + saved_path.string() +
                            "); set " + field.name + ": " + shown(it->second) +
                            " to continue it, or train without resume_from_checkpoint");
    warn(hooks, "resume_from_checkpoint: " + field.name + " is " + shown(now) + ", " + checkpoint_dir +
                    " was trained with " + shown(it->second) + "; the run continues with " + shown(now));
  }
  refuse_another_model_type(recipe, checkpoint_dir);
}

std::optional<std::string> world_size_change(const std::string& checkpoint_dir, std::optional<int64_t> saved,
                                             int64_t now, int64_t per_process_batch) {
  if (!saved || *saved == now) return std::nullopt;
  return "resume_from_checkpoint: " + checkpoint_dir + " was saved by a run of " + std::to_string(*saved) +
         " processes, this run has " + std::to_string(now) + ": the global batch changes from " +
         std::to_string(*saved * per_process_batch) + " to " + std::to_string(now * per_process_batch) + " rows per step";
}

}  // namespace hft::train
