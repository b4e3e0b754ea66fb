#include "hft/model/config_sizes.h"

#include <sstream>
#include <string_view>

#include "hft/model/model_error.h"

namespace hft::model {
namespace {

using Weights = std::map<std::string, StoredTensor>;

// The stored tensor for `name`, saved with the backbone's prefix or (a bare backbone) without.
const Weights::value_type* find_stored(const Weights& weights, const std::string& base_prefix, const std::string& name) {
  for (const std::string& stored : {base_prefix + "." + name, name}) {
    const auto it = weights.find(stored);
    if (it != weights.end()) return &*it;
  }
  return nullptr;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string keys_text(const std::vector<SizeKey>& dims) {
  std::string out;
  for (const auto& dim : dims) out += (out.empty() ? "" : " x ") + dim.key + " " + std::to_string(dim.value);
  return out;
}

std::string count_text(double values) {
  std::ostringstream out;
  out.precision(3);
  out << values;
  return out.str();
}

// A listed tensor that the weights hold: each dimension as the config sets it.
void check_stored_shape(const ModelConfig& config, const SizedTensor& sized, const Weights::value_type& stored) {
  const std::vector<int64_t>& shape = stored.second.shape;
  const std::string holds = stored.second.file + " holds `" + stored.first + "` of shape " + shape_text(shape);
  if (shape.size() != sized.dims.size())
    throw ModelError(config.path + ": " + keys_text(sized.dims) + " make `" + sized.name + "`, but " + holds);
  for (size_t i = 0; i < shape.size(); ++i) {
    const SizeKey& dim = sized.dims[i];
    if (shape[i] != dim.value)
      throw ModelError(config.path + ": " + dim.key + ": " + std::to_string(dim.value) + ", but " + holds +
                       "; expected " + dim.key + ": " + std::to_string(shape[i]));
  }
}

struct StoredLayers {
  int64_t count = 0;  // one past the highest layer index stored
  std::string file;   // a file holding them
  std::string stem;   // the stored names' start before the index ("bert.encoder.layer."), for messages
};

// The layers the weights hold: names "<prefix>.<i>.…", with or without the backbone's prefix.
StoredLayers stored_layers(const Weights& weights, const std::string& base_prefix, const std::string& prefix) {
  StoredLayers layers;
  for (const auto& [name, tensor] : weights) {
    std::string_view rest = name;
    const std::string with_base = base_prefix + ".";
    if (rest.starts_with(with_base)) rest.remove_prefix(with_base.size());
    if (!rest.starts_with(prefix + ".")) continue;
    rest.remove_prefix(prefix.size() + 1);
    const size_t digits = rest.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string_view::npos || digits > 9 || rest[digits] != '.') continue;
    const int64_t index = std::stoll(std::string(rest.substr(0, digits)));
    if (index + 1 > layers.count) layers.count = index + 1, layers.file = tensor.file;
    if (layers.stem.empty()) layers.stem = name.substr(0, name.size() - rest.size());
  }
  return layers;
}

double values_of(const SizedTensor& sized) {
  double values = 1;
  for (const SizeKey& dim : sized.dims) values *= static_cast<double>(dim.value);
  return values;
}

bool per_layer(const SizedTensor& sized, const ConfigSizes& sizes) { return sized.name.starts_with(sizes.layers.prefix + ".0."); }

// What the listed tensors the weights lack (a new head; every layer when none is stored) take.
struct NewValues {
  double total = 0, largest = 0;
  const SizedTensor* largest_tensor = nullptr;
  bool largest_per_layer = false;
};

NewValues new_values(const std::string& base_prefix, const ConfigSizes& sizes, const Weights& weights) {
  NewValues out;
  for (const SizedTensor& sized : sizes.tensors) {
    if (find_stored(weights, base_prefix, sized.name)) continue;
    const bool each_layer = per_layer(sized, sizes);
    const double values = values_of(sized) * (each_layer ? static_cast<double>(sizes.layers.count.value) : 1.0);
    out.total += values;
    if (values > out.largest) out.largest = values, out.largest_tensor = &sized, out.largest_per_layer = each_layer;
  }
  return out;
}

// More layers than the weights hold are built new, as transformers builds them (and reports them
// newly initialized), within the same bound on new values as any tensor the weights lack.
void check_layers(const ModelConfig& config, const ConfigSizes& sizes, const StoredLayers& stored, double other_new) {
  const SizedLayers& sized = sizes.layers;
  if (stored.count == 0 || sized.count.value <= stored.count) return;  // fewer: the rest are unused, as in transformers
  double layer_values = 0;
  for (const SizedTensor& tensor : sizes.tensors)
    if (per_layer(tensor, sizes)) layer_values += values_of(tensor);
  if (other_new + layer_values * static_cast<double>(sized.count.value - stored.count) <= kMaxNewValues) return;
  throw ModelError(config.path + ": " + sized.count.key + ": " + std::to_string(sized.count.value) + ", but " +
                   stored.file + " holds " + std::to_string(stored.count) + " layers (`" + stored.stem + "0` to `" +
                   stored.stem + std::to_string(stored.count - 1) + "`); expected " + sized.count.key + ": " +
                   std::to_string(stored.count) + " (new layers are built only up to " +
                   std::to_string(static_cast<int64_t>(kMaxNewValues)) + " new values)");
}

void check_new_values(const ModelConfig& config, const ConfigSizes& sizes, const NewValues& added,
                      const std::string& weights_source) {
  if (added.total <= kMaxNewValues) return;
  std::string keys = keys_text(added.largest_tensor->dims);
  if (added.largest_per_layer)
    keys += " in each of " + sizes.layers.count.key + " " + std::to_string(sizes.layers.count.value);
  throw ModelError(config.path + ": " + keys + " ask for " + count_text(added.largest) + " values in `" +
                   added.largest_tensor->name + "`, which " + weights_source +
                   " does not hold; expected sizes that the weights hold (at most " +
                   std::to_string(static_cast<int64_t>(kMaxNewValues)) + " values are built new)");
}

}  // namespace

void check_config_sizes(const ModelConfig& config, const std::string& base_prefix, const ConfigSizes& sizes,
                        const Weights& weights, const std::string& weights_source) {
  for (const SizedTensor& sized : sizes.tensors)
    if (const auto* stored = find_stored(weights, base_prefix, sized.name)) check_stored_shape(config, sized, *stored);
  const NewValues added = new_values(base_prefix, sizes, weights);
  check_layers(config, sizes, stored_layers(weights, base_prefix, sizes.layers.prefix), added.total);
  check_new_values(config, sizes, added, weights_source);
}

}  // namespace hft::model
