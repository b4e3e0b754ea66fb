// Writing a file so that readers see the old content or the new, never a half-written one:
// write a temporary file in the same folder, fsync it, rename it over the target.
#pragma once

#include <string>

namespace hft::checkpoint {

// Throws std::runtime_error naming the path and the system error when any step fails; the
// temporary file is removed then, and an existing target is left as it was.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace hft::checkpoint
