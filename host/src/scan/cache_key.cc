#include <string>

#include "scan/database_store.h"
#include "util/hash.h"

namespace phiguard::scan {

// The store's file format is not part of the key: a stored set of another format version
// fails the store's own check and is written again under the same key.
std::string CacheKey(const std::vector<Expression>& expressions, std::string_view set_signature) {
  util::Fnv1a64 hash;
  hash.Add(LibraryAndPlatformKey()).Add(set_signature);
  for (const auto& e : expressions) {
    hash.Add(e.pattern).Add(std::to_string(e.flags)).Add(std::to_string(e.id));
  }
  return hash.Hex();
}

}  // namespace phiguard::scan
