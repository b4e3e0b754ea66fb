#include "hft/tokenize/encode_options.h"

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

// The names `transformers` accepts for truncation=..., True and False included.
Truncation parse_truncation(const std::string& name) {
  if (name == "longest_first" || name == "true") return Truncation::kLongestFirst;
  if (name == "only_first") return Truncation::kOnlyFirst;
  if (name == "only_second") return Truncation::kOnlySecond;
  if (name == "do_not_truncate" || name == "false") return Truncation::kDoNotTruncate;
  throw TokenizeError("truncation", "unknown strategy \"" + name +
                                        "\" (expected longest_first, only_first, only_second or do_not_truncate)");
}

}  // namespace hft::tokenize
