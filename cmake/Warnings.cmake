# Warnings, one per line with the reason it earns its place.
set(PHIGUARD_WARNINGS
    -Wall                 # the baseline
    -Wextra               # unused parameters, missing initialisers
    -Wpedantic            # stay within ISO C++ so other compilers build us
    -Wshadow              # a shadowed offset or length is a classic off-by-one
    -Wconversion          # byte, UTF-16 and size_t offsets must not silently narrow
    -Wsign-conversion     # same reason: offsets are unsigned, deltas are not
    -Wnon-virtual-dtor    # RAII wrappers must destroy correctly
    -Wold-style-cast      # casts should say which kind they are
    -Woverloaded-virtual  # hidden overloads hide bugs
    -Wimplicit-fallthrough # switch over message types and code points
)
# Not -Wnull-dereference: at -O2 GCC 12 reports it inside libstdc++ and nlohmann/json
# templates (basic_string.h, iter_impl.hpp) where no null exists; the fuzzers and the
# asan preset catch real null dereferences instead.

function(phiguard_set_warnings target)
  target_compile_options(${target} PRIVATE ${PHIGUARD_WARNINGS})
  if(PHIGUARD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
