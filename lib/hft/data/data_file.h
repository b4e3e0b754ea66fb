// A data file's bytes and its format, whether stored plain or gzip-compressed (`train.tsv.gz`),
// as `datasets.load_dataset` reads both: the format is the extension before `.gz`.
#pragma once

#include <string>

namespace hft::data {

// The file's format extension, lowercased, with a trailing `.gz` skipped: ".tsv" for "a/b.TSV.gz".
std::string data_format(const std::string& path);

// True when the name ends in `.gz` (any case): the bytes are decompressed as they are read.
bool is_gzip_name(const std::string& path);

// The whole file as bytes, decompressed chunk by chunk when its name ends in `.gz` (no temporary
// file). Throws DataError for a missing or unreadable file, and for a `.gz` file that is not
// gzip data or is damaged or cut short.
std::string read_file_bytes(const std::string& path);

}  // namespace hft::data
