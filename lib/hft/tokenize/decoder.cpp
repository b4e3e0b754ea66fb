#include "hft/tokenize/decoder.h"

#include <cstdio>   // std::sscanf
#include <unordered_map>
#include <utility>  // std::pair

#include "hft/tokenize/byte_level_pre_tokenizer.h"  // byte_to_char
#include "hft/tokenize/unicode.h"                   // decode_utf8, append_utf8

namespace hft::tokenize {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
}

class WordPieceDecoder : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup) : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string& t = tokens[i];
      if (i > 0) {
        if (!prefix_.empty() && t.compare(0, prefix_.size(), prefix_) == 0) {
          t.erase(0, prefix_.size());
        } else {
          t.insert(0, " ");
        }
      }
      if (cleanup_) clean(t);
    }
  }

 private:
  static void clean(std::string& t) {
    static const std::pair<const char*, const char*> kRules[] = {
        {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"}, {" 'm", "'m"},
        {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto& [from, to] : kRules) replace_all(t, from, to);
  }
  std::string prefix_;
  bool cleanup_;
};

class ByteLevelDecoder : public Decoder {
 public:
  ByteLevelDecoder() {
    const auto& chars = byte_to_char();
    for (int b = 0; b < 256; ++b) byte_of_[chars[b]] = static_cast<char>(b);
  }
  // All tokens' bytes as one text: a character may be split across tokens.
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::u32string chars;
    std::string bytes;
    for (const std::string& t : tokens) {
      chars.clear();
      unicode::decode_utf8(t, chars);
      for (char32_t c : chars) {
        auto it = byte_of_.find(c);
        if (it != byte_of_.end()) {
          bytes.push_back(it->second);
        } else {
          unicode::append_utf8(c, bytes);  // not of the byte alphabet (an added token): as it is
        }
      }
    }
    tokens.assign(1, utf8_lossy(bytes));
  }

 private:
  std::unordered_map<char32_t, char> byte_of_;
};

class MetaspaceDecoder : public Decoder {
 public:
  MetaspaceDecoder(char32_t replacement, MetaspacePrepend prepend) : prepend_(prepend) {
    unicode::append_utf8(replacement, replacement_);
  }
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      replace_all(tokens[i], replacement_, " ");
      if (i == 0 && prepend_ != MetaspacePrepend::kNever && !tokens[i].empty() && tokens[i][0] == ' ') {
        tokens[i].erase(0, 1);
      }
    }
  }

 private:
  std::string replacement_;
  MetaspacePrepend prepend_;
};

class ReplaceDecoder : public Decoder {
 public:
  ReplaceDecoder(std::string pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) replace_all(t, pattern_, content_);
  }

 private:
  std::string pattern_, content_;
};

// "<0xNN>" -> the byte NN, or -1.
int byte_token(const std::string& t) {
  unsigned value = 0;
  char end = 0;
  if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || std::sscanf(t.c_str() + 3, "%2X%c", &value, &end) != 2 ||
      end != '>') {
    return -1;
  }
  return static_cast<int>(value);
}

class ByteFallbackDecoder : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    size_t count = 0;
    auto flush = [&] {
      if (count == 0) return;
      std::u32string check;
      if (unicode::decode_utf8(bytes, check)) {
        out.push_back(bytes);
      } else {
        for (size_t i = 0; i < count; ++i) out.emplace_back("\xEF\xBF\xBD");
      }
      bytes.clear();
      count = 0;
    };
    for (std::string& t : tokens) {
      const int b = byte_token(t);
      if (b < 0) {
        flush();
        out.push_back(std::move(t));
      } else {
        bytes.push_back(static_cast<char>(b));
        ++count;
      }
    }
    flush();
    tokens = std::move(out);
  }
};

class FuseDecoder : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const std::string& t : tokens) all += t;
    tokens.assign(1, std::move(all));
  }
};

class StripDecoder : public Decoder {
 public:
  StripDecoder(char32_t content, size_t start, size_t stop) : start_(start), stop_(stop) {
    unicode::append_utf8(content, content_);
  }
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      for (size_t i = 0; i < start_ && t.compare(0, content_.size(), content_) == 0; ++i) t.erase(0, content_.size());
      for (size_t i = 0; i < stop_ && t.size() >= content_.size() &&
                         t.compare(t.size() - content_.size(), content_.size(), content_) == 0;
           ++i) {
        t.erase(t.size() - content_.size());
      }
    }
  }

 private:
  std::string content_;
  size_t start_, stop_;
};

class DecoderSequence : public Decoder {
 public:
  explicit DecoderSequence(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (const auto& step : steps_) step->decode_chain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

// The length of a valid UTF-8 sequence prefix at `s[i]`, and whether it is complete.
std::pair<size_t, bool> valid_prefix(const std::string& s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 < 0x80) return {1, true};
  if (b0 >= 0xC2 && b0 <= 0xDF) need = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {1, false};
  }
  size_t n = 1;
  for (; n < need && i + n < s.size(); ++n) {
    const auto b = static_cast<unsigned char>(s[i + n]);
    if (n == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) break;
  }
  return {n, n == need};
}

}  // namespace

std::string Decoder::decode(std::vector<std::string> tokens) const {
  decode_chain(tokens);
  std::string out;
  for (const std::string& t : tokens) out += t;
  return out;
}

std::string utf8_lossy(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const auto [n, complete] = valid_prefix(bytes, i);
    if (complete) {
      out.append(bytes, i, n);
    } else {
      out += "\xEF\xBF\xBD";
    }
    i += n;
  }
  return out;
}

std::unique_ptr<Decoder> wordpiece_decoder(std::string prefix, bool cleanup) {
  return std::make_unique<WordPieceDecoder>(std::move(prefix), cleanup);
}
std::unique_ptr<Decoder> byte_level_decoder() { return std::make_unique<ByteLevelDecoder>(); }
std::unique_ptr<Decoder> metaspace_decoder(char32_t replacement, MetaspacePrepend prepend) {
  return std::make_unique<MetaspaceDecoder>(replacement, prepend);
}
std::unique_ptr<Decoder> replace_decoder(std::string pattern, std::string content) {
  return std::make_unique<ReplaceDecoder>(std::move(pattern), std::move(content));
}
std::unique_ptr<Decoder> byte_fallback_decoder() { return std::make_unique<ByteFallbackDecoder>(); }
std::unique_ptr<Decoder> fuse_decoder() { return std::make_unique<FuseDecoder>(); }
std::unique_ptr<Decoder> strip_decoder(char32_t content, size_t start, size_t stop) {
  return std::make_unique<StripDecoder>(content, start, stop);
}
std::unique_ptr<Decoder> decoder_sequence(std::vector<std::unique_ptr<Decoder>> steps) {
  return std::make_unique<DecoderSequence>(std::move(steps));
}

}  // namespace hft::tokenize
