// libFuzzer target for the data readers: any bytes must parse, or be refused with a DataError
// (invalid UTF-8 is refused first, as read_table does). The first byte picks the format.
// Built and run for a bounded time by run_readers_fuzz.sh (clang, -fsanitize=fuzzer,address).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hft/data/data_error.h"        // DataError
#include "hft/data/delimited_reader.h"  // parse_delimited
#include "hft/data/json_reader.h"       // parse_json, parse_json_lines
#include "hft/data/utf8_check.h"        // find_invalid_utf8

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (hft::data::find_invalid_utf8(text)) return 0;
  try {
    switch (data[0] % 4) {
      case 0: hft::data::parse_delimited("f.csv", text, {',', true}, {}); break;
      case 1: hft::data::parse_delimited("f.tsv", text, {'\t', false}, {}); break;
      case 2: hft::data::parse_json_lines("f.jsonl", text); break;
      default: hft::data::parse_json("f.json", text, "");
    }
  } catch (const hft::data::DataError&) {
  }
  return 0;
}
