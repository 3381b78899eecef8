# ctest embed_example (tests/CMakeLists.txt): installs the current build into
# a fresh prefix, builds examples/embed against it with find_package(matchfund)
# as another project would, runs it, and checks its last line. Run with
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=...
#         -DCXX_COMPILER=... [-DMAKE_PROGRAM=...] [-DCONFIG=...] [-DCXX_FLAGS=...] -P embed_example_test.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_example_test.cmake needs -D${var}=...")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()

set(prefix ${WORK_DIR}/prefix)
set(example_build ${WORK_DIR}/build)
set(data_dir ${WORK_DIR}/data)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})

set(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed -B ${example_build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
if(MAKE_PROGRAM)
  list(APPEND configure -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(CXX_FLAGS)  # a sanitizer build: the program links the same runtime
  list(APPEND configure "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
endif()
run("configuring examples/embed" ${configure})
run("building examples/embed" ${CMAKE_COMMAND} --build ${example_build} --config ${CONFIG} --parallel 1)

find_program(example embed_example PATHS ${example_build} ${example_build}/${CONFIG} NO_DEFAULT_PATH)
if(NOT example)
  message(FATAL_ERROR "no embed_example under ${example_build}")
endif()
run("embed_example" ${example} ${data_dir})
message("${run_output}")
if(NOT run_output MATCHES "totals after reopening match: yes\n$")
  message(FATAL_ERROR "embed_example did not end with \"totals after reopening match: yes\"")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
