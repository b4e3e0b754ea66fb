// JSON Lines and JSON files as `datasets.load_dataset("json", ...)` reads them: one object per
// line, or one document holding a list of objects (top level, or the list in `field`). Columns
// are the union of the objects' keys in order of first appearance; an absent key or null is a
// missing cell; strings are kept unquoted, other values as their JSON text.
#pragma once

#include <string>
#include <string_view>

#include "hft/data/table.h"  // Table

namespace hft::data {

// Throws DataError naming file:line:column of a line that is not a JSON object.
Table parse_json_lines(const std::string& file, std::string_view text);

// `field` empty: the document is a list of records, or a mapping whose first list-valued field
// holds them. Throws DataError for invalid JSON (with its line and column) or no list of records.
Table parse_json(const std::string& file, std::string_view text, const std::string& field);

}  // namespace hft::data
