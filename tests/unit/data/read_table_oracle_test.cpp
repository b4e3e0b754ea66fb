// Every cell and the row count of data files, against datasets.load_dataset run by
// tests/oracle/data_tables.py: the GLUE files and small csv/jsonl files with the hard cases.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>

#include "hft/data/numpy_permutation.h"  // numpy_permutation
#include "hft/data/read_table.h"         // read_table, Table
#include "../test_files.h"        // ScratchDir
#include "gzip_file.h"             // write_gzip
#include "oracle.h"               // run_oracle, glue_path

using hft::data::Column;
using hft::data::ColumnKind;
using hft::data::ReadOptions;
using hft::data::Table;
using nlohmann::json;

namespace {

const std::vector<std::string> kColaNames = {"source", "label", "label_notes", "sentence"};

struct Job {
  std::string path;
  std::vector<std::string> column_names;  // header-less files
  std::optional<int64_t> shuffle_seed = std::nullopt;  // rows in datasets' Dataset.shuffle(seed) order
};

std::string kind_name(ColumnKind kind) {
  return kind == ColumnKind::kInt ? "int64" : kind == ColumnKind::kFloat ? "float64" : "string";
}

// One cell against the oracle's value: None <-> missing; numbers compared as numbers.
void check_cell(const Column& column, size_t row, const json& expected, int64_t line) {
  INFO("column " << column.name << ", row " << row << " (line " << line << "), expected " << expected.dump()
                 << ", got '" << column.cells[row] << "'");
  if (expected.is_null()) {
    CHECK(column.missing[row] == 1);
    return;
  }
  REQUIRE(column.missing[row] == 0);
  if (expected.is_string()) {
    CHECK(column.cells[row] == expected.get<std::string>());
  } else if (expected.is_number_integer()) {
    CHECK(std::stoll(column.cells[row]) == expected.get<int64_t>());
  } else {
    CHECK(std::strtod(column.cells[row].c_str(), nullptr) == expected.get<double>());
  }
}

void check_table(const Table& table, const json& expected) {
  INFO("file " << table.file);
  REQUIRE(table.num_rows() == expected["num_rows"].get<int64_t>());
  REQUIRE(table.columns.size() == expected["columns"].size());
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const Column& column = table.columns[c];
    const json& oracle = expected["columns"][c];
    REQUIRE(column.name == oracle["name"].get<std::string>());
    const std::string dtype = oracle["dtype"].get<std::string>();
    CHECK(kind_name(column.kind) == (dtype == "large_string" ? "string" : dtype));
    for (size_t row = 0; row < column.cells.size(); ++row) {
      check_cell(column, row, oracle["values"][row], table.lines[row]);
    }
  }
}

void compare_with_oracle(const std::vector<Job>& jobs) {
  hft::testing::ScratchDir dir;
  json spec = json::array();
  for (const Job& job : jobs) {
    json entry = {{"path", job.path}};
    if (!job.column_names.empty()) entry["column_names"] = job.column_names;
    if (job.shuffle_seed) entry["shuffle_seed"] = *job.shuffle_seed;
    spec.push_back(entry);
  }
  hft::testing::write_json(dir.path("jobs.json"), spec);
  hft::testing::run_oracle("data_tables.py", {dir.path("jobs.json"), dir.path("tables.jsonl")});
  const std::vector<json> expected = hft::testing::read_json_lines(dir.path("tables.jsonl"));
  REQUIRE(expected.size() == jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    Table table = hft::data::read_table(jobs[i].path, ReadOptions{jobs[i].column_names, ""});
    if (jobs[i].shuffle_seed)
      hft::data::reorder_rows(table, hft::data::numpy_permutation(*jobs[i].shuffle_seed, table.num_rows()));
    check_table(table, expected[i]);
  }
}

}  // namespace

TEST_CASE("every GLUE file reads as datasets.load_dataset reads it", "[oracle]") {
  std::vector<Job> jobs;
  for (const char* split : {"train", "dev", "test"}) {
    const bool compressed = std::string(split) == "train";  // stored as train.tsv.gz (data/MANIFEST.md)
    jobs.push_back({hft::testing::glue_path(std::string("SST-2/") + split + (compressed ? ".tsv.gz" : ".tsv")), {}});
    jobs.push_back({hft::testing::glue_path(std::string("STS-B/") + split + ".tsv"), {}});
    const bool has_header = std::string(split) == "test";
    jobs.push_back({hft::testing::glue_path(std::string("CoLA/") + split + ".tsv"),
                    has_header ? std::vector<std::string>{} : kColaNames});
  }
  compare_with_oracle(jobs);
}

TEST_CASE("shuffled rows follow datasets' Dataset.shuffle(seed) (shuffle_train_dataset)", "[oracle]") {
  compare_with_oracle({{hft::testing::glue_path("SST-2/dev.tsv"), {}, 42},
                       {hft::testing::glue_path("CoLA/dev.tsv"), kColaNames, 7},
                       {hft::testing::glue_path("STS-B/train.tsv"), {}, 123456789012}});
}

TEST_CASE("csv quoting, blank lines and missing values read as datasets reads them", "[oracle]") {
  hft::testing::ScratchDir dir;
  const std::string csv = dir.write("quotes.csv",
                                    "text,label,score\n"
                                    "\"a, quoted\nfield over two lines\",1,0.5\n"
                                    "\"doubled \"\"quotes\"\" inside\",0,1\n"
                                    "\n"
                                    "   \n"
                                    "plain \"quote\" inside,1,\n"
                                    "\"closed\"then more,0,2.25\n"
                                    "NA,1,3\n"
                                    "null,0,nan\r\n"
                                    "\"\",1,4\r\n"
                                    " leading space,0,5");
  const std::string tsv = dir.write("quotes.tsv", "a\tb\n\"open only\tx\nNone\t\"y\"\n\n  z\t1\n");
  const std::string jsonl = dir.write("rows.jsonl",
                                      "{\"text\": \"one\", \"label\": 1}\n\n"
                                      "{\"label\": 0, \"text\": \"two\", \"extra\": 2.5}\n"
                                      "{\"text\": null, \"label\": 1}\n");
  const std::string json_list = dir.write("rows.json", "[{\"t\": \"x\", \"y\": 1.5}, {\"t\": \"z\", \"y\": 2}]");
  const std::string edges = dir.write("edges.csv",
                                      "\xEF\xBB\xBFid,text\r\n"
                                      "1,\"quoted\" then space\r\n"
                                      "2,   \r\n"
                                      "3,\"multi\r\nline\"\r\n"
                                      "4,tab\tinside\n"
                                      "5,\"\"\"\"\n");
  compare_with_oracle({{csv, {}}, {tsv, {}}, {jsonl, {}}, {json_list, {}}, {edges, {}}});
}

TEST_CASE("gzip-compressed csv, tsv, json and jsonl files read as datasets reads them", "[oracle]") {
  hft::testing::ScratchDir dir;
  using hft::testing::write_gzip;
  const std::string csv = write_gzip(dir.path("a.csv.gz"), "text,label\n\"two\nlines\",1\nplain,0\n");
  const std::string tsv = write_gzip(dir.path("b.tsv.gz"), "sentence\tlabel\nit \"s\t1\n\u00e9t\u00e9\t0\n");
  const std::string jsonl = write_gzip(dir.path("c.jsonl.gz"), "{\"text\": \"one\", \"label\": 1}\n{\"text\": null, \"label\": 0}\n");
  const std::string json_list = write_gzip(dir.path("d.json.gz"), "[{\"t\": \"x\", \"y\": 1.5}, {\"t\": \"z\", \"y\": 2}]");
  // A file larger than one read chunk (256 KiB), so that decompression runs chunk by chunk.
  std::string big = "sentence\tlabel\n";
  for (int i = 0; big.size() < (1 << 20); ++i) big += "row number " + std::to_string(i) + " of a long file\t" + std::to_string(i % 2) + "\n";
  const std::string large = write_gzip(dir.path("e.tsv.gz"), big);
  compare_with_oracle({{csv, {}}, {tsv, {}}, {jsonl, {}}, {json_list, {}}, {large, {}}});
}
