// hft_manifest.json: the list of a checkpoint's files with their sizes and SHA-256 hashes,
// written last, so a folder that has a manifest matching its files is a complete checkpoint.
// A run killed while saving leaves a folder without one (or none at all: folders are renamed
// into place only after the manifest is on disk), and resuming skips it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hft::checkpoint {

inline constexpr const char* kManifestFile = "hft_manifest.json";

// Hashes every file in `folder` (flushing each to disk) and writes the manifest beside them.
void write_manifest(const std::string& folder);

// What is wrong with `folder` as a checkpoint ("no readable hft_manifest.json", "model.safetensors:
// 1200 bytes, the manifest says 5000", ...), or nullopt when every listed file is there with its
// size and hash. The manifest must list each of `required`, and only plain file names inside the
// folder (never "../x" or "/etc/x"): nothing outside a checkpoint is ever read through it.
// `check_hashes` false compares sizes only (cheap, for listing and rotation).
std::optional<std::string> checkpoint_problem(const std::string& folder, const std::vector<std::string>& required = {},
                                              bool check_hashes = true);

// Whether `folder` has a manifest hft could read: hft wrote it (complete or since damaged).
bool has_manifest(const std::string& folder);

}  // namespace hft::checkpoint
