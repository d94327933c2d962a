include(CMakePackageConfigHelpers)
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tl EXPORT tlTargets)
# Dependencies are re-found by tlConfig.cmake on the consumer's machine, not baked in as absolute paths.
set_target_properties(tl PROPERTIES EXPORT_NAME tl)
install(EXPORT tlTargets NAMESPACE tl:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tl)
configure_package_config_file(cmake/tlConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/tlConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tl)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/tlConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/tlConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/tlConfigVersion.cmake"
  cmake/tlDependencies.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tl)
