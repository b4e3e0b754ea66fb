// hft_manifest.json as a hostile or damaged file: entries that point outside the checkpoint,
// entries of the wrong types, a manifest listing nothing. Each is a problem named in one line,
// and nothing outside the checkpoint folder is read.
#include "hft/checkpoint/manifest.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "../test_files.h"

using namespace hft;

namespace {

const std::string kSha = std::string(64, '0');

// A folder with one file "a.txt" and a manifest whose "files" are `files`.
std::string folder_with_manifest(const testing::ScratchDir& scratch, const nlohmann::json& files) {
  std::filesystem::create_directories(scratch.path("checkpoint-1"));
  scratch.write("checkpoint-1/a.txt", "hello");
  scratch.write("checkpoint-1/hft_manifest.json", nlohmann::json{{"format", 1}, {"files", files}}.dump());
  return scratch.path("checkpoint-1");
}

}  // namespace

TEST_CASE("a manifest written by hft matches its files, and a changed file is named") {
  testing::ScratchDir scratch;
  std::filesystem::create_directories(scratch.path("checkpoint-1"));
  scratch.write("checkpoint-1/a.txt", "hello");
  checkpoint::write_manifest(scratch.path("checkpoint-1"));
  CHECK_FALSE(checkpoint::checkpoint_problem(scratch.path("checkpoint-1"), {"a.txt"}));
  scratch.write("checkpoint-1/a.txt", "HELLO");  // same size, other bytes
  const auto problem = checkpoint::checkpoint_problem(scratch.path("checkpoint-1"), {"a.txt"});
  REQUIRE(problem);
  CHECK(problem->find("a.txt: its content does not match") == 0);
}

TEST_CASE("manifest entries outside the checkpoint are refused without reading them") {
  testing::ScratchDir scratch;
  for (const std::string name : {"../../etc/passwd", "/etc/passwd", "sub/a.txt", "..", "", "two\nlines"}) {
    INFO(name);
    // The size written is /etc/passwd's own: a reader that followed the path would find it matching.
    const auto size = std::filesystem::file_size("/etc/passwd");
    const std::string folder = folder_with_manifest(scratch, {{name, {{"bytes", size}, {"sha256", kSha}}}});
    const auto problem = checkpoint::checkpoint_problem(folder);
    REQUIRE(problem);
    CHECK(problem->find("is not a file name inside the checkpoint") != std::string::npos);
    CHECK(problem->find(std::to_string(size)) == std::string::npos);  // no size of a file outside is reported
    CHECK(problem->find('\n') == std::string::npos);  // one line, whatever the name holds
  }
}

TEST_CASE("manifest entries of the wrong types are problems, not exceptions") {
  testing::ScratchDir scratch;
  const std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {{{"a.txt", {{"bytes", "x"}, {"sha256", kSha}}}}, "\"bytes\" is not a whole number"},
      {{{"a.txt", {{"bytes", -5}, {"sha256", kSha}}}}, "\"bytes\" is not a whole number"},
      {{{"a.txt", {{"bytes", 5.5}, {"sha256", kSha}}}}, "\"bytes\" is not a whole number"},
      {{{"a.txt", {{"bytes", 5}, {"sha256", 7}}}}, "\"sha256\" is not 64 hexadecimal digits"},
      {{{"a.txt", {{"bytes", 5}}}}, "\"sha256\" is not 64 hexadecimal digits"},
      {{{"a.txt", "five bytes"}}, "\"bytes\" is not a whole number"},
  };
  for (const auto& [files, expected] : cases) {
    INFO(files.dump());
    const auto problem = checkpoint::checkpoint_problem(folder_with_manifest(scratch, files));
    REQUIRE(problem);
    CHECK(problem->find(expected) != std::string::npos);
  }
}

TEST_CASE("a manifest must list the files every checkpoint has") {
  testing::ScratchDir scratch;
  const std::string folder = folder_with_manifest(scratch, nlohmann::json::object());
  CHECK_FALSE(checkpoint::checkpoint_problem(folder));  // nothing required: an empty list is whole
  const auto problem = checkpoint::checkpoint_problem(folder, {"config.json", "model.safetensors"});
  REQUIRE(problem);
  CHECK(*problem == "hft_manifest.json does not list config.json, which every checkpoint has");
}

TEST_CASE("a listed file that is a link is not followed") {
  testing::ScratchDir scratch;
  const auto size = std::filesystem::file_size("/etc/passwd");
  const std::string folder = folder_with_manifest(scratch, {{"model.safetensors", {{"bytes", size}, {"sha256", kSha}}}});
  std::filesystem::create_symlink("/etc/passwd", folder + "/model.safetensors");
  const auto problem = checkpoint::checkpoint_problem(folder);
  REQUIRE(problem);
  CHECK(*problem == "model.safetensors is missing (or is not a plain file)");
}
