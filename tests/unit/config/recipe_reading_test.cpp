// Reading a recipe's text and YAML: the mistakes of issue 15 (a folder, an endless file, bytes
// that are not UTF-8, a second document, an alias bomb) are one error each, at the place written.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hft/config/load_recipe.h"  // load_recipe
#include "hft/config/yaml_reader.h"  // read_recipe_file, read_override_value
#include "../test_files.h"

using namespace hft::config;
using hft::testing::ScratchDir;

namespace {

std::string minimal_recipe(const ScratchDir& dir) {
  return "model_name_or_path: " + dir.path() + "\noutput_dir: " + dir.path("out") + "\n";
}

// The one message that reading `path` throws; "" when it reads.
std::string reading_error(const std::string& path) {
  try {
    read_recipe_file(path);
  } catch (const ConfigErrors& e) {
    REQUIRE(e.errors().size() == 1);
    return e.errors()[0].message();
  }
  return "";
}

// Flow YAML whose anchors each alias the previous one `fanout` times: fanout^levels values.
std::string alias_bomb(int levels, int fanout) {
  std::string out = "[&l0 [";
  for (int i = 0; i < fanout; ++i) out += i ? ", lol" : "lol";
  out += "]";
  for (int level = 1; level < levels; ++level) {
    out += ", &l" + std::to_string(level) + " [";
    for (int i = 0; i < fanout; ++i) out += (i ? ", *l" : "*l") + std::to_string(level - 1);
    out += "]";
  }
  return out + "]";
}

}  // namespace

TEST_CASE("a folder is not an empty recipe") {
  ScratchDir dir;
  CHECK(reading_error(dir.path()) == dir.path() +
                                         ": is a folder; expected a recipe file (YAML `key: value` lines), such as "
                                         "configs/quickstart.yaml");
}

TEST_CASE("a file larger than a recipe can be is refused without reading it whole") {
  ScratchDir dir;
  const auto big = dir.write("big.yaml", minimal_recipe(dir) + std::string(2 << 20, '#'));
  CHECK(reading_error(big).find(big + ": larger than 1 MiB") == 0);
  CHECK(reading_error("/dev/zero").find("/dev/zero: larger than 1 MiB") == 0);
}

TEST_CASE("a byte that is not UTF-8 is refused at its line and column, naming the key") {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", minimal_recipe(dir) + "run_name: caf\xE9 run\n");
  CHECK(reading_error(path) == path +
                                   ":3:14: run_name: a byte that is not UTF-8 (0xE9); expected UTF-8 text (save the "
                                   "recipe as UTF-8)");
  // From the command line: escaped in the message, which stays UTF-8.
  try {
    load_recipe(dir.write("ok.yaml", minimal_recipe(dir)), {"run_name=caf\xE9"}, Verb::kValidate);
    FAIL("a Latin-1 override was accepted");
  } catch (const ConfigErrors& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].message() ==
          "command line `run_name=caf\\xE9`: run_name: a byte that is not UTF-8 (got caf\\xE9); expected UTF-8 text");
  }
}

TEST_CASE("a second YAML document is refused at its ---; a framed single one reads") {
  ScratchDir dir;
  const auto two = dir.write("two.yaml", minimal_recipe(dir) + "# more\n---\nseed: 3\n");
  CHECK(reading_error(two) == two +
                                  ":4:1: a second YAML document (after `---`), which hft would not read; expected one "
                                  "document of `key: value` lines (remove the `---` or merge the documents)");
  const auto framed = dir.write("framed.yaml", "---\n" + minimal_recipe(dir) + "...\n");
  CHECK(read_recipe_file(framed).size() == 2);
  const auto trailing = dir.write("trailing.yaml", minimal_recipe(dir) + "---\n# nothing more\n");
  CHECK(read_recipe_file(trailing).size() == 2);
}

TEST_CASE("aliases expand within bounds; an alias bomb is refused where it passes them") {
  ScratchDir dir;
  // 10^4 values: a generous use of aliases still reads.
  const auto fine = dir.write("fine.yaml", minimal_recipe(dir) + "text_column_names: " + alias_bomb(4, 10) + "\n");
  CHECK(read_recipe_file(fine).size() == 3);
  // 10^9 values from 9 levels of 10 aliases (under 1 KB): refused, not expanded.
  const auto bomb = dir.write("bomb.yaml", minimal_recipe(dir) + "text_column_names: " + alias_bomb(9, 10) + "\n");
  const std::string message = reading_error(bomb);
  CHECK(message.find(bomb + ":3:") == 0);
  CHECK(message.find("text_column_names: YAML aliases expand the recipe beyond 100000 values or 1 MiB of text") !=
        std::string::npos);
  // The same through an override.
  const Origin origin{Origin::Kind::kCommandLine, "text_column_names=...", 0, 0};
  CHECK_THROWS_AS(read_override_value(alias_bomb(9, 10), origin), ConfigErrors);
  CHECK(read_override_value(alias_bomb(3, 10), origin).items.size() == 3);
}
