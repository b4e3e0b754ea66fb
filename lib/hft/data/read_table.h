// read_table: any supported data file -> Table, picking the reader by extension (.csv, .tsv,
// .json, .jsonl, each also gzip-compressed as .gz) the way `datasets.load_dataset` is called for it.
#pragma once

#include <string>
#include <vector>

#include "hft/data/table.h"  // Table

namespace hft::data {

struct ReadOptions {
  // Names for the columns of a file without a header line (GLUE CoLA); empty: the first line of
  // a csv/tsv file is its header. Ignored for json/jsonl.
  std::vector<std::string> column_names;
  std::string json_field;  // the field of a .json document holding the records; empty: guess
};

// Throws DataError (file:line[:column]) for a missing or unreadable file, an empty file, bytes
// that are not UTF-8, a file with no rows, or what the format's reader rejects.
Table read_table(const std::string& path, const ReadOptions& options = {});

}  // namespace hft::data
