// Whether an output can go where the user asked, checked before any work: a file (predictions,
// token ids) in an existing, writable folder that is none of the run's inputs; a folder
// (logging_dir) that can be created or written into. Inputs are compared as the kernel resolves
// paths: `./x`, `..`, symbolic links and hard links (same device and inode) all count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hft/config/value_reading.h"  // Problem

namespace hft::config {

// A file the run reads, and what names it in messages ("--input", "test_file", "the recipe").
struct InputFile {
  std::string role;
  std::string path;
};

// What stands in the way of writing the file `path` without touching an input: it is a folder,
// its folder is missing or not writable, it is not writable, or it is one of `inputs`.
std::optional<Problem> output_file_problem(const std::string& path, const std::vector<InputFile>& inputs);

// What stands in the way of creating the folder `path` or writing into it: a file at it or above
// it, or a nearest existing folder that is not writable.
std::optional<Problem> output_folder_problem(const std::string& path);

}  // namespace hft::config
