# Catalogs compiled into shared objects: a sample catalog .so, loaded by
# nl_catalog_load (test_load) and by `neuralake --catalog` (check_cli.sh).
set(NL_CAT_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(nl_sample_catalog SHARED ${NL_CAT_TEST_DIR}/sample_catalog.c)
target_compile_options(nl_sample_catalog PRIVATE ${NL_WARNINGS})
target_link_libraries(nl_sample_catalog PRIVATE neuralake_shared)

add_library(nl_not_a_catalog SHARED ${NL_CAT_TEST_DIR}/not_a_catalog.c)

add_executable(test_catalog_load ${NL_CAT_TEST_DIR}/test_load.c)
target_compile_options(test_catalog_load PRIVATE ${NL_WARNINGS})
target_link_libraries(test_catalog_load PRIVATE neuralake_static PkgConfig::PKG_cmocka)
# The loaded catalog calls back into this program's copy of the library.
set_target_properties(test_catalog_load PROPERTIES ENABLE_EXPORTS ON)

add_test(NAME catalog.load_so
         COMMAND test_catalog_load $<TARGET_FILE:nl_sample_catalog> $<TARGET_FILE:nl_not_a_catalog>)
add_test(NAME catalog.cli
         COMMAND sh ${NL_CAT_TEST_DIR}/check_cli.sh $<TARGET_FILE:neuralake>
                 $<TARGET_FILE:nl_sample_catalog> $<TARGET_FILE:nl_not_a_catalog>)
set_tests_properties(catalog.load_so catalog.cli PROPERTIES LABELS "catalog")

# The quickstart from the local S3 test server (started by the s3server
# fixture of tests/integration; skipped when no server is installed).
add_test(NAME quickstart.s3
         COMMAND sh ${NL_CAT_TEST_DIR}/quickstart_s3.sh $<TARGET_FILE:neuralake>
                 $<TARGET_FILE:query_data> ${PROJECT_SOURCE_DIR}/examples/quickstart/expected_output.txt)
set_tests_properties(quickstart.s3 PROPERTIES
  FIXTURES_REQUIRED s3server RESOURCE_LOCK s3server SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS "quickstart;integration"
  ENVIRONMENT "NL_S3_PORT=auto;NL_S3_STATE=${PROJECT_BINARY_DIR}/s3-test-server;NL_S3_ENV_FILE=${PROJECT_BINARY_DIR}/s3-test-server/env;AWS_ACCESS_KEY_ID=NEURALAKEACCESSKEY01;AWS_SECRET_ACCESS_KEY=neuralake-secret-key-0000000000000000001;AWS_REGION=us-east-1;AWS_PROFILE=")
