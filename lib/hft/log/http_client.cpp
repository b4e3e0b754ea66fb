#include "hft/log/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>

namespace hft::log {
namespace {

// Seconds to wait for a connection, and for an answer to an API call. An upload may take long,
// but not stall: it fails when under 1 byte/s arrives for kStallSeconds.
constexpr long kConnectSeconds = 5;
constexpr long kApiSeconds = 30;
constexpr long kStallSeconds = 30;

size_t append_body(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlHandles {
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  std::FILE* upload = nullptr;
  ~CurlHandles() {
    if (upload) std::fclose(upload);
    curl_slist_free_all(headers);
    if (curl) curl_easy_cleanup(curl);
  }
};

}  // namespace

HttpClient::HttpClient(HttpAuth auth) : auth_(std::move(auth)) { init_curl_once(); }

std::string HttpClient::escaped(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

HttpResponse HttpClient::send(const HttpRequest& request) const {
  HttpResponse response;
  CurlHandles h;
  if (!h.curl) return {0, "", "libcurl could not start a request"};
  for (const std::string& header : request.headers) h.headers = curl_slist_append(h.headers, header.c_str());
  // Basic auth wins over a token when both are set, as in MLflow's own client.
  if (auth_.bearer_token && !(auth_.username && auth_.password))
    h.headers = curl_slist_append(h.headers, ("Authorization: Bearer " + *auth_.bearer_token).c_str());
  curl_easy_setopt(h.curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h.curl, CURLOPT_HTTPHEADER, h.headers);
  curl_easy_setopt(h.curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: this runs beside training
  curl_easy_setopt(h.curl, CURLOPT_CONNECTTIMEOUT, kConnectSeconds);
  curl_easy_setopt(h.curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h.curl, CURLOPT_WRITEDATA, &response.body);
  if (auth_.username && auth_.password) {
    curl_easy_setopt(h.curl, CURLOPT_USERNAME, auth_.username->c_str());
    curl_easy_setopt(h.curl, CURLOPT_PASSWORD, auth_.password->c_str());
  }
  if (auth_.insecure_tls) {
    curl_easy_setopt(h.curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h.curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!request.upload_file.empty()) {
    h.upload = std::fopen(request.upload_file.c_str(), "rb");
    if (!h.upload) return {0, "", "cannot read " + request.upload_file};
    std::fseek(h.upload, 0, SEEK_END);
    const long size = std::ftell(h.upload);
    std::fseek(h.upload, 0, SEEK_SET);
    curl_easy_setopt(h.curl, CURLOPT_UPLOAD, 1L);  // PUT with the file as the body
    curl_easy_setopt(h.curl, CURLOPT_READDATA, h.upload);
    curl_easy_setopt(h.curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    curl_easy_setopt(h.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h.curl, CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  } else {
    curl_easy_setopt(h.curl, CURLOPT_TIMEOUT, kApiSeconds);
    if (request.method != "GET") {
      curl_easy_setopt(h.curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      curl_easy_setopt(h.curl, CURLOPT_POSTFIELDS, request.body.c_str());
      curl_easy_setopt(h.curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
  }
  const CURLcode code = curl_easy_perform(h.curl);
  if (code != CURLE_OK) return {0, "", curl_easy_strerror(code)};
  curl_easy_getinfo(h.curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace hft::log
