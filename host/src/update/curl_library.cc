#include "update/curl_library.h"

#include <dlfcn.h>

#include <mutex>

namespace phiguard::update {
namespace {

// The soname the host was built against (libcurl's ABI has been 4 since 2006).
constexpr const char* kCurlSoname = "libcurl.so.4";

template <typename Function>
bool Find(void* handle, const char* name, Function& function) {
  function = reinterpret_cast<Function>(::dlsym(handle, name));
  return function != nullptr;
}

struct Loaded {
  CurlLibrary library;
  std::string error;
  bool ok = false;
};

Loaded Load() {
  Loaded loaded;
  // Never closed: the library stays for the process, as a linked one would.
  void* handle = ::dlopen(kCurlSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = ::dlerror();
    loaded.error = std::string("cannot load ") + kCurlSoname + ": " + (reason ? reason : "");
    return loaded;
  }
  auto& l = loaded.library;
  if (!Find(handle, "curl_global_init", l.global_init) ||
      !Find(handle, "curl_easy_init", l.easy_init) ||
      !Find(handle, "curl_easy_setopt", l.easy_setopt) ||
      !Find(handle, "curl_easy_perform", l.easy_perform) ||
      !Find(handle, "curl_easy_getinfo", l.easy_getinfo) ||
      !Find(handle, "curl_easy_strerror", l.easy_strerror) ||
      !Find(handle, "curl_easy_cleanup", l.easy_cleanup) ||
      !Find(handle, "curl_slist_append", l.slist_append) ||
      !Find(handle, "curl_slist_free_all", l.slist_free_all)) {
    loaded.error = std::string(kCurlSoname) + " lacks a function the host uses";
    return loaded;
  }
  if (l.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    loaded.error = "curl_global_init failed";
    return loaded;
  }
  loaded.ok = true;
  return loaded;
}

}  // namespace

const CurlLibrary* LoadCurl(std::string& error) {
  static const Loaded loaded = Load();  // once, thread-safe (C++11 statics)
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace phiguard::update
