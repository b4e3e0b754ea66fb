// HTTP requests over libcurl: what the MLflow client needs, no more. A transport failure (no
// server, a timeout) is an answer with status 0 and the error text, never an exception.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hft::log {

struct HttpRequest {
  std::string method = "GET";        // GET or POST; a request with upload_file is a PUT
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent when upload_file is empty
  std::string upload_file;           // PUT: the file's bytes are the body
};

struct HttpResponse {
  long status = 0;    // 0: no answer (error says why)
  std::string body;
  std::string error;  // libcurl's message when status is 0
};

struct HttpAuth {
  std::optional<std::string> bearer_token;
  std::optional<std::string> username, password;
  bool insecure_tls = false;
};

// One connection setting for every request; not thread safe (one client per thread).
class HttpClient {
 public:
  explicit HttpClient(HttpAuth auth);
  HttpResponse send(const HttpRequest& request) const;
  // `text` with every byte outside [A-Za-z0-9-._~] percent-encoded (a query value, a path segment).
  static std::string escaped(const std::string& text);

 private:
  HttpAuth auth_;
};

}  // namespace hft::log
