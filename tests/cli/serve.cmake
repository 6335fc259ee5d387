# assay serve: the API tests are gtest (tests/cli/serve_api_test.cc); this is
# the browser test, in Debian's Chromium driven by playwright-core
# (tests/browser/serve_test.mjs). It skips (exit 77) only when Chromium or
# tests/browser/node_modules are absent; scripts/setup.sh --test installs both.
find_program(ASSAY_NODE node)
if(ASSAY_NODE)
  add_test(NAME serve.browser COMMAND "${ASSAY_NODE}" "${CMAKE_CURRENT_SOURCE_DIR}/browser/serve_test.mjs")
  set_tests_properties(serve.browser PROPERTIES
    ENVIRONMENT "ASSAY_BIN=$<TARGET_FILE:assay>;ASSAY_SOURCE_DIR=${PROJECT_SOURCE_DIR};ASSAY_BROWSER_OUT=${CMAKE_CURRENT_BINARY_DIR}/browser-out;NO_COLOR=1"
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    RUN_SERIAL TRUE)
  # A workspace with accounts (docs/ACCOUNTS.md): sign-in, two users with
  # different roles, one refused (tests/browser/accounts_test.mjs).
  add_test(NAME serve.browser_accounts COMMAND "${ASSAY_NODE}" "${CMAKE_CURRENT_SOURCE_DIR}/browser/accounts_test.mjs")
  set_tests_properties(serve.browser_accounts PROPERTIES
    ENVIRONMENT "ASSAY_BIN=$<TARGET_FILE:assay>;ASSAY_BROWSER_OUT=${CMAKE_CURRENT_BINARY_DIR}/browser-accounts-out;NO_COLOR=1"
    SKIP_RETURN_CODE 77
    TIMEOUT 300
    RUN_SERIAL TRUE)
endif()
