#include "scan/hyperscan_database.h"

#include <variant>

namespace phiguard::scan {

std::variant<DatabasePtr, CompileFailure> CompileBlockDatabase(
    const std::vector<Expression>& expressions) {
  std::vector<const char*> patterns;
  std::vector<unsigned int> flags;
  std::vector<unsigned int> ids;
  patterns.reserve(expressions.size());
  for (const auto& e : expressions) {
    patterns.push_back(e.pattern.c_str());
    flags.push_back(e.flags);
    ids.push_back(e.id);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc = hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                                         static_cast<unsigned int>(patterns.size()), HS_MODE_BLOCK,
                                         nullptr, &db, &error);
  if (rc != HS_SUCCESS) {
    CompileFailure failure{error ? error->expression : -1,
                           error && error->message ? error->message : "unknown compile error"};
    hs_free_compile_error(error);
    return failure;
  }
  return DatabasePtr(db);
}

util::Result<ExpressionInfo> AnalyseExpression(const std::string& pattern, unsigned int flags) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(pattern.c_str(), flags, &info, &error) != HS_SUCCESS) {
    util::Error failure{{}, error && error->message ? error->message : "invalid pattern"};
    hs_free_compile_error(error);
    return failure;
  }
  ExpressionInfo result{info->min_width, info->max_width};
  std::free(info);  // hs_expression_info allocates with the default (malloc) allocator
  return result;
}

util::Result<ScratchPtr> AllocateScratch(const hs_database_t* db) {
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    return util::Error{{}, "cannot allocate Hyperscan scratch"};
  }
  return ScratchPtr(scratch);
}

util::Result<ScratchPtr> AllocateScratch(const std::vector<DatabasePtr>& databases) {
  ScratchPtr scratch;
  for (const auto& db : databases) {
    hs_scratch_t* raw = scratch.release();
    const hs_error_t rc = hs_alloc_scratch(db.get(), &raw);
    scratch.reset(raw);
    if (rc != HS_SUCCESS) return util::Error{{}, "cannot allocate Hyperscan scratch"};
  }
  if (!scratch) return util::Error{{}, "no Hyperscan database to allocate scratch for"};
  return scratch;
}

util::Result<std::string> SerializeDatabase(const hs_database_t* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) {
    return util::Error{{}, "cannot serialise the compiled rules"};
  }
  std::string out(bytes, length);
  std::free(bytes);
  return out;
}

util::Result<DatabasePtr> DeserializeDatabase(std::string_view bytes) {
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) {
    return util::Error{{}, "cached database is not usable by this library build"};
  }
  return DatabasePtr(db);
}

std::string LibraryAndPlatformKey() {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  return std::string(hs_version()) + "/tune=" + std::to_string(platform.tune) +
         "/features=" + std::to_string(platform.cpu_features);
}

}  // namespace phiguard::scan
