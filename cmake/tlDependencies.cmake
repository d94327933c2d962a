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
# --- Image decoding (feat-decode): libjpeg-turbo and zlib, the libraries Debian's PIL decodes JPEG and PNG with
# (include/tl/preprocessing/image/detail/jpeg_decoder.hpp, png_decoder.hpp). Only the decoders' impl files include
# <jpeglib.h> and <zlib.h>: INTERFACE for the header-only tl, PRIVATE (link only) for tl_compiled.
find_package(JPEG REQUIRED)
find_package(ZLIB REQUIRED)
if(NOT DEFINED TL_JPEG_IS_TURBO)
  find_file(TL_JCONFIG_H jconfig.h HINTS ${JPEG_INCLUDE_DIRS}
    PATH_SUFFIXES ${CMAKE_LIBRARY_ARCHITECTURE})
  set(TL_JPEG_IS_TURBO OFF)
  if(TL_JCONFIG_H)
    file(STRINGS "${TL_JCONFIG_H}" _tl_turbo REGEX "define[ \t]+LIBJPEG_TURBO_VERSION")
    if(_tl_turbo)
      set(TL_JPEG_IS_TURBO ON)
    endif()
  endif()
  set(TL_JPEG_IS_TURBO ${TL_JPEG_IS_TURBO} CACHE INTERNAL "jpeglib.h is libjpeg-turbo's")
  if(NOT TL_JPEG_IS_TURBO)
    message(WARNING "tl: ${JPEG_INCLUDE_DIRS}/jpeglib.h is not libjpeg-turbo's: JPEGs will decode, but their pixels "
                    "will differ from Keras's (PIL links libjpeg-turbo; IJG libjpeg 9 upsamples chroma differently)")
  endif()
endif()
# --- end of image decoding

# tl_link_dependencies(TARGET INTERFACE|PUBLIC): INTERFACE for the header-only target, whose users compile every
# definition; PUBLIC for the compiled library, whose users see LibTorch and nlohmann-json in tl's declarations
# while HDF5, stb and libcurl stay private to the library (linked, never included).
function(tl_link_dependencies target scope)
  # TRANSITION: io/, utils/ and preprocessing/ still include <hdf5.h>, <curl/curl.h> and stb from their public
  # headers; once their definitions live in impl/*-inl.hpp this becomes PRIVATE for the compiled library.
  set(private ${scope})
  target_link_libraries(${target} ${scope} ${TORCH_LIBRARIES} nlohmann_json::nlohmann_json Threads::Threads)
  target_link_libraries(${target} ${private} hdf5::hdf5)
  target_include_directories(${target} SYSTEM ${private} "${TL_STB_INCLUDE_DIR}")
  # Image decoding (feat-decode): never included from a declaration header, so link-only for tl_compiled.
  if(scope STREQUAL "INTERFACE")
    target_link_libraries(${target} INTERFACE JPEG::JPEG ZLIB::ZLIB)
  else()
    target_link_libraries(${target} PRIVATE JPEG::JPEG ZLIB::ZLIB)
  endif()
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
