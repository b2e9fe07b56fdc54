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
# fragment is read; set their directory once they exist.
file(GLOB NL_CLI_FILE_SLT CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/sql/catalog_files/*.slt)
foreach(f ${NL_CLI_FILE_SLT})
  get_filename_component(name ${f} NAME_WE)
  cmake_language(DEFER CALL set_tests_properties sql.catalog_files.${name}
                 PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()
