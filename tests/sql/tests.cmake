# SQL tests: the nl-sqllogictest runner, every tests/sql/<feature>/*.slt as a
# test sql.<feature>.<name>, and the TPC-H check on the shared data.
add_executable(nl-sqllogictest ${CMAKE_CURRENT_SOURCE_DIR}/sqllogictest/runner.c)
target_compile_options(nl-sqllogictest PRIVATE ${NL_WARNINGS})
target_link_libraries(nl-sqllogictest PRIVATE neuralake_static)

file(GLOB NL_SLT_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/sql/*/*.slt)
foreach(f ${NL_SLT_FILES})
  get_filename_component(name ${f} NAME_WE)
  get_filename_component(dir ${f} DIRECTORY)
  get_filename_component(feature ${dir} NAME)
  add_test(NAME sql.${feature}.${name} COMMAND nl-sqllogictest ${f})
  set_tests_properties(sql.${feature}.${name} PROPERTIES LABELS sql
    ENVIRONMENT "NL_SOURCE_DIR=${PROJECT_SOURCE_DIR};NL_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")
endforeach()

add_executable(nl-tpch-check ${CMAKE_CURRENT_SOURCE_DIR}/sql/tpch_check.c)
target_compile_options(nl-tpch-check PRIVATE ${NL_WARNINGS})
target_link_libraries(nl-tpch-check PRIVATE neuralake_static)
foreach(sf sf0.01 sf0.1)
  string(REPLACE "." "_" sfname ${sf})
  add_test(NAME sql.tpch.${sfname} COMMAND nl-tpch-check ${PROJECT_SOURCE_DIR}/../shared ${sf})
  set_tests_properties(sql.tpch.${sfname} PROPERTIES LABELS sql SKIP_RETURN_CODE 77)
endforeach()

# The runner must report failures: a file of deliberately failing records.
add_test(NAME sql.runner.reports_failures
  COMMAND nl-sqllogictest ${CMAKE_CURRENT_SOURCE_DIR}/sqllogictest/selftest/failing.slt)
set_tests_properties(sql.runner.reports_failures PROPERTIES LABELS sql
  PASS_REGULAR_EXPRESSION "failing.slt:11: statement failed.*failing.slt:15: statement should have failed.*failing.slt:19: error message.*failing.slt:23: wrong result.*failing.slt:30: wrong result.*failing.slt:41: wrong result.*label 'lbl'.*failing.slt:47: the query returns 1 columns but its types name 2.*failing.slt:53: query should have failed.*3 passed, 8 failed")
# and exit with a non-zero status when something fails
add_test(NAME sql.runner.exit_status
  COMMAND nl-sqllogictest ${CMAKE_CURRENT_SOURCE_DIR}/sqllogictest/selftest/failing.slt)
set_tests_properties(sql.runner.exit_status PROPERTIES LABELS sql WILL_FAIL TRUE)
