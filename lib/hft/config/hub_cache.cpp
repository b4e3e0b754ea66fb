#include "hft/config/hub_cache.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hft::config {
namespace {

namespace fs = std::filesystem;

// `~/x` -> $HOME/x, as os.path.expanduser does for the variables huggingface_hub reads.
std::string expand_home(const std::string& path, const Getenv& getenv) {
  const char* home = getenv("HOME");
  if (path == "~" || path.starts_with("~/")) return std::string(home ? home : "") + path.substr(1);
  return path;
}

std::optional<std::string> variable(const Getenv& getenv, const char* name) {
  const char* value = getenv(name);
  if (!value || !*value) return std::nullopt;
  return expand_home(value, getenv);
}

bool is_commit_hash(const std::string& revision) {
  return revision.size() == 40 && std::all_of(revision.begin(), revision.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool is_id_part(const std::string& part) {
  if (part.empty() || part.size() > 96) return false;
  for (char c : part)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  const auto edge = [](char c) { return c == '-' || c == '.'; };
  return !edge(part.front()) && !edge(part.back()) && part.find("--") == std::string::npos &&
         part.find("..") == std::string::npos;
}

std::string read_ref(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string hash = text.str();
  hash.erase(std::remove_if(hash.begin(), hash.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
             hash.end());
  return hash;
}

}  // namespace

std::string hub_cache_dir(const Getenv& getenv) {
  if (auto dir = variable(getenv, "HF_HUB_CACHE")) return *dir;
  if (auto dir = variable(getenv, "HUGGINGFACE_HUB_CACHE")) return *dir;
  if (auto home = variable(getenv, "HF_HOME")) return (fs::path(*home) / "hub").string();
  const std::string cache = variable(getenv, "XDG_CACHE_HOME").value_or(expand_home("~/.cache", getenv));
  return (fs::path(cache) / "huggingface" / "hub").string();
}

bool is_hub_id(const std::string& name) {
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return is_id_part(name);
  return is_id_part(name.substr(0, slash)) && is_id_part(name.substr(slash + 1));
}

std::string hub_repo_dir(const std::string& cache_dir, const std::string& repo_id) {
  std::string folder = "models--" + repo_id;
  if (const size_t slash = folder.find('/'); slash != std::string::npos) folder.replace(slash, 1, "--");
  return (fs::path(cache_dir) / folder).string();
}

std::optional<std::string> find_snapshot(const std::string& cache_dir, const std::string& repo_id,
                                         const std::string& revision) {
  if (!is_hub_id(repo_id) || revision.empty() || revision.find("..") != std::string::npos) return std::nullopt;
  const fs::path repo(hub_repo_dir(cache_dir, repo_id));
  std::string commit = revision;
  std::error_code ec;
  if (!is_commit_hash(revision)) {
    if (!fs::is_regular_file(repo / "refs" / revision, ec)) return std::nullopt;
    commit = read_ref(repo / "refs" / revision);
  }
  if (commit.empty() || commit.find('/') != std::string::npos || commit.find("..") != std::string::npos)
    return std::nullopt;
  const fs::path snapshot = repo / "snapshots" / commit;
  if (!fs::is_directory(snapshot, ec)) return std::nullopt;
  return snapshot.string();
}

}  // namespace hft::config
