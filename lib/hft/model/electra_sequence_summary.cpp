#include "hft/model/electra_sequence_summary.h"

#include "hft/model/model_error.h"

namespace hft::model {
namespace {

// summary_activation: absent means ElectraConfig's "gelu"; null (or "") means no activation.
Activation summary_activation(const ModelConfig& config) {
  const auto it = config.document.find("summary_activation");
  if (it != config.document.end() && (it->is_null() || (it->is_string() && it->get<std::string>().empty())))
    return [](const torch::Tensor& x) { return x; };
  return activation_by_name(config_value<std::string>(config, "summary_activation", "gelu"), config.path,
                            "summary_activation");
}

}  // namespace

SequenceSummaryImpl::SequenceSummaryImpl(const ModelConfig& config, int64_t hidden_size)
    : type_(config_value<std::string>(config, "summary_type", "first")), activation_(summary_activation(config)) {
  if (type_ != "first" && type_ != "last" && type_ != "mean" && type_ != "cls_index")
    throw ModelError(config.path + ": summary_type: `" + type_ + "` is not supported; expected first, last, mean or cls_index");
  const double first = config_value<double>(config, "summary_first_dropout", 0.0);
  const double last = config_value<double>(config, "summary_last_dropout", 0.1);
  require_probabilities(config, {{"summary_first_dropout", first}, {"summary_last_dropout", last}});
  if (config_value<bool>(config, "summary_use_proj", true)) {
    const bool to_labels = config_value<bool>(config, "summary_proj_to_labels", false) && config.num_labels() > 0;
    summary = register_module("summary", AdaptableLinear(hidden_size, to_labels ? config.num_labels() : hidden_size));
  }
  // transformers leaves a dropout of 0 out (an identity); a Dropout(0) is the same numbers.
  first_dropout_ = register_module("first_dropout", torch::nn::Dropout(first));
  last_dropout_ = register_module("last_dropout", torch::nn::Dropout(last));
}

torch::Tensor SequenceSummaryImpl::forward(const torch::Tensor& hidden) {
  torch::Tensor out = type_ == "first"  ? hidden.select(1, 0)    // [B, H]
                      : type_ == "mean" ? hidden.mean(1)         // over every position, padding too
                                        : hidden.select(1, -1);  // last; cls_index without an index
  out = first_dropout_(out);
  if (summary) out = summary(out);
  return last_dropout_(activation_(out));
}

}  // namespace hft::model
