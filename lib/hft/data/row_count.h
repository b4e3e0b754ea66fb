// Counting the rows of a data file without loading it, for `hft validate`'s step arithmetic.
// Rows are counted as the `datasets` library reads them: a csv/tsv header is not a row, a csv
// field may hold quoted newlines, json is a list of records or a mapping holding one list.
#pragma once

#include <cstdint>
#include <string>

namespace hft::data {

// Throws DataError when the file cannot be read or is not valid JSON.
int64_t count_rows(const std::string& path);

}  // namespace hft::data
