# Fuzz targets: built only with -DNL_FUZZ=ON and clang (libFuzzer). Each
# tests/fuzz/fuzz_<name>.c becomes an executable; scripts/fuzz-<name>.sh runs it
# over tests/fuzz/corpus/<name>. A short smoke run over the seed corpus is
# registered as a test so the target keeps building and the seeds stay clean.
if(NL_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  file(GLOB NL_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/fuzz_*.c)
  foreach(src ${NL_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" short ${name})
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined ${NL_WARNINGS})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name} PRIVATE neuralake_static)
    if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/corpus/${short})
      add_test(NAME fuzz.${short}
               COMMAND ${name} -runs=0 ${CMAKE_CURRENT_LIST_DIR}/corpus/${short})
      set_tests_properties(fuzz.${short} PROPERTIES LABELS fuzz)
    endif()
  endforeach()
endif()
