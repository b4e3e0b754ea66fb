// Counting the rows of a data file for `hft validate`'s step arithmetic, with the same reader a
// run uses (read_table), so the plan and the run never disagree about a file.
#pragma once

#include <cstdint>
#include <string>

namespace hft::data {

// Throws DataError when the file cannot be read or is malformed.
int64_t count_rows(const std::string& path);

}  // namespace hft::data
