#include "hft/config/no_effect_keys.h"

#include "hft/config/reporters.h"  // report_to_names

namespace hft::config {
namespace {

bool set_by_user(const LoadedRecipe& loaded, const std::string& key) {
  const Origin::Kind kind = loaded.origin_of(key).kind;
  return kind == Origin::Kind::kFile || kind == Origin::Kind::kCommandLine;
}

std::string warning(const std::string& key, const std::string& reason) { return key + ": no effect: " + reason; }

// The verb decides what a run does; a do_* flag set to true for another verb is a leftover of a
// run_glue.py command line.
void add_verb_flags(const LoadedRecipe& loaded, Verb verb, std::vector<std::string>& out) {
  if (verb == Verb::kValidate) return;
  const TrainingArguments& t = loaded.recipe.training;
  const std::string instead = "the verb decides what runs; ";
  if (t.do_train && verb != Verb::kTrain && set_by_user(loaded, "do_train"))
    out.push_back(warning("do_train", instead + "run `hft train RECIPE` to train"));
  if (t.do_eval && verb == Verb::kPredict && set_by_user(loaded, "do_eval"))
    out.push_back(warning("do_eval", instead + "run `hft evaluate RECIPE` to evaluate"));
  if (t.do_predict && verb != Verb::kPredict && set_by_user(loaded, "do_predict"))
    out.push_back(warning("do_predict", instead + "run `hft predict RECIPE --output FILE` to predict"));
}

// run_name names the MLflow run; without a tracker it names nothing.
void add_run_name(const LoadedRecipe& loaded, std::vector<std::string>& out) {
  const TrainingArguments& t = loaded.recipe.training;
  const bool tracked = report_to_names(t, "mlflow") || report_to_names(t, "all");
  if (!tracked && set_by_user(loaded, "run_name"))
    out.push_back(warning("run_name", "it names the MLflow run (report_to: mlflow), and this run reports to no tracker"));
}

}  // namespace

const std::vector<NoEffectKey>& no_effect_keys() {
  static const std::vector<NoEffectKey> keys = {
      {"tf32", "TF32 is a matmul and cuDNN mode of CUDA GPUs (Ampere and newer); this run is on the CPU", true},
      {"dataloader_pin_memory", "pinned memory speeds copies from the host to a GPU; this run is on the CPU", true},
      {"ddp_find_unused_parameters",
       "hft's gradient averaging always counts a parameter without a gradient as zero", false},
      {"ddp_broadcast_buffers",
       "hft broadcasts rank 0's parameters and buffers once at the start; the models' buffers are constants", false},
      {"ddp_static_graph", "hft's gradient buckets need no static-graph hint", false},
      {"local_rank", "the launcher's LOCAL_RANK (or SLURM_LOCALID) picks each process's GPU", false},
  };
  return keys;
}

std::vector<std::string> no_effect_warnings(const LoadedRecipe& loaded, Verb verb, bool cpu_run) {
  std::vector<std::string> out;
  for (const NoEffectKey& k : no_effect_keys())
    if ((!k.cpu_only || cpu_run) && set_by_user(loaded, k.key)) out.push_back(warning(k.key, k.reason));
  add_verb_flags(loaded, verb, out);
  add_run_name(loaded, out);
  return out;
}

}  // namespace hft::config
