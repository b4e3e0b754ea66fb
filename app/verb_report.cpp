// `hft report OUTPUT_DIR...`: report.html of one training run, or of several with their curves
// overlaid (written to --output, by default the one folder's report.html, or ./report.html).
#include <filesystem>
#include <iostream>

#include "exit_codes.h"
#include "hft/config/output_paths.h"  // InputFile
#include "hft/report/report_data.h"   // kDataStatisticsFile, kClassificationReportFile
#include "hft/report/report_page.h"   // write_report
#include "output_argument.h"          // check_output_argument
#include "verbs.h"

namespace hft::app {
namespace {

namespace fs = std::filesystem;

std::string default_output(const std::vector<std::string>& folders) {
  return folders.size() == 1 ? (fs::path(folders.front()) / "report.html").string() : "report.html";
}

}  // namespace

int run_report(const ReportRequest& request) {
  const std::string output = request.output_path.empty() ? default_output(request.folders) : request.output_path;
  std::vector<config::InputFile> inputs;  // the files a report reads: --output naming one would replace it
  for (const std::string& folder : request.folders)
    for (const char* file : {"trainer_state.json", "log.jsonl", "hft_recipe.yaml", "train_results.json", "eval_results.json",
                             report::kDataStatisticsFile, report::kClassificationReportFile})
      inputs.push_back({"a run's " + std::string(file), (fs::path(folder) / file).string()});
  check_output_argument(output, inputs);
  report::write_report(request.folders, output);
  std::cout << "report written to " << output << std::endl;
  return kExitOk;
}

}  // namespace hft::app
