#include "hft/chat/template_error.h"

#include <regex>

namespace hft::chat {
namespace {

struct MinjaError {
  std::string message;  // without its locations, on one line
  std::string row, column;  // the innermost location (minja's first); empty when it gave none
};

MinjaError split_minja_error(const std::string& text) {
  static const std::regex location(R"( at row (\d+), column (\d+):\n)");
  MinjaError error;
  std::smatch match;
  if (std::regex_search(text, match, location)) {
    error.message = match.prefix().str();
    error.row = match[1].str();
    error.column = match[2].str();
  } else {
    error.message = text;
  }
  for (char& c : error.message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return error;
}

std::string where(const ChatTemplate& chat_template, const MinjaError& error) {
  if (chat_template.json_key.empty()) {
    return error.row.empty() ? chat_template.file : chat_template.file + ":" + error.row + ":" + error.column;
  }
  const std::string in_json = chat_template.file + ": " + chat_template.json_key;
  return error.row.empty() ? in_json : in_json + ", template line " + error.row + ", column " + error.column;
}

}  // namespace

ChatTemplateError template_error(const ChatTemplate& chat_template, TemplateStage stage,
                                 const std::string& minja_message) {
  MinjaError error = split_minja_error(minja_message);
  std::string what = "the chat template failed to render: ";
  if (stage == TemplateStage::kParse) {
    what = "the chat template does not parse: ";
  } else if (error.message.rfind(kRaisedMarker, 0) == 0) {
    what = "the chat template refused the conversation: ";
    error.message.erase(0, kRaisedMarker.size());
  }
  return ChatTemplateError(where(chat_template, error) + ": " + what + error.message);
}

}  // namespace hft::chat
