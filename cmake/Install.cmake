# What `cmake --install build --prefix P` installs besides the executable
# (cli/CMakeLists.txt: P/bin/assay, its manual page and completion) and the
# PostgreSQL module (engine/CMakeLists.txt: P/LIBDIR/assay/libassay-pg.so):
#   P/share/assay/models    the bundled packs, catalogue and examples, found by
#                           the executable relative to its own location
#   P/share/assay/schemas   the JSON Schemas of every format assay reads or writes
#   P/share/doc/assay       README.md and docs/
# and the Debian package: `cpack -G DEB` in the build directory.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/models/" DESTINATION "${CMAKE_INSTALL_DATADIR}/assay/models"
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/schemas/" DESTINATION "${CMAKE_INSTALL_DATADIR}/assay/schemas"
        FILES_MATCHING PATTERN "*.json" PATTERN "*.yaml")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
        FILES_MATCHING PATTERN "*.md" PATTERN "images" EXCLUDE)

set(CPACK_PACKAGE_NAME assay)
set(CPACK_PACKAGE_VENDOR "assay")
set(CPACK_PACKAGE_CONTACT "assay maintainers <assay@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "assay rates process capability as ISO/IEC 33020 prescribes, in a \
tamper-evident SQLite workspace, and runs ISO/IEC 20000-1 certification audits; it writes PDF reports.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries the executable links (Debian 12), found by
# dpkg-shlibdeps when it is installed (dpkg-dev); the PDF fonts always.
find_program(ASSAY_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(ASSAY_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libssl3, libsqlite3-0, libhpdf-2.3.0, libxlsxwriter4, libzip4, libexpat1, libpng16-16, zlib1g, libminizip1, libcpp-httplib0.11, libpqxx-6.4, libpq5, fonts-dejavu-core")
endif()
# The fallback fonts for Chinese, Japanese and symbols in the PDF reports.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-droid-fallback, fonts-wqy-zenhei, fonts-symbola")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, man-db")
include(CPack)
