# project_warnings: warnings for our own targets, linked PRIVATE.
add_library(project_warnings INTERFACE)
target_compile_options(project_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(ASSAY_WERROR)
  target_compile_options(project_warnings INTERFACE -Werror)
endif()

# Fuzzing (fuzz/): every target gets libFuzzer's coverage instrumentation
# and, unless ASSAY_SANITIZE says otherwise, ASan and UBSan. Needs clang.
if(ASSAY_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ASSAY_BUILD_FUZZERS needs clang (configure with CXX=clang++)")
  endif()
  if(NOT ASSAY_SANITIZE)
    set(ASSAY_SANITIZE "address,undefined")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(ASSAY_SANITIZE)
  string(REPLACE "," ";" _san_list "${ASSAY_SANITIZE}")
  foreach(_san IN LISTS _san_list)
    add_compile_options(-fsanitize=${_san})
    add_link_options(-fsanitize=${_san})
  endforeach()
  add_compile_options(-fno-omit-frame-pointer -fno-sanitize-recover=all)
endif()
