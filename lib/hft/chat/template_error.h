// minja's error text ("message at row 3, column 19:\n<the lines around it>\n..." with one such
// location per enclosing block) made into one line that names the template's file and line.
#pragma once

#include <string>

#include "hft/chat/chat_error.h"     // ChatTemplateError
#include "hft/chat/chat_template.h"  // ChatTemplate

namespace hft::chat {

enum class TemplateStage { kParse, kRender };

// What our raise_exception puts before the template's own message (jinja_globals.cpp), so that
// an error the template raises on purpose reads as the template's verdict on the conversation.
inline const std::string kRaisedMarker = "\x1f" "raise_exception\x1f";

// "FILE:LINE:COLUMN: the chat template does not parse: Unterminated if" for a .jinja file;
// "FILE: chat_template, template line LINE, column COLUMN: ..." for a template inside JSON.
ChatTemplateError template_error(const ChatTemplate& chat_template, TemplateStage stage,
                                 const std::string& minja_message);

}  // namespace hft::chat
