# The SQL surfaces of the neuralake command: SQL over catalog tables (a C
# test), 'neuralake query' and 'neuralake shell' driven by shell scripts, and
# the file-reading SQL logic tests of tests/sql/catalog_files, which name
# their data relative to the source tree and so run from there.
set(NL_CLI_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})

add_executable(test_cli_catalog_sql ${NL_CLI_TEST_DIR}/test_catalog_sql.c)
target_compile_options(test_cli_catalog_sql PRIVATE ${NL_WARNINGS})
target_link_libraries(test_cli_catalog_sql PRIVATE neuralake_static PkgConfig::PKG_cmocka)
add_test(NAME cli.catalog_sql COMMAND test_cli_catalog_sql)

add_test(NAME cli.query
         COMMAND sh ${NL_CLI_TEST_DIR}/check_query.sh $<TARGET_FILE:neuralake>
                 $<TARGET_FILE:nl_sample_catalog> ${PROJECT_SOURCE_DIR})
add_test(NAME cli.shell
         COMMAND sh ${NL_CLI_TEST_DIR}/check_shell.sh $<TARGET_FILE:neuralake>
                 $<TARGET_FILE:nl_sample_catalog> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli.catalog_sql cli.query cli.shell PROPERTIES LABELS "cli")

# tests/sql/tests.cmake registers every tests/sql/<feature>/*.slt after this
# fragment is read; set their directory at the end of the directory, once
# they exist.
function(nl_cli_file_slt_dirs)
  file(GLOB slts ${PROJECT_SOURCE_DIR}/tests/sql/catalog_files/*.slt)
  foreach(f ${slts})
    get_filename_component(slt ${f} NAME_WE)
    set_tests_properties(sql.catalog_files.${slt} PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  endforeach()
endfunction()
cmake_language(DEFER CALL nl_cli_file_slt_dirs)

# Files in the local S3 test server's bucket (the s3server fixture of
# tests/integration; skipped when no server is installed).
add_test(NAME cli.query_s3
         COMMAND sh ${NL_CLI_TEST_DIR}/check_query_s3.sh $<TARGET_FILE:neuralake> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli.query_s3 PROPERTIES
  FIXTURES_REQUIRED s3server RESOURCE_LOCK s3server SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS "cli;integration"
  ENVIRONMENT "NL_S3_PORT=auto;NL_S3_STATE=${PROJECT_BINARY_DIR}/s3-test-server;NL_S3_ENV_FILE=${PROJECT_BINARY_DIR}/s3-test-server/env;AWS_ACCESS_KEY_ID=NEURALAKEACCESSKEY01;AWS_SECRET_ACCESS_KEY=neuralake-secret-key-0000000000000000001;AWS_REGION=us-east-1;AWS_PROFILE=")
