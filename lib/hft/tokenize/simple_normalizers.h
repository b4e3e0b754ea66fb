// The small normalizers of tokenizer.json: Lowercase, StripAccents, NFD, NFKD, NFC, NFKC,
// Replace, Strip, Prepend and Sequence (several in order).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/tokenize/normalizer.h"  // Normalizer

namespace hft::tokenize {

class LowercaseNormalizer : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override;
};

// Drops combining marks (Mn, Mc, Me); accents only come off after NFD (as in a Sequence
// [NFD, StripAccents]). Unlike BertNormalizer's strip_accents, which drops Mn only.
class StripAccentsNormalizer : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override;
};

class NfdNormalizer : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override;
};

class NfkdNormalizer : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override;
};

class NfcNormalizer : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override;
};

class NfkcNormalizer : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override;
};

// Replace with a string pattern (tokenizer.json {"pattern": {"String": ...}, "content": ...}).
class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(std::u32string pattern, std::u32string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void normalize(NormalizedText& text) const override;

 private:
  std::u32string pattern_, content_;
};

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(NormalizedText& text) const override;

 private:
  bool left_, right_;
};

class PrependNormalizer : public Normalizer {
 public:
  explicit PrependNormalizer(std::u32string prefix) : prefix_(std::move(prefix)) {}
  void normalize(NormalizedText& text) const override;

 private:
  std::u32string prefix_;
};

class NormalizerSequence : public Normalizer {
 public:
  explicit NormalizerSequence(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void normalize(NormalizedText& text) const override;

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace hft::tokenize
