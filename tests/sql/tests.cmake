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
