#include "hft/config/recipe_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hft/config/config_error.h"  // ConfigErrors, Origin
#include "hft/config/utf8_text.h"     // first_invalid_utf8

namespace hft::config {
namespace {

[[noreturn]] void fail(const Origin& origin, std::string problem, std::string expected, std::string key = "") {
  throw ConfigErrors({ConfigError{origin, std::move(key), std::move(problem), "", std::move(expected)}});
}

Origin whole_file(const std::string& path) { return Origin{Origin::Kind::kFile, path, 0, 0}; }

// At most kMaxRecipeBytes + 1 bytes: enough to tell that a file is too large to be a recipe.
std::string read_bounded(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    fail(whole_file(path), "is a folder", "a recipe file (YAML `key: value` lines), such as configs/quickstart.yaml");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(whole_file(path), "cannot read the recipe: " + std::string(std::strerror(errno)), "a readable YAML file");
  std::string text(kMaxRecipeBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxRecipeBytes)
    fail(whole_file(path), "larger than 1 MiB, far more than a recipe holds",
         "a recipe file of `key: value` lines (is this the right file?)");
  return text;
}

// 1-based line and column (in bytes) of a byte offset.
Origin position_of(const std::string& path, const std::string& text, size_t offset) {
  Origin origin{Origin::Kind::kFile, path, 1, 1};
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') ++origin.line, origin.column = 1;
    else ++origin.column;
  }
  return origin;
}

void reject_invalid_utf8(const std::string& path, const std::string& text) {
  const auto bad = first_invalid_utf8(text);
  if (!bad) return;
  const Origin at = position_of(path, text, *bad);
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
  const std::string key = key_on_line(text, at.line);
  fail(at, std::string("a byte that is not UTF-8 (") + byte + ")", "UTF-8 text (save the recipe as UTF-8)",
       first_invalid_utf8(key) ? "" : key);
}

// YAML forbids tabs in indentation; yaml-cpp's own message for them is obscure, so say it plainly.
void reject_tab_indentation(const std::string& path, const std::string& text) {
  int line = 1;
  bool at_line_start = true;
  int column = 1;
  for (char c : text) {
    if (c == '\n') {
      ++line, column = 1, at_line_start = true;
      continue;
    }
    if (at_line_start && c == '\t')
      fail(Origin{Origin::Kind::kFile, path, line, column}, "malformed YAML: a tab in indentation",
           "spaces for indentation", key_on_line(text, line));
    if (c != ' ') at_line_start = false;
    ++column;
  }
}

}  // namespace

std::string key_on_line(const std::string& text, int line) {
  std::istringstream lines(text);
  std::string current;
  for (int i = 1; std::getline(lines, current); ++i) {
    if (i != line) continue;
    const size_t start = current.find_first_not_of(" \t-");
    const size_t colon = current.find(':');
    if (start == std::string::npos || colon == std::string::npos || colon <= start) return "";
    return current.substr(start, current.find_last_not_of(" \t", colon - 1) + 1 - start);
  }
  return "";
}

std::string read_recipe_text(const std::string& path) {
  std::string text = read_bounded(path);
  reject_invalid_utf8(path, text);
  reject_tab_indentation(path, text);
  return text;
}

}  // namespace hft::config
