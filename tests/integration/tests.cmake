# Integration tests against a real local S3 server. ctest starts the server
# itself (fixture setup) in the build tree on a free port it picks (so builds
# in several checkouts can test at once, and a server the user started is
# never touched), and stops it afterwards (fixture cleanup). The tests read
# the endpoint from the env file the server script writes (NL_S3_ENV_FILE).
set(NL_S3_TEST_STATE ${PROJECT_BINARY_DIR}/s3-test-server)
set(NL_S3_TEST_ENV
  "NL_S3_PORT=auto"
  "NL_S3_STATE=${NL_S3_TEST_STATE}"
  "NL_S3_ENV_FILE=${NL_S3_TEST_STATE}/env"
  "AWS_ACCESS_KEY_ID=NEURALAKEACCESSKEY01"
  "AWS_SECRET_ACCESS_KEY=neuralake-secret-key-0000000000000000001"
  "AWS_REGION=us-east-1"
  "AWS_PROFILE="
  "NEURALAKE_S3_BUCKET=neuralake-bucket"
  "NL_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "NL_BINARY_DIR=${PROJECT_BINARY_DIR}"
  "NL_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")

# Starting succeeds without a server installed: the tests then skip.
add_test(NAME integration.s3_server_start
  COMMAND sh -c "if command -v minio >/dev/null || command -v radosgw >/dev/null; then '${PROJECT_SOURCE_DIR}/scripts/s3-server.sh' start >/dev/null; else echo 'no S3 server installed: S3 tests will skip'; fi")
add_test(NAME integration.s3_server_stop
  COMMAND "${PROJECT_SOURCE_DIR}/scripts/s3-server.sh" stop)
set_tests_properties(integration.s3_server_start PROPERTIES
  FIXTURES_SETUP s3server ENVIRONMENT "${NL_S3_TEST_ENV}" LABELS integration TIMEOUT 120)
set_tests_properties(integration.s3_server_stop PROPERTIES
  FIXTURES_CLEANUP s3server ENVIRONMENT "${NL_S3_TEST_ENV}" LABELS integration)

add_executable(test_integration_s3 ${CMAKE_CURRENT_LIST_DIR}/test_s3.c
  ${CMAKE_CURRENT_LIST_DIR}/fault_proxy.c)
target_include_directories(test_integration_s3 PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_compile_options(test_integration_s3 PRIVATE ${NL_WARNINGS})
target_link_libraries(test_integration_s3 PRIVATE neuralake_static PkgConfig::PKG_cmocka)
add_test(NAME integration.s3 COMMAND test_integration_s3)
set_tests_properties(integration.s3 PROPERTIES
  FIXTURES_REQUIRED s3server ENVIRONMENT "${NL_S3_TEST_ENV}" LABELS integration
  RESOURCE_LOCK s3server TIMEOUT 300)

add_test(NAME integration.s3_cli
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/s3_cli.sh $<TARGET_FILE:neuralake>)
set_tests_properties(integration.s3_cli PROPERTIES
  FIXTURES_REQUIRED s3server ENVIRONMENT "${NL_S3_TEST_ENV}" LABELS integration
  RESOURCE_LOCK s3server SKIP_RETURN_CODE 77 TIMEOUT 120)
