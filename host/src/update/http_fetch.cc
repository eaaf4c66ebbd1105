#include "update/http_fetch.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "util/ascii.h"

namespace phiguard::update {
namespace {

struct Transfer {
  std::string body;
  std::string etag;
  std::size_t max_bytes;
  bool too_large = false;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // aborts the transfer
  }
  transfer->body.append(data, bytes);
  return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "etag:";
  if (line.size() > kName.size()) {
    if (util::LowerAscii(line.substr(0, kName.size())) == kName) {
      line.remove_prefix(kName.size());
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
        line.remove_suffix(1);
      }
      transfer->etag = std::string(line);
    }
  }
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

util::Result<FetchResponse> HttpsGet(const FetchRequest& request) {
  if (!request.url.starts_with("https://")) {
    return util::Error{request.url, "bundle URLs must use https://"};
  }
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return util::Error{request.url, "cannot start libcurl"};
  Transfer transfer{{}, {}, request.max_bytes};
  std::unique_ptr<curl_slist, ListDeleter> headers;
  if (!request.etag.empty()) {
    headers.reset(curl_slist_append(nullptr, ("If-None-Match: " + request.etag).c_str()));
  }
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  // HTTPS only, also across redirects: a downgrade would let anyone on the path withhold
  // updates (the signature still protects integrity, not freshness).
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  curl_easy_setopt(h, CURLOPT_TIMEOUT, request.timeout_seconds);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_bytes));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "phiguard-host");
  if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (!request.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, request.ca_file.c_str());

  const CURLcode rc = curl_easy_perform(h);
  if (transfer.too_large) return util::Error{request.url, "bundle is larger than allowed"};
  if (rc != CURLE_OK) return util::Error{request.url, curl_easy_strerror(rc)};
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 304) {
    return util::Error{request.url, "server answered HTTP " + std::to_string(status)};
  }
  return FetchResponse{status, std::move(transfer.body), std::move(transfer.etag)};
}

}  // namespace phiguard::update
