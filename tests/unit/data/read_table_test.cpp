// Bad data files: one DataError each, naming file:line(:column) and what is wrong.
#include "hft/data/read_table.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "hft/data/data_error.h"  // DataError
#include "../test_files.h"        // ScratchDir
#include "gzip_file.h"             // write_gzip

using hft::data::DataError;
using hft::data::read_table;
using hft::testing::ScratchDir;

namespace {

// The message of the DataError that reading `path` throws ("" when none is thrown).
std::string error_of(const std::string& path, const hft::data::ReadOptions& options = {}) {
  try {
    read_table(path, options);
  } catch (const DataError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a missing file is named") {
  ScratchDir dir;
  CHECK(error_of(dir.path("nope.csv")) == dir.path("nope.csv") + ": no such file");
}

TEST_CASE("an empty file, or one with only a header, is an error") {
  ScratchDir dir;
  CHECK(error_of(dir.write("a.csv", "")) == dir.path("a.csv") + ": the file is empty");
  CHECK(error_of(dir.write("b.tsv", "\n \n")) == dir.path("b.tsv") + ": the file is empty");
  CHECK(error_of(dir.write("c.csv", "text,label\n")) == dir.path("c.csv") + ": no rows (only a header?)");
}

TEST_CASE("ragged rows are named by line, with the expected columns") {
  ScratchDir dir;
  const std::string path = dir.write("a.tsv", "sentence\tlabel\nfine\t1\n\nextra\t1\t2\n");
  CHECK(error_of(path) == path + ":4: expected 2 fields (columns sentence, label), found 3");
  const std::string csv = dir.write("b.csv", "a,b\n\"x\ny\",1\nshort\n");
  CHECK(error_of(csv) == csv + ":4: expected 2 fields (columns a, b), found 1");
  const std::string cola = dir.write("c.tsv", "gj04\t1\t\tok\ngj04\t1\tbad\n");
  CHECK(error_of(cola, {{"source", "label", "notes", "sentence"}, ""}) ==
        cola + ":2: expected 4 fields (columns source, label, notes, sentence), found 3");
}

TEST_CASE("an unterminated quote is named where it opens") {
  ScratchDir dir;
  const std::string path = dir.write("a.csv", "text,label\nok,1\nfine,\"0\nand never closed\n");
  CHECK(error_of(path) == path + ":3:6: unterminated quote: the field opened here never closes");
}

TEST_CASE("invalid UTF-8 is named by line and column") {
  ScratchDir dir;
  const std::string path = dir.write("a.tsv", "sentence\tlabel\nh\xC3\xA9llo w\xFFrld\t1\n");
  CHECK(error_of(path) == path + ":2:8: invalid UTF-8");
  const std::string overlong = dir.write("b.csv", "t\n\xC0\xAF\n");
  CHECK(error_of(overlong) == overlong + ":2:1: invalid UTF-8");
}

TEST_CASE("invalid JSON and JSON without records") {
  ScratchDir dir;
  const std::string lines = dir.write("a.jsonl", "{\"t\": 1}\n{\"t\": 2,}\n");
  CHECK(error_of(lines) == lines + ":2:9: invalid JSON");
  const std::string scalar = dir.write("b.jsonl", "{\"t\": 1}\n[1]\n");
  CHECK(error_of(scalar) == scalar + ":2: expected a JSON object (one record), found array");
  const std::string no_list = dir.write("c.json", "{\"version\": 1}");
  CHECK(error_of(no_list) ==
        no_list + ": no list of records; expected a JSON list of objects, or a mapping with one list field");
  const std::string nested = dir.write("d.json", "{\"version\": 1, \"data\": [{\"t\": \"x\"}]}");
  CHECK(read_table(nested).columns.at(0).cells == std::vector<std::string>{"x"});
}

TEST_CASE("JSON nested deeper than 100 levels is named where it goes too deep, without a crash") {
  ScratchDir dir;
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  // By hand: `{"t": "x", "label": ` is 20 characters; the record's brace is level 1, so the 100th
  // bracket (column 120) is level 101.
  const std::string lines = dir.write("a.jsonl", "{\"t\": \"ok\"}\n{\"t\": \"x\", \"label\": " + deep + "}\n");
  const std::string expected = ": JSON nested more than 100 levels deep; expected records of text, numbers and label lists";
  CHECK(error_of(lines) == lines + ":2:120" + expected);
  const std::string document = dir.write("b.json", "[\n{\"t\": \"x\", \"label\": " + deep + "}]");
  CHECK(error_of(document) == document + ":2:119" + expected);  // the list is level 1, the record 2
  // Brackets inside strings (and escaped quotes) are text, not nesting; 100 levels are read.
  const std::string text = dir.write("c.jsonl", "{\"t\": \"\\\"" + deep + "\", \"label\": " + std::string(99, '[') +
                                                    std::string(99, ']') + "}\n");
  CHECK(read_table(text).at("t").cells[0] == "\"" + deep);
}

TEST_CASE("an unknown extension lists the supported ones") {
  ScratchDir dir;
  const std::string path = dir.write("a.txt", "x\n");
  CHECK(error_of(path) == path + ": unsupported file type '.txt'; expected .csv, .tsv, .json or .jsonl (or one of them .gz)");
  const std::string gz = hft::testing::write_gzip(dir.path("b.txt.gz"), "x\n");
  CHECK(error_of(gz) == gz + ": unsupported file type '.txt'; expected .csv, .tsv, .json or .jsonl (or one of them .gz)");
}

TEST_CASE("errors inside a gzip-compressed file name the line of the uncompressed text") {
  ScratchDir dir;
  const std::string tsv = hft::testing::write_gzip(dir.path("a.tsv.gz"), "sentence\tlabel\nfine\t1\n\nextra\t1\t2\n");
  CHECK(error_of(tsv) == tsv + ":4: expected 2 fields (columns sentence, label), found 3");
  const std::string utf8 = hft::testing::write_gzip(dir.path("b.csv.gz"), "t\nok\nw\xFFrld\n");
  CHECK(error_of(utf8) == utf8 + ":3:2: invalid UTF-8");
  const std::string jsonl = hft::testing::write_gzip(dir.path("c.jsonl.gz"), "{\"t\": 1}\n{\"t\": \n");
  CHECK(error_of(jsonl).rfind(jsonl + ":2:", 0) == 0);
}

TEST_CASE("a .gz file that is not gzip data, or is cut short, is named with what to check") {
  ScratchDir dir;
  const std::string plain = dir.write("a.tsv.gz", "sentence\tlabel\nfine\t1\n");
  CHECK(error_of(plain) == plain + ": not gzip-compressed, though its name ends in .gz; compress it with gzip or drop the .gz");
  const std::string whole = hft::testing::write_gzip(dir.path("whole.tsv.gz"), "sentence\tlabel\n" + std::string(5000, 'a') + "\t1\n");
  std::ifstream in(whole, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = dir.write("cut.tsv.gz", bytes.substr(0, bytes.size() / 2));
  CHECK(error_of(cut) == cut + ": damaged gzip data (unexpected end of file); check the file with `gzip -t`");
  std::string flipped = bytes;
  flipped[bytes.size() - 3] ^= 0x5a;  // the stored length no longer matches
  const std::string damaged = dir.write("damaged.tsv.gz", flipped);
  CHECK(error_of(damaged).rfind(damaged + ": damaged gzip data (", 0) == 0);
}

TEST_CASE("keep_first_rows and max_*_samples") {
  ScratchDir dir;
  auto table = read_table(dir.write("a.csv", "t,l\na,1\nb,0\nc,1\n"));
  hft::data::keep_first_rows(table, 2);
  CHECK(table.num_rows() == 2);
  CHECK(table.at("t").cells == std::vector<std::string>{"a", "b"});
  hft::data::keep_first_rows(table, 10);
  CHECK(table.num_rows() == 2);
}
