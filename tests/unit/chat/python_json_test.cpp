// python_json_dumps against Python 3.11's json.dumps: every expected string below is what
// json.dumps printed for the same value and arguments (recorded; tojson's use of it inside
// templates is compared with transformers directly in render_chat_test.cpp).
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "hft/chat/python_json.h"  // python_json_dumps, python_json_float

using hft::chat::python_json_dumps;
using hft::chat::python_json_float;
using hft::chat::PythonJsonOptions;
using nlohmann::ordered_json;

TEST_CASE("floats as Python's repr writes them", "[chat]") {
  const std::pair<double, const char*> cases[] = {
      {0.0, "0.0"},          {-0.0, "-0.0"},
      {1.0, "1.0"},          {1.5, "1.5"},
      {100.0, "100.0"},      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {1e15, "1000000000000000.0"},
      {1e16, "1e+16"},       {1.5e16, "1.5e+16"},
      {123456789012345680.0, "1.2345678901234568e+17"},
      {0.0001, "0.0001"},    {0.00001, "1e-05"},
      {1e-7, "1e-07"},       {2.5e-300, "2.5e-300"},
      {5e-324, "5e-324"},    {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-12.75, "-12.75"},    {9007199254740993.0, "9007199254740992.0"},
      {1234.5678, "1234.5678"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
  };
  for (const auto& [value, expected] : cases) {
    INFO(expected);
    CHECK(python_json_float(value) == expected);
  }
}

TEST_CASE("json.dumps' layouts: ensure_ascii, sort_keys, indent, separators", "[chat]") {
  const ordered_json nested = ordered_json::parse(R"({"z": [1, {"y": null}], "a": "é\u2028😀\u007f\u001f"})");
  PythonJsonOptions ascii_sorted;
  ascii_sorted.ensure_ascii = true;
  ascii_sorted.sort_keys = true;
  ascii_sorted.indent = "  ";
  CHECK(python_json_dumps(nested, ascii_sorted) ==
        "{\n  \"a\": \"\\u00e9\\u2028\\ud83d\\ude00\\u007f\\u001f\",\n  \"z\": [\n    1,\n    {\n      \"y\": null\n"
        "    }\n  ]\n}");

  PythonJsonOptions zero_indent;
  zero_indent.indent = "";
  CHECK(python_json_dumps(ordered_json::parse(R"({"z": [], "a": {}})"), zero_indent) == "{\n\"z\": [],\n\"a\": {}\n}");

  PythonJsonOptions separators;
  separators.indent = " ";
  separators.item_separator = ", ";
  separators.key_separator = " = ";
  CHECK(python_json_dumps(ordered_json::parse("[1, [2, 3]]"), separators) == "[\n 1, \n [\n  2, \n  3\n ]\n]");

  // transformers' defaults: one line, ", " and ": ", non-ASCII as it is.
  CHECK(python_json_dumps(nested) == "{\"z\": [1, {\"y\": null}], \"a\": \"é\u2028😀\x7f\\u001f\"}");
}
