# Finds tl's dependencies and links them into an INTERFACE target. Shared by the build tree and tlConfig.cmake,
# so a consumer of the installed package resolves them exactly as tl's own build does.
include(GNUInstallDirs)
include(CMakeFindDependencyMacro)
find_package(Threads REQUIRED)
find_package(Torch REQUIRED)
find_package(nlohmann_json 3.2 REQUIRED)
# FindHDF5 probes with a C compiler; a C++-only consumer project gets C enabled here.
get_property(_tl_languages GLOBAL PROPERTY ENABLED_LANGUAGES)
if(NOT "C" IN_LIST _tl_languages)
  enable_language(C)
endif()
find_package(HDF5 REQUIRED COMPONENTS C)
find_path(TL_STB_INCLUDE_DIR stb_image.h
  HINTS "${CMAKE_CURRENT_LIST_DIR}/../third_party/stb" ENV STB_INCLUDE_DIR
  PATH_SUFFIXES stb)
if(NOT TL_STB_INCLUDE_DIR)
  message(FATAL_ERROR "tl: stb_image.h not found; install Debian's libstb-dev or set STB_INCLUDE_DIR")
endif()
if(NOT DEFINED TL_WITH_CURL OR TL_WITH_CURL)
  find_package(CURL QUIET)
endif()

# tl::distribute (data-parallel fit on PyTorch's c10d). Nothing to link: ${TORCH_LIBRARIES} carries USE_C10D_GLOO
# and libtorch_cpu links gloo itself (Debian: libgloo.so.0; pip wheels: statically). What can be missing is gloo's
# headers, which c10d/ProcessGroupGloo.hpp includes: Debian's libgloo-dev, or the wheel's include/gloo (wheels built
# since 2025); for an older wheel, point TL_GLOO_INCLUDE_DIR at its release's third_party/gloo. Without them tl
# builds, and a strategy in a multi-worker environment throws (tl checks with __has_include, no option needed).
set(TL_GLOO_INCLUDE_DIR "" CACHE PATH "Directory holding gloo/algorithm.h, when Torch's include dirs lack it")
find_path(_tl_gloo_headers gloo/algorithm.h HINTS ${TL_GLOO_INCLUDE_DIR} ${TORCH_INCLUDE_DIRS})
if(NOT _tl_gloo_headers)
  message(STATUS "tl: gloo's headers not found: tl::distribute cannot join a cluster (install libgloo-dev or set "
                 "TL_GLOO_INCLUDE_DIR)")
else()
  message(STATUS "tl: tl::distribute on c10d's Gloo (gloo's headers in ${_tl_gloo_headers})")
endif()

# tl_link_dependencies(TARGET INTERFACE|PUBLIC): INTERFACE for the header-only target, whose users compile every
# definition; PUBLIC for the compiled library, whose users see LibTorch and nlohmann-json in tl's declarations
# while HDF5, stb and libcurl stay private to the library (linked, never included).
function(tl_link_dependencies target scope)
  # TRANSITION: io/, utils/ and preprocessing/ still include <hdf5.h>, <curl/curl.h> and stb from their public
  # headers; once their definitions live in impl/*-inl.hpp this becomes PRIVATE for the compiled library.
  set(private ${scope})
  target_link_libraries(${target} ${scope} ${TORCH_LIBRARIES} nlohmann_json::nlohmann_json Threads::Threads)
  if(TL_GLOO_INCLUDE_DIR)  # tl::distribute's gloo headers (see above)
    target_include_directories(${target} SYSTEM ${private} "${TL_GLOO_INCLUDE_DIR}")
  endif()
  target_link_libraries(${target} ${private} hdf5::hdf5)
  target_include_directories(${target} SYSTEM ${private} "${TL_STB_INCLUDE_DIR}")
  if(CURL_FOUND)
    target_link_libraries(${target} ${private} CURL::libcurl)
    target_compile_definitions(${target} ${private} TL_HAVE_CURL=1)
  endif()
endfunction()

# Under add_subdirectory the parent links tl::tl from another directory, where these imported targets
# (torch, c10, hdf5::hdf5, ...) would be unknown: make them global.
if(DEFINED TL_IS_TOP_PROJECT AND NOT TL_IS_TOP_PROJECT)
  get_property(_tl_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
  foreach(_tl_target IN LISTS _tl_imported)
    get_property(_tl_global TARGET ${_tl_target} PROPERTY IMPORTED_GLOBAL)
    if(NOT _tl_global)
      set_property(TARGET ${_tl_target} PROPERTY IMPORTED_GLOBAL TRUE)
    endif()
  endforeach()
endif()
