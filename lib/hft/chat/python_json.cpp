#include "hft/chat/python_json.h"

#include <algorithm>  // std::sort
#include <charconv>   // std::to_chars
#include <cmath>      // std::isnan, std::isinf
#include <cstdio>     // std::snprintf
#include <stdexcept>
#include <vector>

#include "hft/tokenize/unicode.h"  // decode_utf8

namespace hft::chat {
namespace {

using nlohmann::ordered_json;

void append_escape(std::string& out, uint32_t code_unit) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\u%04x", code_unit);  // json.dumps writes lowercase hex
  out += buffer;
}

// The short escapes json.dumps uses; 0 where it has none.
char short_escape(unsigned char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    case '\b': return 'b';
    case '\f': return 'f';
    default: return 0;
  }
}

// ensure_ascii=False: only quotes, backslashes and control characters are escaped.
void append_string_raw(std::string& out, const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (const char e = short_escape(u)) {
      out += '\\';
      out += e;
    } else if (u < 0x20) {
      append_escape(out, u);
    } else {
      out += c;
    }
  }
}

// ensure_ascii=True: everything outside ' '..'~' escaped, above U+FFFF as a surrogate pair.
void append_string_ascii(std::string& out, const std::string& text) {
  std::u32string chars;
  if (!tokenize::unicode::decode_utf8(text, chars)) throw std::invalid_argument("tojson: a string is not valid UTF-8");
  for (const char32_t cp : chars) {
    if (const char e = cp < 0x80 ? short_escape(static_cast<unsigned char>(cp)) : 0) {
      out += '\\';
      out += e;
    } else if (cp >= 0x20 && cp <= 0x7E) {
      out += static_cast<char>(cp);
    } else if (cp > 0xFFFF) {
      append_escape(out, 0xD800 + ((cp - 0x10000) >> 10));
      append_escape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      append_escape(out, cp);
    }
  }
}

class Writer {
 public:
  explicit Writer(const PythonJsonOptions& options)
      : options_(options),
        item_separator_(options.item_separator.value_or(options.indent ? "," : ", ")),
        key_separator_(options.key_separator.value_or(": ")) {}

  std::string write(const ordered_json& value) {
    append_value(value, 0);
    return std::move(out_);
  }

 private:
  void append_value(const ordered_json& value, int depth) {
    if (value.is_object()) return append_object(value, depth);
    if (value.is_array()) return append_array(value, depth);
    if (value.is_string()) return append_string(value.get_ref<const std::string&>());
    if (value.is_number_float()) out_ += python_json_float(value.get<double>());
    else out_ += value.dump();  // integers, true, false, null: the same in both
  }

  void append_string(const std::string& text) {
    out_ += '"';
    if (options_.ensure_ascii) append_string_ascii(out_, text);
    else append_string_raw(out_, text);
    out_ += '"';
  }

  // Before the first item, between items, and before the closing bracket (depth of the bracket).
  void open_item(int depth, bool first) {
    if (!first) out_ += item_separator_;
    if (!options_.indent) return;
    out_ += '\n';
    for (int level = 0; level < depth; ++level) out_ += *options_.indent;
  }

  void append_array(const ordered_json& array, int depth) {
    if (array.empty()) {
      out_ += "[]";
      return;
    }
    out_ += '[';
    bool first = true;
    for (const ordered_json& item : array) {
      open_item(depth + 1, first);
      first = false;
      append_value(item, depth + 1);
    }
    close(depth, ']');
  }

  void append_object(const ordered_json& object, int depth) {
    if (object.empty()) {
      out_ += "{}";
      return;
    }
    std::vector<std::pair<const std::string*, const ordered_json*>> items;
    for (auto it = object.begin(); it != object.end(); ++it) items.emplace_back(&it.key(), &it.value());
    if (options_.sort_keys) {
      // Byte order of UTF-8 is code-point order, the order Python sorts str keys in.
      std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    }
    out_ += '{';
    for (size_t i = 0; i < items.size(); ++i) {
      open_item(depth + 1, i == 0);
      append_string(*items[i].first);
      out_ += key_separator_;
      append_value(*items[i].second, depth + 1);
    }
    close(depth, '}');
  }

  void close(int depth, char bracket) {
    if (options_.indent) {
      out_ += '\n';
      for (int level = 0; level < depth; ++level) out_ += *options_.indent;
    }
    out_ += bracket;
  }

  const PythonJsonOptions& options_;
  const std::string item_separator_;
  const std::string key_separator_;
  std::string out_;
};

}  // namespace

std::string python_json_float(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  // The shortest round-trip digits, as d.ddde±x; then laid out as repr lays them out.
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string scientific(buffer, result.ptr);
  const size_t e = scientific.find('e');
  const bool negative = scientific[0] == '-';
  std::string digits;
  for (size_t i = negative ? 1 : 0; i < e; ++i) {
    if (scientific[i] != '.') digits += scientific[i];
  }
  const int exponent = std::stoi(scientific.substr(e + 1));
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out += digits[0];
    if (digits.size() > 1) out.append(".").append(digits, 1);
    const std::string power = std::to_string(exponent < 0 ? -exponent : exponent);
    out += exponent < 0 ? "e-" : "e+";
    if (power.size() < 2) out += '0';
    return out += power;
  }
  if (exponent < 0) {
    out.append("0.").append(static_cast<size_t>(-exponent - 1), '0');
    return out += digits;
  }
  const size_t whole = static_cast<size_t>(exponent) + 1;  // digits before the point
  if (digits.size() <= whole) return out.append(digits).append(whole - digits.size(), '0').append(".0");
  return out.append(digits, 0, whole).append(".").append(digits, whole);
}

std::string python_json_dumps(const ordered_json& value, const PythonJsonOptions& options) {
  return Writer(options).write(value);
}

}  // namespace hft::chat
