// A bounded, deterministic fuzz of the readers: random edits of valid csv/tsv/jsonl/json text
// must either parse or throw DataError; never crash, hang or throw anything else. (The
// coverage-guided libFuzzer target is tests/fuzz/readers_fuzz.cpp.)
#include <catch2/catch.hpp>

#include <random>

#include "hft/data/data_error.h"        // DataError
#include "hft/data/delimited_reader.h"  // parse_delimited
#include "hft/data/json_reader.h"       // parse_json, parse_json_lines
#include "hft/data/utf8_check.h"        // find_invalid_utf8

using namespace hft::data;

namespace {

const char* const kSeeds[] = {
    "text,label\n\"a, b\nc\",1\n\"x \"\"y\"\"\",0\nplain,1\n",
    "sentence\tlabel\nit 's \"fine\" \t1\n\t0\nNA\t1\n",
    "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\\n\", \"label\": 2.5, \"x\": [1, {}]}\n",
    "{\"version\": 1, \"data\": [{\"t\": \"x\"}, {\"t\": null}]}",
};
const char kAlphabet[] = "\",\t\n\r{}[]:\\ab1 \xC3\xA9\xFF";

std::string mutate(std::string text, std::mt19937& random) {
  const int edits = 1 + random() % 6;
  for (int e = 0; e < edits; ++e) {
    const size_t at = text.empty() ? 0 : random() % (text.size() + 1);
    const char c = kAlphabet[random() % (sizeof(kAlphabet) - 1)];
    switch (random() % 3) {
      case 0: text.insert(text.begin() + at, c); break;
      case 1: if (at < text.size()) text.erase(at, 1); break;
      default: if (at < text.size()) text[at] = c;
    }
  }
  return text;
}

void read_any(int format, const std::string& text) {
  if (find_invalid_utf8(text)) return;  // read_table refuses these before parsing
  switch (format) {
    case 0: parse_delimited("f.csv", text, {',', true}, {}); break;
    case 1: parse_delimited("f.tsv", text, {'\t', false}, {"a", "b"}); break;
    case 2: parse_json_lines("f.jsonl", text); break;
    default: parse_json("f.json", text, "");
  }
}

}  // namespace

TEST_CASE("randomly edited files parse or throw DataError") {
  std::mt19937 random(2024);
  int errors = 0, parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    const int format = i % 4;
    const std::string text = mutate(kSeeds[format], random);
    try {
      read_any(format, text);
      ++parsed;
    } catch (const DataError&) {
      ++errors;
    }
  }
  CHECK(parsed > 0);
  CHECK(errors > 0);
}
