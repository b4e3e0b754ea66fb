// Reads a recipe file (or one command-line value) with yaml-cpp into RawValues. The only place
// that sees yaml-cpp: malformed YAML, a second document, a non-mapping top level and aliases that
// expand beyond bounds become ConfigErrors with the parser's position (the text itself is checked
// first, by recipe_text.h).
#pragma once

#include <string>
#include <vector>

#include "hft/config/raw_value.h"  // RawEntry, RawValue

namespace hft::config {

// The top-level `key: value` entries of a recipe file, in file order (duplicates included, so
// the caller can report them). Throws ConfigErrors for unreadable or malformed files.
std::vector<RawEntry> read_recipe_file(const std::string& path);

// One value given on the command line, read as YAML flow text ("2e-5", "[a, b]", "{x: 1}").
// Text that is not valid YAML is kept as a plain string; aliases that expand beyond bounds throw.
RawValue read_override_value(const std::string& text, const Origin& origin);

}  // namespace hft::config
