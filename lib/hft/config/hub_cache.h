// The local Hugging Face cache, read offline the way huggingface_hub reads it: a hub id
// (`bert-base-uncased`, `org/name`) at a revision -> its snapshot folder, or nothing.
//
//   <cache>/models--org--name/refs/<branch or tag>   holds a commit hash
//   <cache>/models--org--name/snapshots/<hash>/       the files (symlinks into ../../blobs/)
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace hft::config {

// An environment lookup (std::getenv in the program, a map in tests); nullptr when unset.
using Getenv = std::function<const char*(const char*)>;

// The cache folder: HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else HF_HOME/hub, else
// XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub (huggingface_hub.constants).
std::string hub_cache_dir(const Getenv& getenv);

// True for what huggingface_hub accepts as a repo id: `name` or `namespace/name`, each part of
// letters, digits, `-`, `_` and `.`, not starting or ending with `-` or `.`, without `--` or `..`.
bool is_hub_id(const std::string& name);

// The folder that snapshot_download(repo_id, revision=revision, local_files_only=True) returns:
// for a 40-digit commit hash its snapshot; else refs/<revision>'s commit's snapshot. nullopt
// when the cache has no such snapshot.
std::optional<std::string> find_snapshot(const std::string& cache_dir, const std::string& repo_id,
                                         const std::string& revision);

// The repository's folder in the cache, for messages: <cache>/models--org--name.
std::string hub_repo_dir(const std::string& cache_dir, const std::string& repo_id);

}  // namespace hft::config
