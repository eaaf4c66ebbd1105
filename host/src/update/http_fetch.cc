#include "update/http_fetch.h"

#include <memory>

#include "update/curl_library.h"
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
  const CurlLibrary* curl;
  void operator()(CURL* handle) const { curl->easy_cleanup(handle); }
};
struct ListDeleter {
  const CurlLibrary* curl;
  void operator()(curl_slist* list) const { curl->slist_free_all(list); }
};

}  // namespace

util::Result<FetchResponse> HttpsGet(const FetchRequest& request) {
  if (!request.url.starts_with("https://")) {
    return util::Error{request.url, "bundle URLs must use https://"};
  }
  std::string load_error;
  const CurlLibrary* lib = LoadCurl(load_error);
  if (lib == nullptr) return util::Error{request.url, load_error};
  std::unique_ptr<CURL, CurlDeleter> curl(lib->easy_init(), CurlDeleter{lib});
  if (!curl) return util::Error{request.url, "cannot start libcurl"};
  Transfer transfer{{}, {}, request.max_bytes};
  std::unique_ptr<curl_slist, ListDeleter> headers(nullptr, ListDeleter{lib});
  if (!request.etag.empty()) {
    headers.reset(lib->slist_append(nullptr, ("If-None-Match: " + request.etag).c_str()));
  }
  CURL* h = curl.get();
  lib->easy_setopt(h, CURLOPT_URL, request.url.c_str());
  // HTTPS only, also across redirects: a downgrade would let anyone on the path withhold
  // updates (the signature still protects integrity, not freshness).
  lib->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  lib->easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  lib->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  lib->easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
  lib->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  lib->easy_setopt(h, CURLOPT_TIMEOUT, request.timeout_seconds);
  lib->easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_bytes));
  lib->easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  lib->easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  lib->easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  lib->easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  lib->easy_setopt(h, CURLOPT_USERAGENT, "phiguard-host");
  if (headers) lib->easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (!request.ca_file.empty()) lib->easy_setopt(h, CURLOPT_CAINFO, request.ca_file.c_str());

  const CURLcode rc = lib->easy_perform(h);
  if (transfer.too_large) return util::Error{request.url, "bundle is larger than allowed"};
  if (rc != CURLE_OK) return util::Error{request.url, lib->easy_strerror(rc)};
  long status = 0;
  lib->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 304) {
    return util::Error{request.url, "server answered HTTP " + std::to_string(status)};
  }
  return FetchResponse{status, std::move(transfer.body), std::move(transfer.etag)};
}

}  // namespace phiguard::update
