// TemplateProcessing (and BertProcessing, which is the template "[CLS] $A [SEP] $B:1 [SEP]:1"):
// the output is laid out by a template of sequence slots and special tokens, each with a type id.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hft/tokenize/post_processor.h"  // PostProcessor

namespace hft::tokenize {

struct TemplatePiece {
  enum class Kind { kSequenceA, kSequenceB, kSpecialToken } kind;
  std::string special_token;  // for kSpecialToken: a key of TemplateProcessing's special tokens
  int32_t type_id = 0;
};

class TemplateProcessing;

// BERT's layout: [CLS]:0 $A:0 [SEP]:0, and for pairs $B:1 [SEP]:1 after it.
std::unique_ptr<TemplateProcessing> bert_template(const std::string& cls, int32_t cls_id, const std::string& sep,
                                                  int32_t sep_id, const std::string& source);

// RoBERTa's: <s>:0 $A:0 </s>:0, and for pairs </s>:0 $B:0 </s>:0 after it (every type id 0).
std::unique_ptr<TemplateProcessing> roberta_template(const std::string& cls, int32_t cls_id, const std::string& sep,
                                                     int32_t sep_id, const std::string& source);

class TemplateProcessing : public PostProcessor {
 public:
  // `special_ids`: the ids each special token of the templates stands for (usually one).
  // Throws TokenizeError (naming `source`) when a template names a token without ids.
  TemplateProcessing(std::vector<TemplatePiece> single, std::vector<TemplatePiece> pair,
                     std::map<std::string, std::vector<int32_t>> special_ids, const std::string& source);

  size_t added_tokens(bool is_pair) const override;
  Encoding process(Encoding first, std::optional<Encoding> second, bool add_special_tokens) const override;

 private:
  std::vector<TemplatePiece> single_;
  std::vector<TemplatePiece> pair_;
  std::map<std::string, std::vector<int32_t>> special_ids_;
};

}  // namespace hft::tokenize
