#include "hft/task/text_generation/sft_examples.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>

#include "hft/data/data_error.h"  // DataError
#include "hft/data/read_table.h"  // read_table

namespace hft::task {
namespace {

bool known_role(const std::string& role) {
  return std::find(std::begin(kChatRoles), std::end(kChatRoles), role) != std::end(kChatRoles);
}

std::string role_list() {
  std::string out;
  for (const char* role : kChatRoles) out += (out.empty() ? "" : ", ") + std::string(role);
  return out;
}

// A cell holding a JSON list of {"role", "content"} objects (JSON files keep it as its text).
Conversation conversation_of(const data::Table& table, int64_t row, const data::Column& column) {
  const std::string& cell = column.cells[row];
  const nlohmann::json list = nlohmann::json::parse(cell, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array() || list.empty())
    data::throw_row_error(table, row, column.name + " is not a list of messages ({\"role\": ..., \"content\": ...})");
  Conversation out;
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& m = list[i];
    const std::string which = column.name + " message " + std::to_string(i + 1);
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
      data::throw_row_error(table, row, which + " has no role; expected {\"role\": ..., \"content\": ...}");
    const std::string role = m["role"].get<std::string>();
    if (!known_role(role))
      data::throw_row_error(table, row, which + " has role \"" + role + "\"; expected one of " + role_list());
    if (!m.contains("content") || !m["content"].is_string())
      data::throw_row_error(table, row, which + " (" + role + ") has no text content");
    out.push_back({role, m["content"].get<std::string>()});
  }
  return out;
}

bool looks_like_list(const std::string& cell) {
  const size_t first = cell.find_first_not_of(" \t\r\n");
  return first != std::string::npos && cell[first] == '[';
}

const std::string& text_of(const data::Table& table, int64_t row, const data::Column& column) {
  if (column.missing[row]) data::throw_row_error(table, row, "no " + column.name + " (null or missing)");
  return column.cells[row];
}

void read_prompts(const data::Table& table, SftExamples& out) {
  const data::Column& prompt = table.at("prompt");
  const data::Column* completion = table.find("completion") ? &table.at("completion") : nullptr;
  out.format = SftFormat::kPromptCompletion;
  out.has_completions = completion != nullptr;
  out.conversational = prompt.kind == data::ColumnKind::kList ||
                       (looks_like_list(prompt.cells[0]) && nlohmann::json::parse(prompt.cells[0], nullptr, false).is_array());
  for (int64_t row = 0; row < table.num_rows(); ++row) {
    if (out.conversational) {
      text_of(table, row, prompt);
      out.conversations.push_back(conversation_of(table, row, prompt));
      if (completion) {
        text_of(table, row, *completion);
        out.replies.push_back(conversation_of(table, row, *completion));
      }
    } else {
      out.texts.push_back(text_of(table, row, prompt));
      if (completion) out.completions.push_back(text_of(table, row, *completion));
    }
    out.lines.push_back(table.lines[row]);
  }
}

}  // namespace

void SftExamples::keep_first(int64_t n) {
  if (n >= size()) return;
  auto cut = [n](auto& v) {
    if (static_cast<int64_t>(v.size()) > n) v.resize(n);
  };
  cut(texts);
  cut(completions);
  cut(conversations);
  cut(replies);
  cut(lines);
}

SftExamples read_sft_examples(const std::string& path, const std::string& text_field, bool completions_required) {
  const data::Table table = data::read_table(path);
  SftExamples out;
  out.file = path;
  if (table.find("messages")) {
    out.format = SftFormat::kConversation;
    const data::Column& messages = table.at("messages");
    for (int64_t row = 0; row < table.num_rows(); ++row) {
      text_of(table, row, messages);
      out.conversations.push_back(conversation_of(table, row, messages));
      out.lines.push_back(table.lines[row]);
    }
    return out;
  }
  if (table.find("prompt")) {
    if (completions_required && !table.find("completion"))
      throw data::DataError(path, table.header_line, "a prompt column but no completion column; expected both "
                                                     "(prompt/completion rows), or messages, or " + text_field);
    read_prompts(table, out);
    return out;
  }
  if (!table.find(text_field))
    throw data::DataError(path, table.header_line,
                          "no column " + text_field + " (dataset_text_field), prompt/completion or messages; the file has " +
                              data::join_names(table.column_names()));
  const data::Column& text = table.at(text_field);
  for (int64_t row = 0; row < table.num_rows(); ++row) {
    out.texts.push_back(text_of(table, row, text));
    out.lines.push_back(table.lines[row]);
  }
  return out;
}

}  // namespace hft::task
