// hft's save_pretrained against transformers: the oracle's model folder `dir` loaded with
// `options`, saved with a tokenizer, and loaded by tests/oracle/check_saved_model.py through
// AutoModelFor<auto_head> (sequence | token | choice): no weight warnings, the class config.json
// names, id2label `labels` ("a,b,c"), and the logits hft computed on the oracle's batch.
#pragma once

#include <torch/torch.h>  // before Catch: c10's CHECK macro must not replace Catch's
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "../test_files.h"
#include "hft/model/pretrained.h"
#include "hft/model/safetensors.h"

namespace hft::testing {

inline void check_saved_model_loads_in_transformers(const std::string& dir, const model::LoadOptions& options,
                                                    const std::string& labels, const std::string& auto_head) {
  ScratchDir scratch;
  model::PretrainedModel model = model::from_pretrained(dir, options);
  const model::SafetensorsFile expected(dir + "/expected.safetensors");
  model.module->eval();
  torch::Tensor logits;
  {
    torch::NoGradGuard no_grad;
    data::Batch inputs{expected.tensor("input_ids").clone(), expected.tensor("attention_mask").clone(),
                       expected.tensor("token_type_ids").clone(), torch::Tensor()};
    inputs.num_tokens = inputs.attention_mask.sum().item<int64_t>();
    logits = model.module->forward(inputs).logits;
  }
  const std::string saved = scratch.path("saved");
  save_pretrained(model, saved, std::string(HFT_SOURCE_DIR) + "/tests/fixtures/tokenizers/bert-base-uncased");
  model::write_safetensors(scratch.path("hft_logits.safetensors"),
                           {{"input_ids", expected.tensor("input_ids")},
                            {"attention_mask", expected.tensor("attention_mask")},
                            {"token_type_ids", expected.tensor("token_type_ids")},
                            {"logits", logits}});
  const std::string command = std::string(HFT_PYTHON) + " " + HFT_SOURCE_DIR + "/tests/oracle/check_saved_model.py " +
                              saved + " " + scratch.path("hft_logits.safetensors") + " " + labels + " " + auto_head;
  CHECK(std::system(command.c_str()) == 0);
}

}  // namespace hft::testing
