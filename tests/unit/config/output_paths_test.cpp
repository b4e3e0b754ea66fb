// Where outputs may go: never onto a file the run reads, however the path is spelled (checked
// against the kernel's own view: a hard link is the same inode), and never where writing would
// fail only at the end of a run.
#include "hft/config/output_paths.h"

#include <catch2/catch.hpp>

#include <filesystem>

#include "hft/config/load_recipe.h"  // load_recipe
#include "../test_files.h"

using namespace hft::config;
using hft::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

std::string problem_of(const std::string& path, const std::vector<InputFile>& inputs = {}) {
  const auto problem = output_file_problem(path, inputs);
  return problem ? problem->problem : "";
}

}  // namespace

TEST_CASE("an output that resolves to an input is refused, however it is spelled") {
  ScratchDir dir;
  const auto input = dir.write("x.tsv", "sentence\na\n");
  fs::create_symlink("x.tsv", dir.path("link.tsv"));
  fs::create_hard_link(input, dir.path("hard.tsv"));
  fs::create_directories(dir.path("sub"));
  const std::vector<InputFile> inputs = {{"--input", input}};
  const std::string same = "is the same file as --input " + input + ", which this run reads";
  CHECK(problem_of(input, inputs) == same);
  CHECK(problem_of(dir.path("sub/../x.tsv"), inputs) == same);
  CHECK(problem_of(dir.path("./x.tsv"), inputs) == same);
  CHECK(problem_of(dir.path("link.tsv"), inputs) == same);
  CHECK(problem_of(dir.path("hard.tsv"), inputs) == same);
  CHECK(problem_of(dir.path("new.tsv"), inputs).empty());
  const auto other = dir.write("other.tsv", "x");  // an existing file the run does not read may be replaced
  CHECK(problem_of(other, inputs).empty());
}

TEST_CASE("an output file needs an existing, writable folder and is not a folder") {
  ScratchDir dir;
  CHECK(problem_of(dir.path("nodir/sub/p.tsv")) == "the folder " + dir.path("nodir/sub") + " does not exist");
  const auto a_file = dir.write("a-file", "x");
  CHECK(problem_of(a_file + "/p.tsv") == a_file + " is not a folder");
  CHECK(problem_of(dir.path()) == "is a folder");
  CHECK(problem_of("p.tsv").empty());  // the working directory
}

TEST_CASE("an output folder can be created below writable folders, not below a file") {
  ScratchDir dir;
  const auto a_file = dir.write("a-file", "x");
  CHECK_FALSE(output_folder_problem(dir.path("new/deeper")));
  CHECK(output_folder_problem(a_file)->problem == "exists and is not a folder");
  CHECK(output_folder_problem(a_file + "/tb")->problem == "cannot be created: " + a_file + " is a file");
}

TEST_CASE("logging_dir and, for every verb, output_dir are checked before a run") {
  ScratchDir dir;
  const auto a_file = dir.write("a-file", "x");
  const auto path = dir.write("r.yaml", "model_name_or_path: " + dir.path() + "\noutput_dir: " + dir.path("out") +
                                            "\nvalidation_file: " + std::string(HFT_SOURCE_DIR) +
                                            "/data/glue/SST-2/dev.tsv\nreport_to: tensorboard\nlogging_dir: " + a_file +
                                            "/tb\n");
  try {
    load_recipe(path, {}, Verb::kValidate);
    FAIL("a logging_dir below a file was accepted");
  } catch (const ConfigErrors& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].message() == path + ":5:1: logging_dir: cannot be created: " + a_file + " is a file (got " +
                                         a_file + "/tb); expected a folder path");
  }
  CHECK_NOTHROW(load_recipe(path, {"report_to=none"}, Verb::kValidate));  // no TensorBoard: logging_dir unused
  for (Verb verb : {Verb::kEvaluate, Verb::kPredict}) {
    CHECK_THROWS_AS(load_recipe(path, {"report_to=none", "output_dir=" + a_file + "/out", "test_file=" +
                                       std::string(HFT_SOURCE_DIR) + "/data/glue/SST-2/test.tsv"}, verb),
                    ConfigErrors);
  }
}
