# The 'neuralake parquet' command: help, usage errors, exit codes, and schema,
# meta and cat on files from ../shared (skipped, code 77, when it is absent).
set(NL_PQ_CLI $<TARGET_FILE:neuralake>)
set(NL_PQ_SHARED ${PROJECT_SOURCE_DIR}/../shared/testdata)
if(NOT EXISTS ${NL_PQ_SHARED} AND EXISTS ${PROJECT_SOURCE_DIR}/../../shared/testdata)
  set(NL_PQ_SHARED ${PROJECT_SOURCE_DIR}/../../shared/testdata) # from a git worktree
endif()
set(NL_PQ_LINEITEM ${NL_PQ_SHARED}/tpch/sf0.01/lineitem.parquet)
set(NL_PQ_DATA ${NL_PQ_SHARED}/parquet-testing/data)

add_test(NAME parquet.cli_help COMMAND ${NL_PQ_CLI} parquet --help)
set_tests_properties(parquet.cli_help PROPERTIES PASS_REGULAR_EXPRESSION "usage: neuralake parquet schema")
add_test(NAME parquet.cli_usage COMMAND sh -c "'${NL_PQ_CLI}' parquet bogus x 2>/dev/null; test $? -eq 2")
add_test(NAME parquet.cli_missing
         COMMAND sh -c "'${NL_PQ_CLI}' parquet cat /nonexistent/x.parquet 2>&1; test $? -eq 1")
add_test(NAME parquet.cli_not_parquet
         COMMAND sh -c "'${NL_PQ_CLI}' parquet schema '${PROJECT_SOURCE_DIR}/CMakeLists.txt' 2>&1; test $? -eq 1")
set_tests_properties(parquet.cli_not_parquet PROPERTIES PASS_REGULAR_EXPRESSION "not a Parquet file")

add_test(NAME parquet.cli_schema
         COMMAND sh -c "test -f '${NL_PQ_LINEITEM}' || exit 77; '${NL_PQ_CLI}' parquet schema '${NL_PQ_LINEITEM}'")
set_tests_properties(parquet.cli_schema PROPERTIES SKIP_RETURN_CODE 77
  PASS_REGULAR_EXPRESSION "OPTIONAL INT64 l_orderkey.*l_shipdate +DATE")
add_test(NAME parquet.cli_meta
         COMMAND sh -c "test -f '${NL_PQ_LINEITEM}' || exit 77; '${NL_PQ_CLI}' parquet meta '${NL_PQ_LINEITEM}'")
set_tests_properties(parquet.cli_meta PROPERTIES SKIP_RETURN_CODE 77
  PASS_REGULAR_EXPRESSION "rows: +60175.*l_orderkey: INT64 SNAPPY.*stats: min=1 max=60000")
add_test(NAME parquet.cli_cat_csv
         COMMAND sh -c "test -f '${NL_PQ_LINEITEM}' || exit 77; '${NL_PQ_CLI}' parquet cat '${NL_PQ_LINEITEM}' --format csv --limit 2 --columns l_orderkey,l_shipdate,l_extendedprice")
set_tests_properties(parquet.cli_cat_csv PROPERTIES SKIP_RETURN_CODE 77
  PASS_REGULAR_EXPRESSION "^l_orderkey,l_shipdate,l_extendedprice\n1,1996-03-13,24710.35\n1,1996-04-12,56688.12\n$")
add_test(NAME parquet.cli_cat_nested
         COMMAND sh -c "test -d '${NL_PQ_DATA}' || exit 77; '${NL_PQ_CLI}' parquet cat '${NL_PQ_DATA}/nested_lists.snappy.parquet' --format ndjson --limit 1")
set_tests_properties(parquet.cli_cat_nested PROPERTIES SKIP_RETURN_CODE 77
  PASS_REGULAR_EXPRESSION "\"a\":\\[\\[\\[\"a\",\"b\"\\],\\[\"c\"\\]\\],\\[null,\\[\"d\"\\]\\]\\]")
add_test(NAME parquet.cli_bad_column
         COMMAND sh -c "test -f '${NL_PQ_LINEITEM}' || exit 77; '${NL_PQ_CLI}' parquet cat '${NL_PQ_LINEITEM}' --columns nope 2>&1; test $? -eq 2")
set_tests_properties(parquet.cli_bad_column PROPERTIES SKIP_RETURN_CODE 77)
