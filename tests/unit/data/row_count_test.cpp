#include "hft/data/row_count.h"

#include <catch2/catch.hpp>

#include "hft/data/data_error.h"
#include "../test_files.h"

using hft::data::count_rows;
using hft::testing::ScratchDir;

TEST_CASE("csv rows: the header is not a row, quoted fields may hold newlines") {
  ScratchDir dir;
  CHECK(count_rows(dir.write("a.csv", "text,label\n\"one\nline two\",1\nthree,0\n")) == 2);
  CHECK(count_rows(dir.write("b.csv", "text,label\r\nx,1\r\ny,0")) == 2);  // CRLF, no final newline
}

TEST_CASE("tsv rows keep quotes literal, as the GLUE files need") {
  ScratchDir dir;
  CHECK(count_rows(dir.write("a.tsv", "sentence\tlabel\n\"quoted start\t1\nplain\t0\n")) == 2);
}

TEST_CASE("json lines and json records") {
  ScratchDir dir;
  CHECK(count_rows(dir.write("a.jsonl", "{\"t\": 1}\n\n{\"t\": 2}\n")) == 2);
  CHECK(count_rows(dir.write("b.json", "[{\"t\": 1}, {\"t\": 2}, {\"t\": 3}]")) == 3);
  CHECK(count_rows(dir.write("c.json", "{\"version\": 1, \"data\": [{\"t\": 1}]}")) == 1);
  CHECK_THROWS_AS(count_rows(dir.write("d.json", "{\"version\": 1}")), hft::data::DataError);
}

TEST_CASE("the GLUE SST-2 dev file has 872 rows (its published size)") {
  CHECK(count_rows(std::string(HFT_SOURCE_DIR) + "/data/glue/SST-2/dev.tsv") == 872);
}
