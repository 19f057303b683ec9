# Build helpers: one library per component, tests and benchmarks registered the same way.
#
#   tb_library(NAME storage HDRS a.h SRCS a.cc DEPS trailbook::base)
#     -> target tb_storage, alias trailbook::storage. DEPS is the layering contract
#        (see STYLE.md section 1): a component may only link what it lists here.
#   tb_test(NAME storage_test SRCS a_test.cc DEPS trailbook::storage [LABELS unit])
#   tb_benchmark(NAME encoding_benchmark SRCS e_benchmark.cc DEPS trailbook::storage)

add_library(tb_warnings INTERFACE)
target_compile_options(tb_warnings INTERFACE
  -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  target_compile_options(tb_warnings INTERFACE -Wthread-safety)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports -Wrestrict/-Wstringop-overflow false positives inside libstdc++ for
  # std::string concatenation at -O2/-O3 (GCC bugs 105329, 105651); they are not ours.
  target_compile_options(tb_warnings INTERFACE -Wno-restrict -Wno-stringop-overflow)
endif()
if(TB_WERROR)
  target_compile_options(tb_warnings INTERFACE -Werror)
endif()

add_library(tb_sanitize INTERFACE)
if(TB_SANITIZE)
  target_compile_options(tb_sanitize INTERFACE -fsanitize=${TB_SANITIZE} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(tb_sanitize INTERFACE -fsanitize=${TB_SANITIZE})
endif()

function(tb_library)
  cmake_parse_arguments(TB "" "NAME" "HDRS;SRCS;DEPS" ${ARGN})
  set(target tb_${TB_NAME})
  if(TB_SRCS)
    add_library(${target} STATIC ${TB_SRCS} ${TB_HDRS})
    target_include_directories(${target} PUBLIC
      ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(${target} PUBLIC ${TB_DEPS} PRIVATE tb_warnings)
    target_link_libraries(${target} PUBLIC tb_sanitize)
  else()
    add_library(${target} INTERFACE ${TB_HDRS})
    target_include_directories(${target} INTERFACE
      ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(${target} INTERFACE ${TB_DEPS} tb_sanitize)
  endif()
  add_library(trailbook::${TB_NAME} ALIAS ${target})
endfunction()

function(tb_test)
  if(NOT TB_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(TB "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${TB_NAME} ${TB_SRCS})
  target_link_libraries(${TB_NAME} PRIVATE ${TB_DEPS} GTest::gtest GTest::gmock GTest::gtest_main
    tb_warnings)
  if(NOT TB_LABELS)
    set(TB_LABELS unit)
  endif()
  gtest_discover_tests(${TB_NAME}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${TB_LABELS}"
    DISCOVERY_TIMEOUT 60)
endfunction()

function(tb_benchmark)
  if(NOT TB_BUILD_BENCHMARKS)
    return()
  endif()
  cmake_parse_arguments(TB "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${TB_NAME} ${TB_SRCS})
  target_link_libraries(${TB_NAME} PRIVATE ${TB_DEPS} benchmark::benchmark tb_warnings)
endfunction()

# tb_fuzzer(NAME jwt_fuzzer SRCS jwt_fuzzer.cc DEPS trailbook::jwt CORPUS fuzz/corpus/jwt)
# With TB_BUILD_FUZZERS (clang) this builds a libFuzzer binary and registers a 20 s
# 'fuzz_smoke' run. Without it, the same target links fuzz/standalone_main.cc and replays
# its committed corpus as an ordinary 'unit' test, so every build (the sanitizer one
# included) runs each corpus input through the parser.
function(tb_fuzzer)
  cmake_parse_arguments(TB "" "NAME;CORPUS" "SRCS;DEPS" ${ARGN})
  if(TB_BUILD_FUZZERS)
    add_executable(${TB_NAME} ${TB_SRCS})
    target_link_libraries(${TB_NAME} PRIVATE ${TB_DEPS})
    target_compile_options(${TB_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${TB_NAME} PRIVATE -fsanitize=fuzzer)
    add_test(NAME ${TB_NAME}_smoke
      COMMAND ${TB_NAME} -max_total_time=20 -rss_limit_mb=2048 -timeout=10
              ${PROJECT_SOURCE_DIR}/${TB_CORPUS}
      WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
    set_tests_properties(${TB_NAME}_smoke PROPERTIES LABELS fuzz_smoke)
  elseif(TB_BUILD_TESTS)
    add_executable(${TB_NAME} ${TB_SRCS} ${PROJECT_SOURCE_DIR}/fuzz/standalone_main.cc)
    target_link_libraries(${TB_NAME} PRIVATE ${TB_DEPS})
    add_test(NAME ${TB_NAME}_corpus
      COMMAND ${TB_NAME} ${PROJECT_SOURCE_DIR}/${TB_CORPUS}
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${TB_NAME}_corpus PROPERTIES LABELS unit)
  endif()
endfunction()
