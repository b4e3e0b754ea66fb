#include "hft/chat/jinja_globals.h"

#include <minja/minja.hpp>  // minja::Context, Value, ArgumentsValue

#include <algorithm>  // std::find, std::max
#include <ctime>
#include <stdexcept>
#include <string>

#include "hft/chat/python_json.h"     // python_json_dumps
#include "hft/chat/python_strip.h"    // python_strip
#include "hft/chat/template_error.h"  // kRaisedMarker

namespace hft::chat {
namespace {

using minja::ArgumentsValue;
using minja::Context;
using minja::Value;

// raise_exception(message): the template rejects its input (jinja2's TemplateError in transformers).
Value raise_exception(const std::shared_ptr<Context>&, ArgumentsValue& args) {
  args.expectArgs("raise_exception", {1, 1}, {0, 0});
  throw std::runtime_error(kRaisedMarker + args.args[0].to_str());
}

// strftime_now(format): datetime.now().strftime(format), the local time (Llama 3.2's date line).
Value strftime_now(const std::shared_ptr<Context>&, ArgumentsValue& args) {
  args.expectArgs("strftime_now", {1, 1}, {0, 0});
  const std::string format = args.args[0].get<std::string>();
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  for (size_t size = 64; size <= 65536; size *= 4) {
    std::string out(size, '\0');
    const size_t written = std::strftime(out.data(), out.size(), format.c_str(), &local);
    if (written > 0 || format.empty()) return out.substr(0, written);
  }
  return std::string();  // a format whose every directive prints nothing
}

// One of tojson's arguments, by position (after the value) or by name.
Value tojson_argument(ArgumentsValue& args, size_t position, const std::string& name) {
  if (args.has_named(name)) return args.get_named(name);
  return position < args.args.size() ? args.args[position] : Value();
}

// tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False): json.dumps.
Value tojson(const std::shared_ptr<Context>&, ArgumentsValue& args) {
  static const char* const kNames[] = {"ensure_ascii", "indent", "separators", "sort_keys"};
  if (args.args.empty() || args.args.size() > 5) throw std::runtime_error("tojson takes a value and up to 4 arguments");
  for (const auto& [name, unused] : args.kwargs) {
    if (std::find(std::begin(kNames), std::end(kNames), name) == std::end(kNames)) {
      throw std::runtime_error("tojson got an unexpected keyword argument '" + name + "'");
    }
  }
  PythonJsonOptions options;
  options.ensure_ascii = tojson_argument(args, 1, "ensure_ascii").to_bool();
  if (const Value indent = tojson_argument(args, 2, "indent"); !indent.is_null()) {
    // json.dumps: an int is that many spaces (none for 0 or less), a string is used as it is.
    options.indent = indent.is_string() ? indent.get<std::string>()
                                        : std::string(std::max<int64_t>(indent.get<int64_t>(), 0), ' ');
  }
  if (const Value separators = tojson_argument(args, 3, "separators"); !separators.is_null()) {
    if (!separators.is_array() || separators.size() != 2) throw std::runtime_error("tojson: separators must be a pair");
    options.item_separator = separators.at(0).get<std::string>();
    options.key_separator = separators.at(1).get<std::string>();
  }
  options.sort_keys = tojson_argument(args, 4, "sort_keys").to_bool();
  return Value(python_json_dumps(args.args[0].get<nlohmann::ordered_json>(), options));
}

// The trim filter, trim(value, chars=None): Jinja's str(value).strip(chars), Unicode whitespace
// included (minja's trim strips " \t\n\r" only).
Value trim(const std::shared_ptr<Context>&, ArgumentsValue& args) {
  if (args.args.empty() || args.args.size() + args.kwargs.size() > 2 || (!args.kwargs.empty() && !args.has_named("chars"))) {
    throw std::runtime_error("trim takes a value and chars");
  }
  if (args.args[0].is_null()) return Value();  // undefined stays undefined (renders "", as in Jinja)
  const Value chars = args.has_named("chars") ? args.get_named("chars") : args.args.size() == 2 ? args.args[1] : Value();
  const std::optional<std::string> strip_set = chars.is_null() ? std::nullopt : std::optional(chars.to_str());
  return Value(python_strip(args.args[0].to_str(), strip_set));
}

// dict(mapping, **kwargs) or dict(**kwargs): a new mapping (transformers' TemplateDict).
Value dict(const std::shared_ptr<Context>&, ArgumentsValue& args) {
  if (args.args.size() > 1 || (args.args.size() == 1 && !args.args[0].is_object())) {
    throw std::runtime_error("dict takes one mapping and keyword arguments here");
  }
  Value result = Value::object();
  if (!args.args.empty()) {
    for (const Value& key : args.args[0].keys()) result.set(key, args.args[0].at(key));
  }
  for (const auto& [name, value] : args.kwargs) result.set(name, value);
  return result;
}

}  // namespace

std::shared_ptr<minja::Context> transformers_globals() {
  auto globals = Context::make(Value::object());  // its parent: minja's built-ins
  globals->set("raise_exception", Value::callable(raise_exception));
  globals->set("strftime_now", Value::callable(strftime_now));
  globals->set("tojson", Value::callable(tojson));
  globals->set("trim", Value::callable(trim));
  globals->set("dict", Value::callable(dict));
  return globals;
}

}  // namespace hft::chat
