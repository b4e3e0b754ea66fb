// hft: fine-tune Hugging Face transformer models from a YAML recipe.
// Parses the command line (CLI11) into a request, runs the verb, maps errors to exit codes.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "exit_codes.h"              // kExitOk, kExitBadInput, ...
#include "hft/config/value_reading.h" // closest_name
#include "hft/error.h"                // Error: every error hft reports, with its exit code
#include "interrupt.h"                // install_interrupt_handlers
#include "launcher.h"                 // LaunchRequest, run_launcher
#include "memory_reuse.h"             // reuse_large_blocks
#include "verbs.h"                    // run_train, run_validate, ...
#include "version.h"                  // kHftVersion

namespace {

using namespace hft::app;

constexpr const char* kOverridesHelp =
    "Recipe keys to override: key=value, --key=value or --key value (a boolean key alone means true)";

// Adds the RECIPE positional to a verb; the rest of the command line is collected as overrides.
void add_recipe_arguments(CLI::App* verb, RecipeRequest& request) {
  verb->add_option("recipe", request.recipe_path, "The YAML recipe")->required();
  verb->allow_extras();
  verb->footer(std::string("Overrides: ") + kOverridesHelp);
}

// `hft trian`: CLI11 would only say that a subcommand is required; name the word and the closest verb.
bool report_unknown_verb(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  std::vector<std::string> verbs;
  for (const CLI::App* verb : app.get_subcommands([](const CLI::App*) { return true; })) verbs.push_back(verb->get_name());
  if (std::find(verbs.begin(), verbs.end(), argv[1]) != verbs.end()) return false;
  const std::string hint = hft::config::closest_name(argv[1], verbs);
  std::string names;
  for (const auto& verb : verbs) names += (names.empty() ? "" : ", ") + verb;
  std::cerr << "hft: unknown verb '" << argv[1] << "'" << (hint.empty() ? "" : ", did you mean " + hint + "?")
            << " (the verbs: " << names << ")\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  reuse_large_blocks();
  install_interrupt_handlers();
  const Failpoints failpoints = read_failpoints();  // tests only; all off unless asked
  CLI::App app{"hft: fine-tune Hugging Face transformer models from a YAML recipe", "hft"};
  app.set_version_flag("--version", std::string("hft ") + kHftVersion);
  app.require_subcommand(1);

  RecipeRequest train, evaluate;
  ValidateRequest validate;
  PredictRequest predict;
  auto* train_cmd = app.add_subcommand("train", "Train (and evaluate, save) as the recipe says");
  add_recipe_arguments(train_cmd, train);
  LaunchRequest launch;
  train_cmd->add_option("--nproc-per-node", launch.nproc_per_node, "Start this many workers on this node (data parallel)");
  train_cmd->add_option("--nnodes", launch.nnodes, "Nodes in the job (with --nproc-per-node)");
  train_cmd->add_option("--node-rank", launch.node_rank, "This node's index, 0..nnodes-1");
  train_cmd->add_option("--master-addr", launch.master_addr, "Host of node 0, where rank 0 listens");
  train_cmd->add_option("--master-port", launch.master_port, "Port rank 0 listens on");
  auto* evaluate_cmd = app.add_subcommand("evaluate", "Metrics of the model on validation_file");
  add_recipe_arguments(evaluate_cmd, evaluate);
  auto* predict_cmd = app.add_subcommand("predict", "Predictions for each row of an input file");
  add_recipe_arguments(predict_cmd, predict.recipe);
  predict_cmd->add_option("--input", predict.input_path, "Rows to predict (default: the recipe's test_file)");
  predict_cmd->add_option("--output", predict.output_path, "Where to write predictions (.tsv or .jsonl)")->required();
  auto* validate_cmd = app.add_subcommand("validate", "Check a recipe; print it resolved, with derived step counts");
  add_recipe_arguments(validate_cmd, validate.recipe);
  validate_cmd->add_flag("--json", validate.json, "Print the resolved recipe as JSON");
  auto* env_cmd = app.add_subcommand("env", "Versions, devices and CPU features hft sees");
  TokenizeRequest tokenize;
  auto* tokenize_cmd = app.add_subcommand("tokenize", "Token ids of each row of a TSV file, one JSON line per row");
  tokenize_cmd->add_option("--tokenizer", tokenize.tokenizer_dir, "Model folder (tokenizer.json or vocab.txt)")->required();
  tokenize_cmd->add_option("--input", tokenize.input_path, "TSV file")->required();
  tokenize_cmd->add_option("--column", tokenize.column, "Text column: header name or 0-based index")->capture_default_str();
  tokenize_cmd->add_option("--pair-column", tokenize.pair_column, "Second text of each pair");
  tokenize_cmd->add_option("--max-length", tokenize.max_length, "Truncate to this many tokens (>= 1; leave out for no limit)");
  tokenize_cmd->add_option("--truncation", tokenize.truncation, "longest_first, only_first, only_second, do_not_truncate")->capture_default_str();
  tokenize_cmd->add_flag("--no-header", tokenize.no_header, "The first line is a row, not a header");
  tokenize_cmd->add_flag("--no-special-tokens", tokenize.no_special_tokens, "Leave out [CLS], [SEP], ...");
  tokenize_cmd->add_flag("--with-offsets", tokenize.with_offsets, "Also write special_tokens_mask and character offsets");
  tokenize_cmd->add_flag("--decode", tokenize.decode,
                         "Also write the ids decoded back to text, with and without the special tokens");
  tokenize_cmd->add_option("--threads", tokenize.threads, "Encoding threads (0: all cores)");
  tokenize_cmd->add_option("--output", tokenize.output_path, "Write the JSON lines here instead of stdout");
  ReportRequest report;
  auto* report_cmd = app.add_subcommand("report", "report.html of training runs: curves, evaluations, data, recipe");
  report_cmd->add_option("output_dirs", report.folders, "Output folders of training runs (several: curves overlaid)")
      ->required();
  report_cmd->add_option("--output", report.output_path,
                         "Where to write the page (default: OUTPUT_DIR/report.html for one run, ./report.html for several)");

  if (report_unknown_verb(app, argc, argv)) return kExitBadInput;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "hft: " << e.what() << " (see hft --help)\n";
    return kExitBadInput;
  }

  try {
    if (train_cmd->parsed() && train_cmd->count("--nproc-per-node") > 0) return train.overrides = train_cmd->remaining(), run_launcher(train, launch);
    if (train_cmd->parsed()) return train.overrides = train_cmd->remaining(), run_train(train, failpoints);
    if (evaluate_cmd->parsed()) return evaluate.overrides = evaluate_cmd->remaining(), run_evaluate(evaluate);
    if (predict_cmd->parsed()) return predict.recipe.overrides = predict_cmd->remaining(), run_predict(predict);
    if (validate_cmd->parsed()) return validate.recipe.overrides = validate_cmd->remaining(), run_validate(validate);
    if (env_cmd->parsed()) return run_env();
    if (tokenize_cmd->parsed()) return run_tokenize(tokenize);
    if (report_cmd->parsed()) return run_report(report);
  } catch (const hft::Error& e) {
    const bool bad_input = e.exit_code() == hft::ExitCode::kBadInput;  // bad input names its file or key itself
    std::cerr << (bad_input ? "" : "hft: error: ") << e.what() << "\n";
    return static_cast<int>(e.exit_code());
  } catch (const std::exception& e) {  // not one of hft's own: a bug, or a library's failure
    std::cerr << "hft: error: " << e.what() << "\n";
    return kExitRuntimeFailure;
  }
  return kExitBadInput;
}
