// The splitting pre-tokenizers of tokenizer.json: WhitespaceSplit, Whitespace, Punctuation,
// Digits, Split (a string or regex pattern) and Sequence (each splits the previous one's words).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/tokenize/pre_tokenizer.h"   // PreTokenizer
#include "hft/tokenize/regex.h"           // Regex
#include "hft/tokenize/split_behavior.h"  // SplitBehavior

namespace hft::tokenize {

// Words between whitespace.
class WhitespaceSplitPreTokenizer : public PreTokenizer {
 public:
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;
};

// Runs of word characters (regex \w) and runs of other non-space characters.
class WhitespacePreTokenizer : public PreTokenizer {
 public:
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;
};

class PunctuationPreTokenizer : public PreTokenizer {
 public:
  explicit PunctuationPreTokenizer(SplitBehavior behavior) : behavior_(behavior) {}
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;

 private:
  SplitBehavior behavior_;
};

// Numbers (Unicode N*) apart from the rest: one word per digit, or per run of digits.
class DigitsPreTokenizer : public PreTokenizer {
 public:
  explicit DigitsPreTokenizer(bool individual_digits) : individual_digits_(individual_digits) {}
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;

 private:
  bool individual_digits_;
};

class SplitPreTokenizer : public PreTokenizer {
 public:
  // Exactly one of `literal` (String pattern) and `regex` (Regex pattern) is used.
  SplitPreTokenizer(std::u32string literal, std::unique_ptr<Regex> regex, SplitBehavior behavior, bool invert);
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;

 private:
  std::vector<MatchPiece> find(const NormalizedText& text, const WordSpan& range) const;
  std::u32string literal_;
  std::unique_ptr<Regex> regex_;
  SplitBehavior behavior_;
  bool invert_;
};

class PreTokenizerSequence : public PreTokenizer {
 public:
  explicit PreTokenizerSequence(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  // A word a step has rewritten (ByteLevel) is passed on as it is: put such steps last.
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

}  // namespace hft::tokenize
