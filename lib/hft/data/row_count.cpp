#include "hft/data/row_count.h"

#include "hft/data/read_table.h"  // read_table

namespace hft::data {

int64_t count_rows(const std::string& path) { return read_table(path).num_rows(); }

}  // namespace hft::data
