# The asan preset turns this on: AddressSanitizer and UndefinedBehaviorSanitizer together,
# with recovery off so the first report fails the test. -O1 as AddressSanitizer's own
# documentation advises: the Debug build's -O0 made sanitized scans of a 64 KB paste 30 to 50
# times slower than release, slow enough to trip the bad-input matrix's bounds on CI,
# while -O1 keeps stack traces readable.
option(PHIGUARD_SANITIZE "Build with ASan and UBSan" OFF)
if(PHIGUARD_SANITIZE)
  add_compile_options(-O1 -fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  # GCC 12 at -O1 with the sanitizers reports maybe-uninitialized inside libstdc++'s own
  # <regex> and <functional> (a known false positive); the release build keeps the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=address,undefined)
endif()
