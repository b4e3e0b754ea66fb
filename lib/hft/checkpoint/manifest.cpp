#include "hft/checkpoint/manifest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/error.h"  // RunFailure

namespace hft::checkpoint {
namespace {

namespace fs = std::filesystem;

struct FileFacts {
  uint64_t bytes = 0;
  std::string sha256;
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw RunFailure(what + " " + path + ": " + std::strerror(errno));
}

std::string hex(const unsigned char* digest, unsigned length) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) out += {digits[digest[i] >> 4], digits[digest[i] & 15]};
  return out;
}

// Reads the file once: its size and SHA-256; with `flush`, also fsyncs it.
FileFacts facts_of(const std::string& path, bool flush) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  std::vector<char> buffer(1 << 20);
  FileFacts facts;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      fail("cannot read", path);
    }
    if (n == 0) break;
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<size_t>(n));
    facts.bytes += static_cast<uint64_t>(n);
  }
  if (flush && ::fsync(fd) != 0) {
    ::close(fd);
    fail("cannot sync", path);
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_DigestFinal_ex(context.get(), digest, &length);
  facts.sha256 = hex(digest, length);
  return facts;
}

std::optional<nlohmann::json> read_manifest(const fs::path& folder) {
  std::ifstream in(folder / kManifestFile);
  if (!in) return std::nullopt;
  nlohmann::json manifest = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object())
    return std::nullopt;
  return manifest;
}

// A name hft writes into a checkpoint: one plain file name, so an entry can never point
// outside the folder ("../x", "/etc/x", "a/b"), without control characters (messages name it).
bool is_plain_file_name(const std::string& name) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos && !control;
}

bool is_sha256_hex(const nlohmann::json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().size() != 64) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// What is wrong with one entry of the manifest as written, before any file is read.
std::optional<std::string> entry_problem(const std::string& name, const nlohmann::json& facts) {
  // The name as JSON text: whatever a hostile manifest holds, the message stays one line.
  const std::string shown = nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string where = std::string(kManifestFile) + ": entry " + shown;
  if (!is_plain_file_name(name)) return where + " is not a file name inside the checkpoint";
  if (!facts.is_object() || !facts.contains("bytes") || !facts["bytes"].is_number_unsigned())
    return where + ": \"bytes\" is not a whole number";
  if (!facts.contains("sha256") || !is_sha256_hex(facts["sha256"]))
    return where + ": \"sha256\" is not 64 hexadecimal digits";
  return std::nullopt;
}

// The manifest's shape: every entry well formed and every required file listed.
std::optional<std::string> manifest_problem(const nlohmann::json& files, const std::vector<std::string>& required) {
  for (const auto& [name, facts] : files.items())
    if (auto problem = entry_problem(name, facts)) return problem;
  for (const auto& name : required)
    if (!files.contains(name)) return std::string(kManifestFile) + " does not list " + name + ", which every checkpoint has";
  return std::nullopt;
}

// Whether the file on disk matches its entry (the entry is well formed).
std::optional<std::string> file_problem(const fs::path& folder, const std::string& name, const nlohmann::json& facts,
                                        bool check_hashes) {
  const fs::path path = folder / name;
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return name + " is missing (or is not a plain file)";
  const uint64_t bytes = fs::file_size(path, ec);
  const uint64_t expected = facts["bytes"].get<uint64_t>();
  if (ec) return name + " cannot be read";
  if (bytes != expected)
    return name + ": " + std::to_string(bytes) + " bytes, the manifest says " + std::to_string(expected);
  if (check_hashes && facts_of(path.string(), /*flush=*/false).sha256 != facts["sha256"].get<std::string>())
    return name + ": its content does not match the manifest's SHA-256 (the file was changed or damaged)";
  return std::nullopt;
}

}  // namespace

void write_manifest(const std::string& folder) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().filename() == kManifestFile) continue;
    const FileFacts facts = facts_of(entry.path().string(), /*flush=*/true);
    files[entry.path().filename().string()] = {{"bytes", facts.bytes}, {"sha256", facts.sha256}};
  }
  write_json_atomically((fs::path(folder) / kManifestFile).string(), nlohmann::json{{"format", 1}, {"files", files}});
}

bool has_manifest(const std::string& folder) { return read_manifest(folder).has_value(); }

std::optional<std::string> checkpoint_problem(const std::string& folder, const std::vector<std::string>& required,
                                              bool check_hashes) {
  const auto manifest = read_manifest(folder);
  if (!manifest) return std::string("no readable ") + kManifestFile + " (an incomplete save, or not a checkpoint hft wrote)";
  const nlohmann::json& files = (*manifest)["files"];
  if (auto problem = manifest_problem(files, required)) return problem;
  for (const auto& [name, facts] : files.items())
    if (auto problem = file_problem(folder, name, facts, check_hashes)) return problem;
  return std::nullopt;
}

}  // namespace hft::checkpoint
