# The installed package (tests/install/install_test.sh): cmake --install into a
# temporary prefix, assay demo from another directory, the manual page, the
# shell completion and the Debian package.
foreach(check prefix man completion deb)
  add_test(NAME install.${check}
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/install_test.sh" "${PROJECT_BINARY_DIR}" ${check})
  # One at a time: cmake --install writes install_manifest.txt in the build directory.
  set_tests_properties(install.${check} PROPERTIES LABELS install RESOURCE_LOCK assay_install)
endforeach()
