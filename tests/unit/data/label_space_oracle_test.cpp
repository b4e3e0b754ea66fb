// Label spaces against what run_glue.py derives from the same training files (the oracle):
// regression or not, and the sorted label list.
#include "hft/data/label_space.h"

#include <catch2/catch.hpp>

#include "hft/data/read_table.h"  // read_table
#include "../test_files.h"        // ScratchDir
#include "oracle.h"               // run_oracle, glue_path

using namespace hft::data;
using nlohmann::json;

TEST_CASE("labels and regression are chosen as run_glue.py chooses them", "[oracle]") {
  hft::testing::ScratchDir dir;
  struct Job {
    std::string path;
    std::vector<std::string> column_names;
    std::string label;
  };
  const std::vector<Job> jobs = {
      {hft::testing::glue_path("SST-2/train.tsv.gz"), {}, "label"},
      {hft::testing::glue_path("CoLA/train.tsv"), {"source", "label", "notes", "sentence"}, "label"},
      {hft::testing::glue_path("CoLA/train.tsv"), {"source", "label", "notes", "sentence"}, "source"},
      {hft::testing::glue_path("STS-B/train.tsv"), {}, "score"},
      {dir.write("ints.csv", "t,label\na,10\nb,2\nc,-3\nd,2\ne,007\n"), {}, "label"},
      {dir.write("strings.jsonl", "{\"t\":\"a\",\"label\":\"pos\"}\n{\"t\":\"b\",\"label\":\"Neg\"}\n"
                                  "{\"t\":\"c\",\"label\":\"\\u00e9t\\u00e9\"}\n{\"t\":\"d\",\"label\":\"neg\"}\n"),
       {}, "label"},
      {dir.write("floats.jsonl", "{\"t\":\"a\",\"y\":1}\n{\"t\":\"b\",\"y\":2.5}\n"), {}, "y"},
      {dir.write("multi.jsonl", "{\"t\":\"a\",\"tags\":[\"sport\",\"News\"]}\n{\"t\":\"b\",\"tags\":[]}\n"
                                "{\"t\":\"c\",\"tags\":[\"art\",\"sport\"]}\n"),
       {}, "tags"},
  };
  json spec = json::array();
  for (const Job& job : jobs) {
    json entry = {{"path", job.path}, {"label", job.label}};
    if (!job.column_names.empty()) entry["column_names"] = job.column_names;
    spec.push_back(entry);
  }
  hft::testing::write_json(dir.path("jobs.json"), spec);
  hft::testing::run_oracle("data_labels.py", {dir.path("jobs.json"), dir.path("labels.jsonl")});
  const auto expected = hft::testing::read_json_lines(dir.path("labels.jsonl"));
  REQUIRE(expected.size() == jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    INFO(jobs[i].path << " label column " << jobs[i].label);
    const Table table = read_table(jobs[i].path, {jobs[i].column_names, ""});
    const LabelSpace space = build_label_space(table, jobs[i].label, std::nullopt);
    CHECK(space.regression == expected[i]["regression"].get<bool>());
    CHECK(space.multi_label == expected[i]["multi_label"].get<bool>());
    CHECK(space.names == expected[i]["labels"].get<std::vector<std::string>>());
  }
}
