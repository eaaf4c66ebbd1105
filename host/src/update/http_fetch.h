#pragma once
// Fetching a rule bundle over HTTPS with libcurl, with conditional requests (ETag /
// If-None-Match) so a host polling every hour costs the server a 304 most of the time.

#include <filesystem>
#include <string>

#include "util/error.h"

namespace phiguard::update {

struct FetchRequest {
  std::string url;                // must be https://
  std::string etag;               // from the last 200, sent as If-None-Match
  std::filesystem::path ca_file;  // extra trust anchors (organisation CA); empty: system
  std::size_t max_bytes = 16 * 1024 * 1024;
  long timeout_seconds = 60;
};

struct FetchResponse {
  long status = 0;  // 200 with a body, or 304 not modified
  std::string body;
  std::string etag;
};

// One GET. Errors (refused connection, TLS failure, a status other than 200/304, a body
// over max_bytes, a non-https URL) come back as util::Error with curl's reason.
util::Result<FetchResponse> HttpsGet(const FetchRequest& request);

}  // namespace phiguard::update
