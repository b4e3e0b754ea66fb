// CSV and TSV files as `datasets.load_dataset("csv", ...)` reads them (pandas' C parser):
// CSV with RFC 4180 quoting (a field opened by '"' may hold delimiters, newlines and doubled
// quotes); TSV with quoting off (`quoting=csv.QUOTE_NONE`), the only way `datasets` reads the
// GLUE files (STS-B has unbalanced quote characters that must stay literal). Blank and
// whitespace-only lines are skipped; pandas' default missing-value markers ("", "NA", "null",
// "nan", ...) mark a cell missing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hft/data/table.h"  // Table

namespace hft::data {

struct DelimitedFormat {
  char delimiter = ',';
  bool quoting = true;  // '"' opens a quoted field (csv); false keeps quotes literal (tsv)
};

// Parses `text` (the content of `file`, already checked to be UTF-8). `names` empty: the first
// record is the header; otherwise the file has no header and these name its columns. Throws
// DataError naming file:line:column for an unterminated quote, a record with a different
// number of fields than the header, or a duplicate column name.
Table parse_delimited(const std::string& file, std::string_view text, const DelimitedFormat& format,
                      const std::vector<std::string>& names);

// pandas' default missing-value markers (read_csv's na_values with keep_default_na).
bool is_missing_marker(std::string_view cell);

}  // namespace hft::data
