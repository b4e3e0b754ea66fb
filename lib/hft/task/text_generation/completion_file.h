// The predictions file of text generation: one JSON line per test row, {"prompt": the row's
// prompt (text, or its messages), "completion": the generated text}, written atomically.
#pragma once

#include <string>
#include <vector>

#include "hft/task/text_generation/sft_examples.h"  // SftExamples

namespace hft::task {

// Throws BadInput when `path` is not a .jsonl file.
void write_completions(const std::string& path, const SftExamples& rows, const std::vector<std::string>& completions);

}  // namespace hft::task
