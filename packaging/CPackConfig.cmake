# What the Debian package installs, and the package itself: `cpack -G DEB` in
# the build folder (packaging/package-check.sh builds, checks and installs it).
include(GNUInstallDirs)

# The icon: the SVG is the one source; the PNG sizes are rendered from it at build time.
add_executable(tl_iconrender ${CMAKE_CURRENT_LIST_DIR}/iconrender.cpp)
target_link_libraries(tl_iconrender PRIVATE Qt6::Gui Qt6::Svg)
set(TL_ICON_SIZES 16 24 32 48 64 128 256)
set(TL_ICON_DIR ${CMAKE_BINARY_DIR}/icons/hicolor)
set(TL_ICON_PNGS)
foreach(size ${TL_ICON_SIZES})
  list(APPEND TL_ICON_PNGS ${TL_ICON_DIR}/${size}x${size}/apps/tokenledger.png)
endforeach()
add_custom_command(OUTPUT ${TL_ICON_PNGS}
  COMMAND tl_iconrender ${PROJECT_SOURCE_DIR}/resources/tokenledger.svg ${TL_ICON_DIR} ${TL_ICON_SIZES}
  DEPENDS tl_iconrender ${PROJECT_SOURCE_DIR}/resources/tokenledger.svg
  COMMENT "Rendering the icon's PNG sizes")

# The manual page and bash completion, written by the binary from its own
# option tables (`tokenledger docs`), so they cannot drift from --help.
set(TL_MAN ${CMAKE_BINARY_DIR}/man/tokenledger.1)
set(TL_COMPLETION ${CMAKE_BINARY_DIR}/completion/tokenledger)
add_custom_command(OUTPUT ${TL_MAN}.gz ${TL_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man ${CMAKE_BINARY_DIR}/completion
  COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen $<TARGET_FILE:tokenledger> docs
          --man ${TL_MAN} --bash-completion ${TL_COMPLETION}
  COMMAND gzip -9nf ${TL_MAN}
  DEPENDS tokenledger
  COMMENT "Writing the manual page and bash completion from the option tables")
add_custom_target(tokenledger_desktop_files ALL DEPENDS ${TL_ICON_PNGS} ${TL_MAN}.gz ${TL_COMPLETION})

configure_file(${CMAKE_CURRENT_LIST_DIR}/io.tokenledger.tokenledger.metainfo.xml
               ${CMAKE_BINARY_DIR}/io.tokenledger.tokenledger.metainfo.xml @ONLY)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/io.tokenledger.tokenledger.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_BINARY_DIR}/io.tokenledger.tokenledger.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/tokenledger-mime.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME tokenledger.xml)
install(FILES ${PROJECT_SOURCE_DIR}/resources/tokenledger.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size ${TL_ICON_SIZES})
  install(FILES ${TL_ICON_DIR}/${size}x${size}/apps/tokenledger.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
install(FILES ${TL_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${TL_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Debian wants a copyright file and a changelog in the package's doc folder
# (a native package: changelog.gz).
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog ${CMAKE_BINARY_DIR}/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/changelog.gz
  COMMAND gzip -9nfk ${CMAKE_BINARY_DIR}/changelog
  DEPENDS ${CMAKE_BINARY_DIR}/changelog)
add_custom_target(tokenledger_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/changelog.gz)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright ${CMAKE_BINARY_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/tokenledger)

set(CPACK_PACKAGE_NAME tokenledger)
set(CPACK_PACKAGE_VENDOR "tokenledger")
set(CPACK_PACKAGE_CONTACT "tokenledger maintainers <maintainers@tokenledger.io>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "LLM cost ledger: where the money went, and what to change")
set(CPACK_PACKAGE_DESCRIPTION
    "tokenledger loads the cost logs of LLM-powered agents into a workspace (an
SQLite file or a team's PostgreSQL server), shows where the money went from
the organisation to the single request, keeps budgets, finds anomalies,
simulates what changes would cost and finds what to do. It is a desktop
application with a command line for scripts.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://tokenledger.io/")
# The icon engine and image plugin that draw the SVG icon and charts.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6")
include(CPack)
