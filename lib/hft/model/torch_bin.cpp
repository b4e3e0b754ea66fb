#include "hft/model/torch_bin.h"

#include <caffe2/serialize/inline_container.h>

#include <fstream>

#include "hft/model/model_error.h"
#include "hft/model/state_dict_unpickler.h"  // unpickle_state_dict

namespace hft::model {
namespace {

// The first line of a LibTorch error, without its backtrace: the message stays one line.
std::string first_line(const std::string& text) {
  const std::string line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

// torch.save writes a zip archive (local file header "PK\3\4"); older torch wrote a bare pickle.
bool starts_like_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

using Tensors = std::vector<std::pair<std::string, torch::Tensor>>;

Tensors read_archive(const std::string& path, bool shapes_only) {
  auto fail = [&](const std::string& what) -> ModelError { return ModelError(path + ": " + what); };
  std::ifstream probe(path, std::ios::binary);
  if (!probe) throw fail("cannot open the weights file");
  if (!starts_like_zip(path))
    throw fail("not a zip archive as torch.save writes it (torch < 1.6 wrote another format); re-save it with "
               "transformers: AutoModel.from_pretrained(dir).save_pretrained(dir)");
  try {
    caffe2::serialize::PyTorchStreamReader reader(path);
    if (reader.hasRecord("byteorder")) {
      const auto [data, size] = reader.getRecord("byteorder");
      if (std::string(static_cast<const char*>(data.get()), size) != "little")
        throw fail("holds big-endian tensors; hft reads little-endian checkpoints");
    }
    const auto [pickle_data, pickle_size] = reader.getRecord("data.pkl");
    const std::string pickle(static_cast<const char*>(pickle_data.get()), pickle_size);
    return unpickle_state_dict(pickle, [&reader, shapes_only](const std::string& key) {
      if (shapes_only) return std::pair<at::DataPtr, size_t>(at::DataPtr(nullptr, at::kMeta), reader.getRecordSize("data/" + key));
      auto record = reader.getRecord("data/" + key);
      return std::pair<at::DataPtr, size_t>(std::move(std::get<0>(record)), std::get<1>(record));
    });
  } catch (const ModelError&) {
    throw;
  } catch (const c10::Error& e) {
    throw fail("damaged or not a state dict torch.save wrote (" + first_line(e.what_without_backtrace()) + ")");
  } catch (const std::exception& e) {
    throw fail("damaged or not a state dict torch.save wrote (" + first_line(e.what()) + ")");
  }
}

}  // namespace

Tensors read_torch_bin(const std::string& path) { return read_archive(path, /*shapes_only=*/false); }

Tensors read_torch_bin_shapes(const std::string& path) { return read_archive(path, /*shapes_only=*/true); }

}  // namespace hft::model
