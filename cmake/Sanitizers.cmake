# The asan preset turns this on: AddressSanitizer and UndefinedBehaviorSanitizer together,
# with recovery off so the first report fails the test.
option(PHIGUARD_SANITIZE "Build with ASan and UBSan" OFF)
if(PHIGUARD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
