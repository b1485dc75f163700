# SPDX-License-Identifier: Apache-2.0
# Helper functions shared by every target of the project.

# Common properties for one of our own compiled targets (as fmt's setup_target).
function(earlyhelp_setup_target target)
  target_compile_features(${target} PUBLIC cxx_std_17)
  target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:earlyhelp_warnings> $<BUILD_INTERFACE:earlyhelp_sanitize>)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
endfunction()

# Picks a Python 3 interpreter that can import numpy (the pyenv python3 first on PATH on our
# machines cannot see Debian's python3-numpy), unless Python3_EXECUTABLE is given.
macro(earlyhelp_find_python)
  if(NOT Python3_EXECUTABLE)
    find_program(_eh_path_python NAMES python3)
    foreach(_cand /usr/bin/python3 ${_eh_path_python})
      if(EXISTS "${_cand}")
        execute_process(COMMAND "${_cand}" -c "import numpy" RESULT_VARIABLE _eh_rc OUTPUT_QUIET ERROR_QUIET)
        if(_eh_rc EQUAL 0)
          set(Python3_EXECUTABLE "${_cand}" CACHE FILEPATH "Python interpreter (chosen: it imports numpy)")
          break()
        endif()
      endif()
    endforeach()
  endif()
  find_package(Python3 REQUIRED COMPONENTS Interpreter Development.Module)
  message(STATUS "earlyhelp: Python ${Python3_VERSION} at ${Python3_EXECUTABLE}")
endmacro()

# Embeds text files into a generated C++ source: `embedded_file(name)` returns the contents of the
# file whose base name is `name`. Usage: earlyhelp_embed_files(OUT <var> NAMESPACE <ns> FILES ...)
function(earlyhelp_embed_files)
  cmake_parse_arguments(EMB "" "OUT;NAMESPACE;NAME" "FILES" ${ARGN})
  set(out_cpp "${PROJECT_BINARY_DIR}/generated/${EMB_NAME}.cpp")
  add_custom_command(
    OUTPUT "${out_cpp}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNAMESPACE=${EMB_NAMESPACE} "-DFILES=${EMB_FILES}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
    DEPENDS ${EMB_FILES} "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
    COMMENT "Embedding ${EMB_NAME}"
    VERBATIM)
  set(${EMB_OUT} "${out_cpp}" PARENT_SCOPE)
endfunction()

# Sources are listed by hand in each CMakeLists.txt (as fmt lists FMT_HEADERS), so what a target
# compiles is read in one place and a stray file in a folder is never built by accident. This
# check keeps the lists whole: a source file in DIR matching one of PATTERNS that the list does not
# hold stops the configure, naming the file and the list to add it to (a new test that silently
# never ran would be worse than a glob). Usage:
#   earlyhelp_check_listed(DIR <folder> PATTERNS <glob>... FILES <listed files>... WHERE <CMakeLists.txt>)
function(earlyhelp_check_listed)
  cmake_parse_arguments(CL "" "DIR;WHERE" "PATTERNS;FILES" ${ARGN})
  set(globs "")
  foreach(p IN LISTS CL_PATTERNS)
    list(APPEND globs "${CL_DIR}/${p}")
  endforeach()
  file(GLOB present CONFIGURE_DEPENDS ${globs})
  set(listed "")
  foreach(f IN LISTS CL_FILES)
    get_filename_component(abs "${f}" ABSOLUTE BASE_DIR "${CL_DIR}")
    list(APPEND listed "${abs}")
  endforeach()
  foreach(f IN LISTS present)
    if(NOT f IN_LIST listed)
      file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${f}")
      file(RELATIVE_PATH where "${PROJECT_SOURCE_DIR}" "${CL_WHERE}")
      message(FATAL_ERROR "${rel} is not in the source list of ${where}: add it there (sources are listed by hand)")
    endif()
  endforeach()
  foreach(f IN LISTS listed)
    if(NOT EXISTS "${f}")
      file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${f}")
      message(FATAL_ERROR "${rel} is listed in ${CL_WHERE} but does not exist")
    endif()
  endforeach()
endfunction()
