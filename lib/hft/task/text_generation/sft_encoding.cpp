#include "hft/task/text_generation/sft_encoding.h"

#include <algorithm>
#include <optional>
#include <string>

#include "hft/chat/render_chat.h"    // ChatRenderer
#include "hft/data/data_error.h"     // DataError
#include "hft/tokenize/tokenizer.h"  // Tokenizer

namespace hft::task {
namespace {

constexpr int32_t kIgnored = -100;

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

// TRL's add_eos: plain text and completions end with the EOS token's text.
std::string with_eos(const std::string& text, const tokenize::Tokenizer& tokenizer) {
  const auto& eos = tokenizer.special_tokens().eos;
  return eos && !ends_with(text, *eos) ? text + *eos : text;
}

chat::ChatTemplateOptions template_options(const tokenize::Tokenizer& tokenizer, bool generation_prompt) {
  chat::ChatTemplateOptions options;
  options.special_tokens = tokenizer.special_tokens();
  options.add_generation_prompt = generation_prompt;
  return options;
}

Conversation joined(const Conversation& a, const Conversation& b) {
  Conversation out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<tokenize::Encoding> encodings_of(const std::vector<std::string>& texts, const tokenize::Tokenizer& tokenizer,
                                             bool special_tokens, unsigned threads) {
  tokenize::EncodeOptions options;
  options.add_special_tokens = special_tokens;
  return tokenizer.encode_batch(texts, nullptr, options, threads);
}

std::vector<std::vector<int32_t>> ids_of(const std::vector<std::string>& texts, const tokenize::Tokenizer& tokenizer,
                                         bool special_tokens, unsigned threads) {
  std::vector<std::vector<int32_t>> out;
  out.reserve(texts.size());
  for (auto& encoding : encodings_of(texts, tokenizer, special_tokens, threads)) out.push_back(std::move(encoding.input_ids));
  return out;
}

// The texts the rows are tokenized as: whole rows, and (prompt/completion) the prompts alone.
struct RowTexts {
  std::vector<std::string> full, prompts;
  std::vector<std::vector<std::pair<size_t, size_t>>> generation;  // [rows] assistant-only: the assistant's spans in `full`
  bool special_tokens = true;  // plain text: the tokenizer's BOS/EOS rules; rendered chats: none
};

// A whole conversation, with its assistant spans when asked for.
void add_conversation(RowTexts& out, const Conversation& conversation, const tokenize::Tokenizer& tokenizer,
                      const chat::ChatRenderer& renderer, bool assistant_spans) {
  if (!assistant_spans) {
    out.full.push_back(renderer.render(conversation, template_options(tokenizer, false)));
    return;
  }
  chat::MarkedChat marked = renderer.render_marked(conversation, template_options(tokenizer, false));
  out.full.push_back(std::move(marked.text));
  out.generation.push_back(std::move(marked.generation));
}

RowTexts row_texts(const SftExamples& ex, const tokenize::Tokenizer& tokenizer, const chat::ChatRenderer* renderer,
                   bool assistant_spans) {
  RowTexts out;
  out.special_tokens = !(ex.format == SftFormat::kConversation || ex.conversational);
  for (int64_t row = 0; row < ex.size(); ++row) {
    if (ex.format == SftFormat::kText) {
      out.full.push_back(with_eos(ex.texts[row], tokenizer));
    } else if (ex.format == SftFormat::kConversation) {
      add_conversation(out, ex.conversations[row], tokenizer, *renderer, assistant_spans);
    } else if (ex.conversational) {
      out.prompts.push_back(renderer->render(ex.conversations[row], template_options(tokenizer, true)));
      add_conversation(out, joined(ex.conversations[row], ex.replies[row]), tokenizer, *renderer, assistant_spans);
    } else {
      out.prompts.push_back(ex.texts[row]);
      out.full.push_back(ex.texts[row] + with_eos(ex.completions[row], tokenizer));
    }
  }
  return out;
}

[[noreturn]] void row_error(const SftExamples& ex, int64_t row, const std::string& message) {
  throw data::DataError(ex.file, ex.lines[row], message);
}

// tokenizers' char_to_token: the first token whose offsets hold code point `c`.
std::optional<size_t> char_to_token(const tokenize::Encoding& encoding, size_t c) {
  for (size_t t = 0; t < encoding.offsets.size(); ++t)
    if (encoding.offsets[t].first <= c && c < encoding.offsets[t].second) return t;
  return std::nullopt;
}

// apply_chat_template's assistant_masks: 1 from the token of each span's first character to the
// token of its last (to the end when that has none, or is the first token), as transformers sets it.
std::vector<uint8_t> assistant_mask(const tokenize::Encoding& encoding, const std::vector<std::pair<size_t, size_t>>& spans) {
  std::vector<uint8_t> mask(encoding.size(), 0);
  for (const auto& [begin, end] : spans) {
    const std::optional<size_t> first = char_to_token(encoding, begin);
    if (!first) break;  // transformers: out of bounds, as after truncation
    const std::optional<size_t> last = end > 0 ? char_to_token(encoding, end - 1) : std::nullopt;
    const size_t stop = last && *last != 0 ? *last + 1 : mask.size();
    std::fill(mask.begin() + static_cast<std::ptrdiff_t>(*first), mask.begin() + static_cast<std::ptrdiff_t>(stop), 1);
  }
  return mask;
}

}  // namespace

size_t common_prefix_length(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const size_t n = std::min(a.size(), b.size());
  size_t k = 0;
  while (k < n && a[k] == b[k]) ++k;
  return k;
}

SftEncoded encode_sft(const SftExamples& examples, const tokenize::Tokenizer& tokenizer,
                      const chat::ChatRenderer* renderer, const SftEncodeOptions& options) {
  const bool chat = examples.format == SftFormat::kConversation || examples.conversational;
  if (options.assistant_only_loss && !chat)
    throw data::DataError(examples.file, 0, "assistant_only_loss needs conversations: rows of messages, or prompt and "
                                            "completion as lists of messages");
  const RowTexts texts = row_texts(examples, tokenizer, renderer, options.assistant_only_loss);
  std::vector<tokenize::Encoding> encodings = encodings_of(texts.full, tokenizer, texts.special_tokens, options.threads);
  const auto prompts = ids_of(texts.prompts, tokenizer, texts.special_tokens, options.threads);
  const bool completion_only = options.completion_only_loss.value_or(true) && !prompts.empty();
  const auto max_length = static_cast<size_t>(options.max_length);
  SftEncoded encoded;
  data::EncodedDataset& out = encoded.rows;
  out.has_labels = true;
  for (int64_t row = 0; row < examples.size(); ++row) {
    const std::vector<int32_t>& ids = encodings[row].input_ids;
    std::vector<uint8_t> assistant;  // empty: every token may be learnt
    if (options.assistant_only_loss) {
      assistant = assistant_mask(encodings[row], texts.generation[row]);
      if (std::find(assistant.begin(), assistant.end(), 1) == assistant.end())
        row_error(examples, row, "the chat template's {% generation %} blocks mark no token of this conversation; "
                                 "expected an assistant turn inside them (assistant_only_loss)");
    }
    const size_t prompt_length = prompts.empty() ? 0 : common_prefix_length(prompts[row], ids);
    if (!prompts.empty() && ids.size() - prompt_length > max_length)
      row_error(examples, row, "the completion is " + std::to_string(ids.size() - prompt_length) +
                                   " tokens, longer than max_length " + std::to_string(max_length) +
                                   "; raise max_length or shorten the completion");
    const size_t kept = options.truncate ? std::min(ids.size(), max_length) : ids.size();
    const size_t first_label = completion_only ? prompt_length : 0;
    auto learnt = [&](size_t t) { return t >= first_label && (assistant.empty() || assistant[t]); };
    size_t labelled = 0;
    for (size_t t = 0; t < kept; ++t) labelled += learnt(t) ? 1 : 0;
    if (labelled == 0) {
      encoded.dropped_lines.push_back(examples.lines[row]);
      continue;
    }
    for (size_t t = 0; t < kept; ++t) {
      out.input_ids.push_back(ids[t]);
      out.token_labels.push_back(learnt(t) ? ids[t] : kIgnored);
    }
    out.token_type_ids.resize(out.input_ids.size(), 0);
    out.offsets.push_back(static_cast<int64_t>(out.input_ids.size()));
  }
  return encoded;
}

std::vector<std::vector<int32_t>> encode_prompts(const SftExamples& examples, const tokenize::Tokenizer& tokenizer,
                                                 const chat::ChatRenderer* renderer) {
  std::vector<std::string> prompts;
  const bool chat = examples.format == SftFormat::kConversation || examples.conversational;
  for (int64_t row = 0; row < examples.size(); ++row) {
    if (!chat) {
      prompts.push_back(examples.texts[row]);
      continue;
    }
    Conversation prompt = examples.conversations[row];
    if (examples.format == SftFormat::kConversation && prompt.size() > 1 && prompt.back().role == "assistant") prompt.pop_back();
    prompts.push_back(renderer->render(prompt, template_options(tokenizer, true)));
  }
  return ids_of(prompts, tokenizer, !chat, 0);
}

}  // namespace hft::task
