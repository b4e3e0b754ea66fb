#include "hft/config/output_paths.h"

#include <unistd.h>

#include <filesystem>

namespace hft::config {
namespace {

namespace fs = std::filesystem;

bool writable(const fs::path& path) { return ::access(path.c_str(), W_OK) == 0; }

std::optional<Problem> same_as_an_input(const fs::path& file, const std::vector<InputFile>& inputs) {
  std::error_code ec;
  for (const InputFile& input : inputs) {
    if (fs::equivalent(file, input.path, ec))  // false when either is missing
      return Problem{"is the same file as " + input.role + " " + input.path + ", which this run reads",
                     "a new file, or one this run does not read"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> output_file_problem(const std::string& path, const std::vector<InputFile>& inputs) {
  std::error_code ec;
  const fs::path file(path);
  if (fs::is_directory(file, ec)) return Problem{"is a folder", "a file path, such as " + (file / "predictions.tsv").string()};
  if (auto problem = same_as_an_input(file, inputs)) return problem;
  const fs::path folder = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  if (!fs::exists(folder, ec))
    return Problem{"the folder " + folder.string() + " does not exist", "a file in an existing folder (create it first)"};
  if (!fs::is_directory(folder, ec))
    return Problem{folder.string() + " is not a folder", "a file in an existing folder"};
  if (!writable(folder)) return Problem{"the folder " + folder.string() + " is not writable", "a folder this user can write"};
  if (fs::exists(file, ec) && !writable(file)) return Problem{"is not writable", "a file this user can write"};
  return std::nullopt;
}

std::optional<Problem> output_folder_problem(const std::string& path) {
  std::error_code ec;
  for (fs::path p = fs::absolute(path, ec); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p, ec)) {
      if (!fs::is_directory(p, ec))
        return Problem{p == fs::absolute(path, ec) ? "exists and is not a folder" : "cannot be created: " + p.string() + " is a file",
                       "a folder path"};
      if (!writable(p)) return Problem{"cannot be created or written: " + p.string() + " is not writable", "a folder this user can write"};
      return std::nullopt;
    }
    if (p == p.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace hft::config
