// The names transformers adds to Jinja's for chat templates (chat_template_utils.py,
// _compile_jinja_template): raise_exception, strftime_now, the tojson filter with json.dumps'
// arguments, and dict; and Jinja's trim filter as Python strips (Unicode whitespace). minja brings
// its own namespace, loop controls and {% generation %}.
#pragma once

#include <memory>

namespace minja {
class Context;
}

namespace hft::chat {

// A context holding those names, below minja's built-ins; a render's variables go in a child of
// it, so that a variable of the same name hides a global, as in Jinja.
std::shared_ptr<minja::Context> transformers_globals();

}  // namespace hft::chat
