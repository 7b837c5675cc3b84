# What `cmake --install` puts beside the binaries (configs, systemd units,
# docs) and how CPack turns an install into two Debian packages:
#   lobby-server  lobbyd, lobbyctl, the console, lobbyd.service, /etc/lobby/lobbyd.ini
#   lobby-kiosk   lobby-kiosk, its network module, strings, the Rime schema,
#                 lobby-kiosk-session.service, /etc/lobby/kiosk.ini
# deploy/package.sh builds them; deploy/package-test.sh tries them on a
# fresh machine.  Included from the top CMakeLists.txt.

set(LOBBY_SYSCONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/lobby)
# systemd reads units from $prefix/lib/systemd/system for /usr and /usr/local.
set(LOBBY_UNITDIR ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
# Each package's documentation in its own directory, as Debian has it.
set(LOBBY_SERVER_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/lobby-server)
set(LOBBY_KIOSK_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/lobby-kiosk)

foreach(unit lobbyd lobby-kiosk-session)
  configure_file(${PROJECT_SOURCE_DIR}/deploy/systemd/${unit}.service.in
                 ${CMAKE_BINARY_DIR}/systemd/${unit}.service @ONLY)
endforeach()

install(FILES ${CMAKE_BINARY_DIR}/systemd/lobbyd.service DESTINATION ${LOBBY_UNITDIR}
        COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/config/lobbyd.ini DESTINATION ${LOBBY_SYSCONFDIR}
        COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/docs/deploy.md DESTINATION ${LOBBY_SERVER_DOCDIR}
        COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/docs/follow-page.md DESTINATION ${LOBBY_SERVER_DOCDIR}
        COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/nginx/lobby.conf
        DESTINATION ${LOBBY_SERVER_DOCDIR}/examples/nginx COMPONENT server)
install(FILES ${CMAKE_BINARY_DIR}/systemd/lobby-kiosk-session.service DESTINATION ${LOBBY_UNITDIR}
        COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/config/kiosk.ini DESTINATION ${LOBBY_SYSCONFDIR}
        COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/docs/deploy.md DESTINATION ${LOBBY_KIOSK_DOCDIR}
        COMPONENT kiosk)

# CPack: one .deb per component.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lobby)
set(CPACK_PACKAGE_VENDOR "Lobby")
set(CPACK_PACKAGE_CONTACT "Lobby maintainers <lobby@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server kiosk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies computed from the binaries by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME lobby-server)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
  "Lobby office server: lobbyd, lobbyctl and the staff console\nlobbyd is the HTTP/JSON server behind Lobby's lobby kiosks and staff console:\nnotices and emergency alerts, repair requests with their service times,\nvisitors.  lobbyctl is the staff command-line tool.")
# adduser makes the lobby user; sqlite3 is for backups and troubleshooting.
# cracklib-runtime is the dictionary the password policy reads (libcrack2,
# found by dpkg-shlibdeps, ships none).
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, cracklib-runtime")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "sqlite3")
# PostgreSQL ([store] backend = postgresql) is optional: libpq comes with
# the shared-library dependencies; the server, psql and nginx (several
# instances behind it, docs/scaling.md) may live on other machines.
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "postgresql, postgresql-client, nginx-light")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-server/postinst
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-server/prerm
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-server/postrm
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-server/conffiles)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME lobby-kiosk)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
  "Lobby kiosk: the touch screen in a building's lobby\nlobby-kiosk shows notices and emergency alerts from lobbyd, takes repair\nrequests and registers visitors, with a pinyin keyboard; it keeps working\nwhile the network is down.  A systemd unit runs it under cage on tty1.")
# librime, libpinyin and eSpeak NG are loaded with dlopen and the fonts,
# Rime and eSpeak data are read at run time, so dpkg-shlibdeps cannot see
# them (libpinyin15 brings libpinyin-data).
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
  "adduser, librime1, libpinyin15, fonts-noto-cjk, rime-data-luna-pinyin, rime-prelude, rime-essay, libespeak-ng1, espeak-ng-data")
# cage exits at start without Xwayland (Debian builds it with X11 support).
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, xwayland")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-kiosk/postinst
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-kiosk/prerm
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-kiosk/postrm
  ${PROJECT_SOURCE_DIR}/deploy/debian/lobby-kiosk/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
