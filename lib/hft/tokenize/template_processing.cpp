#include "hft/tokenize/template_processing.h"

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {
namespace {

void append(Encoding& out, const Encoding& part, int32_t type_id) {
  out.input_ids.insert(out.input_ids.end(), part.input_ids.begin(), part.input_ids.end());
  out.token_type_ids.insert(out.token_type_ids.end(), part.size(), type_id);
  out.attention_mask.insert(out.attention_mask.end(), part.attention_mask.begin(), part.attention_mask.end());
  out.special_tokens_mask.insert(out.special_tokens_mask.end(), part.special_tokens_mask.begin(),
                                 part.special_tokens_mask.end());
  out.offsets.insert(out.offsets.end(), part.offsets.begin(), part.offsets.end());
  out.word_ids.insert(out.word_ids.end(), part.word_ids.begin(), part.word_ids.end());
}

void append_special(Encoding& out, const std::vector<int32_t>& ids, int32_t type_id) {
  for (int32_t id : ids) {
    out.input_ids.push_back(id);
    out.token_type_ids.push_back(type_id);
    out.attention_mask.push_back(1);
    out.special_tokens_mask.push_back(1);
    out.offsets.emplace_back(0, 0);
    out.word_ids.push_back(-1);  // transformers: None
  }
}

}  // namespace

Encoding concatenate(Encoding first, std::optional<Encoding> second) {
  if (!second) return first;
  Encoding out = std::move(first);
  out.input_ids.insert(out.input_ids.end(), second->input_ids.begin(), second->input_ids.end());
  out.token_type_ids.insert(out.token_type_ids.end(), second->token_type_ids.begin(), second->token_type_ids.end());
  out.attention_mask.insert(out.attention_mask.end(), second->attention_mask.begin(), second->attention_mask.end());
  out.special_tokens_mask.insert(out.special_tokens_mask.end(), second->special_tokens_mask.begin(),
                                 second->special_tokens_mask.end());
  out.offsets.insert(out.offsets.end(), second->offsets.begin(), second->offsets.end());
  out.word_ids.insert(out.word_ids.end(), second->word_ids.begin(), second->word_ids.end());
  return out;
}

TemplateProcessing::TemplateProcessing(std::vector<TemplatePiece> single, std::vector<TemplatePiece> pair,
                                       std::map<std::string, std::vector<int32_t>> special_ids,
                                       const std::string& source)
    : single_(std::move(single)), pair_(std::move(pair)), special_ids_(std::move(special_ids)) {
  for (const auto* pieces : {&single_, &pair_}) {
    for (const auto& piece : *pieces) {
      if (piece.kind == TemplatePiece::Kind::kSpecialToken && !special_ids_.count(piece.special_token)) {
        throw TokenizeError(source, "post_processor: the template uses \"" + piece.special_token +
                                        "\" but special_tokens has no entry for it (add one with its ids)");
      }
    }
  }
}

std::unique_ptr<TemplateProcessing> bert_template(const std::string& cls, int32_t cls_id, const std::string& sep,
                                                  int32_t sep_id, const std::string& source) {
  using Kind = TemplatePiece::Kind;
  std::vector<TemplatePiece> single = {{Kind::kSpecialToken, cls, 0}, {Kind::kSequenceA, "", 0}, {Kind::kSpecialToken, sep, 0}};
  std::vector<TemplatePiece> pair = single;
  pair.push_back({Kind::kSequenceB, "", 1});
  pair.push_back({Kind::kSpecialToken, sep, 1});
  std::map<std::string, std::vector<int32_t>> ids{{cls, {cls_id}}, {sep, {sep_id}}};
  return std::make_unique<TemplateProcessing>(std::move(single), std::move(pair), std::move(ids), source);
}

std::unique_ptr<TemplateProcessing> roberta_template(const std::string& cls, int32_t cls_id, const std::string& sep,
                                                     int32_t sep_id, const std::string& source) {
  using Kind = TemplatePiece::Kind;
  std::vector<TemplatePiece> single = {{Kind::kSpecialToken, cls, 0}, {Kind::kSequenceA, "", 0}, {Kind::kSpecialToken, sep, 0}};
  std::vector<TemplatePiece> pair = single;
  pair.push_back({Kind::kSpecialToken, sep, 0});
  pair.push_back({Kind::kSequenceB, "", 0});
  pair.push_back({Kind::kSpecialToken, sep, 0});
  std::map<std::string, std::vector<int32_t>> ids{{cls, {cls_id}}, {sep, {sep_id}}};
  return std::make_unique<TemplateProcessing>(std::move(single), std::move(pair), std::move(ids), source);
}

size_t TemplateProcessing::added_tokens(bool is_pair) const {
  size_t n = 0;
  for (const auto& piece : is_pair ? pair_ : single_) {
    if (piece.kind == TemplatePiece::Kind::kSpecialToken) n += special_ids_.at(piece.special_token).size();
  }
  return n;
}

// Without special tokens the template still sets the type ids of the sequences (B gets 1 for
// BERT), as `tokenizers` does.
Encoding TemplateProcessing::process(Encoding first, std::optional<Encoding> second, bool add_special_tokens) const {
  Encoding out;
  const size_t total = first.size() + (second ? second->size() : 0) + (add_special_tokens ? added_tokens(second.has_value()) : 0);
  out.reserve(total);
  for (const auto& piece : second ? pair_ : single_) {
    switch (piece.kind) {
      case TemplatePiece::Kind::kSequenceA:
        append(out, first, piece.type_id);
        break;
      case TemplatePiece::Kind::kSequenceB:
        if (second) append(out, *second, piece.type_id);
        break;
      case TemplatePiece::Kind::kSpecialToken:
        if (add_special_tokens) append_special(out, special_ids_.at(piece.special_token), piece.type_id);
        break;
    }
  }
  return out;
}

}  // namespace hft::tokenize
