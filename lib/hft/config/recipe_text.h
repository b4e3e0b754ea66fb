// The text of a recipe file, checked before YAML reads it: a file (not a folder), no larger than a
// recipe can be (so /dev/zero or a stray data file is not read whole), UTF-8, and indented with
// spaces. Each problem is thrown as ConfigErrors naming the file, and the line:column where known.
#pragma once

#include <cstddef>
#include <string>

namespace hft::config {

inline constexpr size_t kMaxRecipeBytes = size_t{1} << 20;  // 1 MiB; recipes are a few KB

std::string read_recipe_text(const std::string& path);

// The key written on a 1-based line ("weight_decay" for "  weight_decay: 0.01"), so that an error
// inside a line names the key it is on; empty when the line holds none.
std::string key_on_line(const std::string& text, int line);

}  // namespace hft::config
