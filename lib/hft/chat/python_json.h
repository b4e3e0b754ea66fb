// Python's json.dumps, which is what transformers' `tojson` filter calls: the same spacing, escapes,
// key order and number forms, so that `x | tojson` renders here the bytes it renders there.
#pragma once

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include <optional>
#include <string>

namespace hft::chat {

// json.dumps' arguments, with transformers' defaults (its tojson passes ensure_ascii=False).
struct PythonJsonOptions {
  bool ensure_ascii = false;          // true: every character outside printable ASCII as \uXXXX
  std::optional<std::string> indent;  // unset: one line; else a newline and this per level (int n: n spaces)
  std::optional<std::string> item_separator;  // separators[0]; unset: ", " on one line, "," when indented
  std::optional<std::string> key_separator;   // separators[1]; unset: ": "
  bool sort_keys = false;                     // keys in code-point order; else in their order
};

// Throws std::invalid_argument for a string that is not UTF-8 when ensure_ascii is set.
std::string python_json_dumps(const nlohmann::ordered_json& value, const PythonJsonOptions& options = {});

// A float as json.dumps writes it: Python's repr(float), the shortest digits that read back the
// same, in fixed notation for decimal exponents -4 to 15 (".0" when whole), else as 1.5e+16; and
// NaN, Infinity, -Infinity.
std::string python_json_float(double value);

}  // namespace hft::chat
