#include "hft/checkpoint/manifest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

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

namespace hft::checkpoint {
namespace {

namespace fs = std::filesystem;

struct FileFacts {
  uint64_t bytes = 0;
  std::string sha256;
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
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
  if (manifest.is_discarded() || !manifest.contains("files") || !manifest["files"].is_object()) return std::nullopt;
  return manifest;
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

std::optional<std::string> checkpoint_problem(const std::string& folder, bool check_hashes) {
  const auto manifest = read_manifest(folder);
  if (!manifest) return std::string("no readable ") + kManifestFile + " (an incomplete save)";
  for (const auto& [name, expected] : (*manifest)["files"].items()) {
    const fs::path path = fs::path(folder) / name;
    std::error_code ec;
    const uint64_t bytes = fs::file_size(path, ec);
    if (ec) return name + " is missing";
    if (bytes != expected.value("bytes", uint64_t{0}))
      return name + ": " + std::to_string(bytes) + " bytes, the manifest says " + std::to_string(expected.value("bytes", 0));
    if (check_hashes && facts_of(path.string(), /*flush=*/false).sha256 != expected.value("sha256", ""))
      return name + ": its content does not match the manifest's SHA-256 (the file was changed or damaged)";
  }
  return std::nullopt;
}

}  // namespace hft::checkpoint
