#include "mutator.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace hft::testing {
namespace {

using nlohmann::json;

// Tokens that have broken parsers before: extremes, wrong types, syntax, bytes that are not
// UTF-8, paths out of a folder, YAML's own syntax.
const std::vector<std::string> kHostile = {
    "-1", "0", "1e20", "-1e20", "99999999999999999999", "1e-320", "nan", "inf", "-inf", "0x10", "true",
    "null", "~", "[]", "{}", "[", "]", "{", "}", "\"", "'", ",", ":", "\n", "\t", "\r", std::string("\0", 1),
    "\xff", "\xc3", "\xed\xa0\x80", "../../etc/passwd", "/etc/hostname", "---", "&a", "*a", "!!binary",
    "- ", "? ", "#", "%", "\\u0000", "\"\\ud800\"", "label", "LABEL_9", "[CLS]", "<s>"};

json hostile_json(std::mt19937_64& rng) {
  static const std::vector<json> values = {
      json(-1), json(0), json(1e300), json(-1e300), json(int64_t{9223372036854775807LL}), json(-5),
      json(1.5), json(nullptr), json(true), json("x"), json(""), json(std::string(4096, 'A')), json::array(),
      json::object(), json::array({1, "a", nullptr}), json("../../etc/passwd"), json("\xff\xfe"),
      json(std::numeric_limits<double>::quiet_NaN())};
  return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng)];
}

// Every value of the document, by pointer, in document order.
void collect(json& node, std::vector<json*>& out) {
  out.push_back(&node);
  if (node.is_object() || node.is_array())
    for (auto& child : node) collect(child, out);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

}  // namespace

std::string Mutator::hostile_token() { return kHostile[below(kHostile.size())]; }

std::string Mutator::bytes(std::string text) {
  const size_t edits = 1 + below(3);
  for (size_t e = 0; e < edits; ++e) {
    const size_t at = below(text.size() + 1);
    switch (below(6)) {
      case 0:  // one byte to any value
        if (!text.empty()) text[below(text.size())] = static_cast<char>(below(256));
        break;
      case 1:  // cut short
        text.resize(at);
        break;
      case 2: {  // a span dropped
        const size_t length = below(std::min<size_t>(64, text.size() - at) + 1);
        text.erase(at, length);
        break;
      }
      case 3: {  // a span repeated
        const size_t length = below(std::min<size_t>(64, text.size() - at) + 1);
        text.insert(at, text.substr(at, length));
        break;
      }
      case 4:  // a hostile token put in
        text.insert(at, hostile_token());
        break;
      default:  // deep nesting
        text.insert(at, std::string(1 + below(5000), below(2) ? '[' : '{'));
        break;
    }
  }
  return text;
}

std::string Mutator::lines(std::string text) {
  std::vector<std::string> rows = split_lines(text);
  if (rows.empty()) return bytes(std::move(text));
  const size_t i = below(rows.size());
  switch (below(5)) {
    case 0:
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    case 1:
      rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(i), rows[i]);
      break;
    case 2:
      std::swap(rows[i], rows[below(rows.size())]);
      break;
    case 3: {  // the value after the first `:` or tab replaced by a hostile one
      const size_t cut = rows[i].find_first_of(":\t,");
      rows[i] = (cut == std::string::npos ? rows[i] : rows[i].substr(0, cut + 1)) + " " + hostile_token();
      break;
    }
    default:
      rows[i] = bytes(rows[i]);
      break;
  }
  return join_lines(rows);
}

std::string Mutator::json(const std::string& text) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) return bytes(text);
  std::vector<nlohmann::json*> nodes;
  collect(document, nodes);
  nlohmann::json& target = *nodes[below(nodes.size())];
  switch (below(4)) {
    case 0:
      target = hostile_json(rng_);
      break;
    case 1:  // a key dropped
      if (target.is_object() && !target.empty()) {
        auto it = target.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(below(target.size())));
        target.erase(it);
      } else {
        target = hostile_json(rng_);
      }
      break;
    case 2:  // deep nesting in place of a value
      for (size_t depth = below(3000); depth > 0; --depth) target = nlohmann::json::array({target});
      break;
    default:  // a key added, or an element appended
      if (target.is_object()) target[hostile_token()] = hostile_json(rng_);
      else if (target.is_array()) target.push_back(hostile_json(rng_));
      else target = hostile_json(rng_);
      break;
  }
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Mutator::any(const std::string& text, bool is_json) {
  if (is_json) return below(4) == 0 ? bytes(text) : json(text);
  return below(2) == 0 ? lines(text) : bytes(text);
}

}  // namespace hft::testing
