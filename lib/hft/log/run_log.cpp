#include "hft/log/run_log.h"

#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace hft::log {

std::string tensorboard_tag(const std::string& key) {
  for (const char* prefix : {"eval", "test"})
    if (key.rfind(std::string(prefix) + "_", 0) == 0) return std::string(prefix) + "/" + key.substr(std::string(prefix).size() + 1);
  return "train/" + key;
}

std::string default_logging_dir(const std::string& output_dir) {
  char stamp[64] = {}, host[256] = {};
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof(stamp), "%b%d_%H-%M-%S", std::localtime(&now));
  if (::gethostname(host, sizeof(host) - 1) != 0) std::snprintf(host, sizeof(host), "localhost");
  return (std::filesystem::path(output_dir) / "runs" / (std::string(stamp) + "_" + host)).string();
}

RunLog::RunLog(const RunLogOptions& options)
    : print_(options.print),
      jsonl_path_(options.jsonl_path),
      mlflow_(options.mlflow),
      bar_(options.total_steps, options.progress_bar) {
  if (!print_) print_ = [](const std::string& text) { std::cout << text << std::endl; };
  if (options.tensorboard_dir) tensorboard_ = std::make_unique<TensorBoardWriter>(*options.tensorboard_dir);
}

void RunLog::entry(const nlohmann::json& entry) {
  line(entry.dump());
  if (!jsonl_path_.empty()) std::ofstream(jsonl_path_, std::ios::app) << entry.dump() << "\n";
  if (mlflow_) {
    mlflow_->log_entry(entry);
    if (const auto warning = mlflow_->take_warning()) line("warning: " + *warning);
  }
  if (!tensorboard_) return;
  const int64_t step = entry.value("step", int64_t{0});
  for (const auto& [key, value] : entry.items())
    if (key != "step" && value.is_number()) tensorboard_->add_scalar(tensorboard_tag(key), value.get<double>(), step);
  tensorboard_->flush();
}

void RunLog::line(const std::string& text) {
  bar_.clear();
  print_(text);
  bar_.redraw();
}

}  // namespace hft::log
