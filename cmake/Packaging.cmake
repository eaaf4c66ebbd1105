# Deployment: the ids host manifests and policies name, the rendered policy and installer
# templates (manifests/), install rules, and CPack's .deb and .rpm. Included from the top-level
# CMakeLists.txt after host/, so the phiguard targets exist. docs/it-guide.md is the reader's
# side of this file.

# --- Ids: one place each ----------------------------------------------------------------------
# The extension engineer keeps the Chromium-family id (fixed by the manifest's "key") in
# extension/EXTENSION_ID and the Firefox add-on id in extension/firefox/gecko.json. A cache variable
# overrides either; the files are configure dependencies, so editing them reconfigures.
set(_phiguard_id_file "${PROJECT_SOURCE_DIR}/extension/EXTENSION_ID")
set(_phiguard_ext_manifest "${PROJECT_SOURCE_DIR}/extension/manifest.json")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${_phiguard_id_file}" "${_phiguard_ext_manifest}")

set(_phiguard_default_id "")
if(EXISTS "${_phiguard_id_file}")
  file(STRINGS "${_phiguard_id_file}" _phiguard_default_id LIMIT_COUNT 1)
  string(STRIP "${_phiguard_default_id}" _phiguard_default_id)
endif()
if(_phiguard_default_id STREQUAL "")
  # Until the extension lands, a placeholder keeps builds, packages and tests working; the
  # packages it produces let no real extension in.
  set(_phiguard_default_id "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
  message(WARNING "extension/EXTENSION_ID not found: host manifests use the placeholder id "
                  "${_phiguard_default_id}")
endif()
# <name> is <name>_OVERRIDE when set, else the id read from the extension's files. The cache
# holds only the override, empty by default: a cached copy of the file's id would outlive a
# change of the file in an existing build tree. The normal variable shadows the cache below.
function(phiguard_extension_id name default description)
  set(${name}_OVERRIDE "" CACHE STRING "${description}")
  if(${name}_OVERRIDE)
    set(${name} "${${name}_OVERRIDE}" PARENT_SCOPE)
  else()
    set(${name} "${default}" PARENT_SCOPE)
  endif()
endfunction()

phiguard_extension_id(PHIGUARD_EXTENSION_ID "${_phiguard_default_id}"
  "Chromium-family extension id the host manifests and policies allow (empty: extension/EXTENSION_ID)")
string(LENGTH "${PHIGUARD_EXTENSION_ID}" _phiguard_id_length)
if(NOT PHIGUARD_EXTENSION_ID MATCHES "^[a-p]+$" OR NOT _phiguard_id_length EQUAL 32)
  message(FATAL_ERROR "PHIGUARD_EXTENSION_ID '${PHIGUARD_EXTENSION_ID}' is not 32 letters a-p")
endif()

# The Firefox add-on id lives in extension/firefox/gecko.json, which the Firefox variant of
# the manifest (extension/firefox/make-manifest.mjs) takes as browser_specific_settings.gecko.
set(_phiguard_gecko_file "${PROJECT_SOURCE_DIR}/extension/firefox/gecko.json")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_phiguard_gecko_file}")
set(_phiguard_default_gecko "phiguard@phiguard.org")
if(EXISTS "${_phiguard_gecko_file}")
  file(READ "${_phiguard_gecko_file}" _phiguard_gecko_text)
  string(JSON _phiguard_gecko ERROR_VARIABLE _phiguard_gecko_error GET "${_phiguard_gecko_text}" id)
  if(NOT _phiguard_gecko_error)
    set(_phiguard_default_gecko "${_phiguard_gecko}")
  endif()
endif()
phiguard_extension_id(PHIGUARD_FIREFOX_EXTENSION_ID "${_phiguard_default_gecko}"
  "Firefox add-on id the host manifests and policies allow (empty: extension/firefox/gecko.json)")

# The host name is a C++ constant (docs/design.md "Extension contract"); the templates take it from there.
file(STRINGS "${PROJECT_SOURCE_DIR}/host/src/install/extension_ids.h" _phiguard_host_line
     REGEX "kHostName = \"[a-z0-9_.]+\"")
string(REGEX REPLACE ".*\"([a-z0-9_.]+)\".*" "\\1" PHIGUARD_HOST_NAME "${_phiguard_host_line}")

# Where browsers fetch the extension when policy force-installs it: the Chrome Web Store by
# default (Edge installs from it too); an organisation hosting its own CRX sets its update
# manifest URL. Firefox needs a signed XPI URL.
set(PHIGUARD_UPDATE_URL "https://clients2.google.com/service/update2/crx" CACHE STRING
    "update_url in the Chrome/Chromium/Edge force-install policy")
set(PHIGUARD_FIREFOX_INSTALL_URL
    "https://addons.mozilla.org/firefox/downloads/latest/phi-guard/latest.xpi" CACHE STRING
    "install_url in the Firefox force-install policy")
set(PHIGUARD_MACOS_PREFIX "/Library/Application Support/PHI Guard")

# Only extension_ids.cc sees the ids, so a new id recompiles one file.
set_source_files_properties("${PROJECT_SOURCE_DIR}/host/src/install/extension_ids.cc"
  DIRECTORY "${PROJECT_SOURCE_DIR}/host"
  PROPERTIES COMPILE_DEFINITIONS
    "PHIGUARD_EXTENSION_ID=\"${PHIGUARD_EXTENSION_ID}\";PHIGUARD_FIREFOX_EXTENSION_ID=\"${PHIGUARD_FIREFOX_EXTENSION_ID}\"")

# --- Rendered templates: build/<preset>/deploy/ -----------------------------------------------
set(PHIGUARD_DEPLOY_DIR "${PROJECT_BINARY_DIR}/deploy")
function(phiguard_render template output)
  configure_file("${PROJECT_SOURCE_DIR}/manifests/${template}" "${PHIGUARD_DEPLOY_DIR}/${output}"
                 @ONLY NEWLINE_STYLE UNIX)
endfunction()
# CRLF for what Windows tools read; configure_file keeps the template's own line endings
# unless told otherwise, so these get theirs explicitly.
function(phiguard_render_crlf template output)
  configure_file("${PROJECT_SOURCE_DIR}/manifests/${template}" "${PHIGUARD_DEPLOY_DIR}/${output}"
                 @ONLY NEWLINE_STYLE CRLF)
endfunction()

phiguard_render(policy/linux/chrome.json.in policy/linux/chrome.json)
phiguard_render(policy/linux/chrome.json.in policy/linux/chromium.json)  # same policy names
phiguard_render(policy/linux/edge.json.in policy/linux/edge.json)
phiguard_render(policy/firefox/policies.json.in policy/firefox/policies.json)
phiguard_render(policy/macos/phiguard.mobileconfig.in policy/macos/phiguard.mobileconfig)
phiguard_render_crlf(policy/windows/chrome.reg.in policy/windows/chrome.reg)
phiguard_render_crlf(policy/windows/edge.reg.in policy/windows/edge.reg)
phiguard_render_crlf(policy/windows/phiguard.admx.in policy/windows/phiguard.admx)
phiguard_render_crlf(policy/windows/en-US/phiguard.adml policy/windows/en-US/phiguard.adml)
phiguard_render_crlf(windows/install-host.ps1.in windows/install-host.ps1)
phiguard_render_crlf(windows/phiguard.wxs.in windows/phiguard.wxs)
phiguard_render(windows/host-manifest.chromium.json.in windows/${PHIGUARD_HOST_NAME}.chromium.json)
phiguard_render(windows/host-manifest.firefox.json.in windows/${PHIGUARD_HOST_NAME}.firefox.json)
foreach(_script postinstall preinstall uninstall.sh build-pkg.sh)
  phiguard_render(macos/${_script}.in macos/${_script})
endforeach()

# --- Install layout (Linux and macOS) ---------------------------------------------------------
# Both programs in bin/: the host finds its packs at ../share/phiguard/rules/packs, and
# `phiguard install` defaults to the host next to itself.
include(GNUInstallDirs)
# The programs built to be installed (host/CMakeLists.txt): they ignore the test overrides
# whatever the build tree was configured for.
install(TARGETS ${PHIGUARD_INSTALLED_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
list(GET PHIGUARD_INSTALLED_PROGRAMS 0 _phiguard_installed_cli)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/rules/packs/"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/phiguard/rules/packs
        FILES_MATCHING PATTERN "*.json" PATTERN "*.txt" PATTERN "*.LICENSE")
install(DIRECTORY "${PHIGUARD_DEPLOY_DIR}/policy" DESTINATION ${CMAKE_INSTALL_DATADIR}/phiguard)
install(FILES "${PROJECT_SOURCE_DIR}/docs/it-guide.md" DESTINATION ${CMAKE_INSTALL_DOCDIR})

# System-level host manifests, written by `phiguard install` itself so the table in
# host/src/install/browser_table.cc is the only list of locations. With DESTDIR (CPack, a
# staging install) they land under it and become files of the package: not conffiles, so
# dpkg and rpm delete them on removal and replace them on upgrade, and no stale manifest
# survives. Without DESTDIR this writes the real /etc and /usr/lib (needs root), and only for
# a system prefix (/usr, /usr/local, /opt/...): a trial install into a scratch or home prefix
# must not register that copy with every browser on the machine (one left in /etc on a shared
# test machine made every "no host" browser test meet it); it says how to register instead.
option(PHIGUARD_INSTALL_SYSTEM_MANIFESTS "Install system-level host manifests with the programs"
       ${UNIX})
if(PHIGUARD_INSTALL_SYSTEM_MANIFESTS AND NOT APPLE)
  install(CODE "
    set(_root \"\$ENV{DESTDIR}\")
    set(_host \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/phiguard-host\")
    if(NOT _root AND NOT CMAKE_INSTALL_PREFIX MATCHES \"^/(usr|usr/local|opt)(/|\$)\")
      message(STATUS \"Host manifests not written for the prefix \${CMAKE_INSTALL_PREFIX} \"
                     \"(not a system prefix); register this copy with: \"
                     \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/phiguard install --user\")
    else()
      set(_args install --system --browser chrome,chromium,edge,brave,vivaldi,firefox
                --host-path \"\${_host}\")
      if(_root)
        list(APPEND _args --root \"\${_root}\")
      endif()
      execute_process(COMMAND \"$<TARGET_FILE:${_phiguard_installed_cli}>\" \${_args} RESULT_VARIABLE _rc)
      if(NOT _rc EQUAL 0)
        message(FATAL_ERROR \"phiguard install --system failed (\${_rc})\")
      endif()
    endif()")
endif()

# --- Packages ---------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "phiguard")
set(CPACK_PACKAGE_VENDOR "PHI Guard")
set(CPACK_PACKAGE_CONTACT "PHI Guard maintainers <phiguard@phiguard.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Native messaging host and command line for the PHI Guard browser extension, with the built-in rule packs and system-level host manifests for Chrome, Chromium, Edge, Brave, Vivaldi and Firefox.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

# Maintainer scripts, one pair for both formats (manifests/linux/): after install and upgrade,
# compile the rules every user's host starts with into the system cache (/var/cache/phiguard)
# once for the machine; on removal, delete that cache. A failed compile never fails the
# install: each host then compiles its own.
set(PHIGUARD_PACKAGE_BINDIR "${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}")
foreach(_script postinst postrm)
  configure_file("${PROJECT_SOURCE_DIR}/manifests/linux/${_script}.in"
                 "${PHIGUARD_DEPLOY_DIR}/linux/${_script}" @ONLY NEWLINE_STYLE UNIX
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PHIGUARD_DEPLOY_DIR}/linux/postinst;${PHIGUARD_DEPLOY_DIR}/linux/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)  # scripts 0755 whatever the checkout has
set(CPACK_RPM_POST_INSTALL_SCRIPT_FILE "${PHIGUARD_DEPLOY_DIR}/linux/postinst")
set(CPACK_RPM_POST_UNINSTALL_SCRIPT_FILE "${PHIGUARD_DEPLOY_DIR}/linux/postrm")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "web")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # library dependencies from the binaries themselves
# ...but for libcurl, which the host loads on its first bundle fetch (update/curl_library.h)
# rather than links, so neither dpkg-shlibdeps nor rpm's dependency finder sees it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4")
set(CPACK_RPM_PACKAGE_REQUIRES "libcurl")

set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "Proprietary")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)  # manifests name /usr/bin/phiguard-host exactly
# The package owns the manifest folders it creates (rpm and dpkg both allow a folder to be shared
# with the browser's own package) so removal deletes them when they are empty, and the browser
# folders above them (/etc/opt/chrome, /usr/lib/mozilla), which a browser's package may share.
# Not folders the distribution's filesystem package owns: CPack's default list leaves out /etc,
# /usr, /usr/lib64 and the like, but not /etc/opt, and an rpm that owns it conflicts with
# filesystem. tests/deploy/package_test.py checks the .rpm owns none of them.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /etc/opt)

find_program(PHIGUARD_RPMBUILD rpmbuild)
if(PHIGUARD_RPMBUILD)
  set(CPACK_GENERATOR "DEB;RPM")
else()
  set(CPACK_GENERATOR "DEB")
endif()
# Any build tree can make packages: the programs it installs link the test-override gate
# off (host/CMakeLists.txt), so a package never lets the monitored user redirect the
# installed host's rules (SECURITY.md). tests/deploy/package_test.py checks the installed
# programs ignore PHIGUARD_RULES_DIR and PHIGUARD_CONFIG.
include(CPack)
