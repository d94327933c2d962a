include(CMakePackageConfigHelpers)
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# tl::tl always; tl::tl_compiled (the static library) when it is built. `find_package(tl COMPONENTS compiled)`
# fails cleanly on an installation without it.
set(tl_installed_targets tl)
if(TL_COMPILED)
  list(APPEND tl_installed_targets tl_compiled)
endif()
install(TARGETS ${tl_installed_targets} EXPORT tlTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# Dependencies are re-found by tlConfig.cmake on the consumer's machine (cmake/tlDependencies.cmake), not baked in
# as absolute paths.
install(EXPORT tlTargets NAMESPACE tl:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tl)
configure_package_config_file(cmake/tlConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/tlConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tl)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/tlConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/tlConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/tlConfigVersion.cmake"
  cmake/tlDependencies.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tl)
