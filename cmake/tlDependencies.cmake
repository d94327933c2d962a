# Finds tl's dependencies and gathers them in two INTERFACE IMPORTED targets, shared by the build tree and
# tlConfig.cmake, so a consumer of the installed package resolves them on its own machine exactly as tl's own build
# does (tl's exported targets name them; no absolute path of the build machine is baked in):
#   tl::dependencies          what tl's declarations need: LibTorch, nlohmann-json, threads;
#   tl::private_dependencies  what only tl's definitions need: HDF5, libjpeg-turbo, zlib, stb's include folder, libcurl (TL_HAVE_CURL),
#                             OpenSSL's libcrypto (TL_HAVE_OPENSSL: file hashes; tl has its own MD5/SHA-256 without).
# tl::tl (header-only) passes both on to its users. tl::tl_compiled passes tl::dependencies on and links the other
# privately (for a static library CMake still links it into the user's program, as $<LINK_ONLY:...>).
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
if(TL_CURL_REQUIRED)  # set by the installed tlConfig.cmake when tl was built with libcurl
  find_package(CURL REQUIRED)
elseif(NOT DEFINED TL_WITH_CURL OR TL_WITH_CURL)
  find_package(CURL QUIET)
endif()
if(TL_OPENSSL_REQUIRED)  # likewise for OpenSSL
  find_package(OpenSSL REQUIRED COMPONENTS Crypto)
elseif(NOT DEFINED TL_WITH_OPENSSL OR TL_WITH_OPENSSL)
  find_package(OpenSSL QUIET COMPONENTS Crypto)
endif()

# Image decoding: libjpeg-turbo and zlib, the libraries Debian's PIL decodes JPEG and PNG with
# (include/tl/preprocessing/image/detail/jpeg_decoder.hpp, png_decoder.hpp). Only the decoders' impl files include
# <jpeglib.h> and <zlib.h>: private dependencies.
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

# GLOBAL: under add_subdirectory or FetchContent the parent project links tl's targets from another directory.
if(NOT TARGET tl::dependencies)
  add_library(tl::dependencies INTERFACE IMPORTED GLOBAL)
  target_link_libraries(tl::dependencies INTERFACE ${TORCH_LIBRARIES} nlohmann_json::nlohmann_json Threads::Threads)
  add_library(tl::private_dependencies INTERFACE IMPORTED GLOBAL)
  target_link_libraries(tl::private_dependencies INTERFACE hdf5::hdf5 JPEG::JPEG ZLIB::ZLIB)
  target_include_directories(tl::private_dependencies SYSTEM INTERFACE "${TL_STB_INCLUDE_DIR}")
  if(CURL_FOUND)
    target_link_libraries(tl::private_dependencies INTERFACE CURL::libcurl)
    target_compile_definitions(tl::private_dependencies INTERFACE TL_HAVE_CURL=1)
  endif()
  if(OPENSSL_FOUND)
    target_link_libraries(tl::private_dependencies INTERFACE OpenSSL::Crypto)
    target_compile_definitions(tl::private_dependencies INTERFACE TL_HAVE_OPENSSL=1)
  endif()
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
if(TL_GLOO_INCLUDE_DIR)  # only src/distribute.cpp (impl/c10d_compat-inl.hpp) includes them
  target_include_directories(tl::private_dependencies SYSTEM INTERFACE "${TL_GLOO_INCLUDE_DIR}")
endif()

# tl_link_dependencies(TARGET INTERFACE|PUBLIC): INTERFACE for the header-only target, whose users compile every
# definition; PUBLIC for the compiled library, whose users see LibTorch and nlohmann-json in tl's declarations
# while HDF5, libjpeg, zlib, stb, libcurl and OpenSSL stay private to the library (linked, never included).
function(tl_link_dependencies target scope)
  # <hdf5.h>, <jpeglib.h>, <zlib.h>, <curl/curl.h>, <openssl/evp.h> and stb are included by impl/*-inl.hpp files only.
  set(private ${scope})
  if(scope STREQUAL "PUBLIC")
    set(private PRIVATE)
  endif()
  target_link_libraries(${target} ${scope} tl::dependencies)
  target_link_libraries(${target} ${private} tl::private_dependencies)
endfunction()

# Under add_subdirectory the parent links tl's targets from another directory, where the imported targets these
# name (torch, c10, hdf5::hdf5, ...) would be unknown: make them global.
if(DEFINED TL_IS_TOP_PROJECT AND NOT TL_IS_TOP_PROJECT)
  get_property(_tl_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
  foreach(_tl_target IN LISTS _tl_imported)
    get_property(_tl_global TARGET ${_tl_target} PROPERTY IMPORTED_GLOBAL)
    if(NOT _tl_global)
      set_property(TARGET ${_tl_target} PROPERTY IMPORTED_GLOBAL TRUE)
    endif()
  endforeach()
endif()
