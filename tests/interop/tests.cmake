# Interoperability with peer engines (DuckDB, Polars): tests/interop/*.mjs
# drive small C helpers built here. They skip (exit 77) when node or the peers
# are not installed.
add_executable(parquet_interop ${CMAKE_CURRENT_LIST_DIR}/parquet_interop.c)
target_compile_options(parquet_interop PRIVATE ${NL_WARNINGS})
target_link_libraries(parquet_interop PRIVATE neuralake_static)
add_test(NAME interop.parquet
  COMMAND sh -c "command -v node >/dev/null || { echo 'node not installed: skipping'; exit 77; }; exec node '${CMAKE_CURRENT_LIST_DIR}/parquet_interop.mjs' '$<TARGET_FILE:parquet_interop>' '${PROJECT_BINARY_DIR}/parquet_interop'")
set_tests_properties(interop.parquet PROPERTIES SKIP_RETURN_CODE 77 LABELS interop TIMEOUT 300)
