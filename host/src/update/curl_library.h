#pragma once
// libcurl, loaded the first time a bundle is fetched instead of when the host starts.
//
// Linked normally, libcurl and the libraries it pulls in (TLS, Kerberos, LDAP, SSH: about
// thirty) were mapped, relocated and initialised by every host before its first reply,
// about 20 ms of CPU of a start on the 2-core VM, for a fetch that happens on the updater's
// thread later, if at all (docs/performance.md "Start-up and memory"). Only the functions
// http_fetch.cc calls are looked up; the headers still come from libcurl's -dev package, so
// their types and option numbers are checked at compile time.

#include <curl/curl.h>

#include <string>

namespace phiguard::update {

struct CurlLibrary {
  CURLcode (*global_init)(long flags) = nullptr;
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL* curl, CURLoption option, ...) = nullptr;
  CURLcode (*easy_perform)(CURL* curl) = nullptr;
  CURLcode (*easy_getinfo)(CURL* curl, CURLINFO info, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode code) = nullptr;
  void (*easy_cleanup)(CURL* curl) = nullptr;
  curl_slist* (*slist_append)(curl_slist* list, const char* text) = nullptr;
  void (*slist_free_all)(curl_slist* list) = nullptr;
};

// The library, loaded and initialised (curl_global_init) once per process, thread-safe;
// nullptr when it cannot be loaded, with the reason in `error`. The packages depend on
// libcurl by name (cmake/Packaging.cmake), since the binaries no longer list it.
const CurlLibrary* LoadCurl(std::string& error);

}  // namespace phiguard::update
