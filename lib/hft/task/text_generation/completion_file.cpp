#include "hft/task/text_generation/completion_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/error.h"                   // BadInput

namespace hft::task {
namespace {

nlohmann::ordered_json messages_json(const Conversation& conversation) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& m : conversation) out.push_back({{"role", m.role}, {"content", m.content}});
  return out;
}

}  // namespace

void write_completions(const std::string& path, const SftExamples& rows, const std::vector<std::string>& completions) {
  if (std::filesystem::path(path).extension() != ".jsonl")
    throw BadInput(path + ": text-generation writes its completions as JSON lines; expected a .jsonl output file");
  std::string text;
  for (int64_t row = 0; row < rows.size(); ++row) {
    nlohmann::ordered_json line;
    const bool chat = rows.format == SftFormat::kConversation || rows.conversational;
    if (chat) {
      line["prompt"] = messages_json(rows.conversations[row]);
    } else {
      line["prompt"] = rows.texts[row];
    }
    line["completion"] = completions[row];
    text += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  checkpoint::write_file_atomically(path, text);
}

}  // namespace hft::task
