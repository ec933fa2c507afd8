# Debian package of the application: `cpack -G DEB` in the build folder.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/tokenledger.desktop DESTINATION share/applications)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/io.tokenledger.tokenledger.metainfo.xml DESTINATION share/metainfo)

set(CPACK_PACKAGE_NAME tokenledger)
set(CPACK_PACKAGE_VENDOR "tokenledger")
set(CPACK_PACKAGE_CONTACT "tokenledger maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
include(CPack)
