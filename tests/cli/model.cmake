# End-to-end tests of `assay model ...` and the global options.
set(EXPECT "${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh")
set(ASSAY "$<TARGET_FILE:assay>")
set(MODELS "${PROJECT_SOURCE_DIR}/models")
set(FIX "${CMAKE_CURRENT_SOURCE_DIR}/fixtures")

function(assay_cli_test name code out_re err_re)
  add_test(NAME cli.${name} COMMAND bash ${EXPECT} ${code} "${out_re}" "${err_re}" -- ${ARGN})
endfunction()

assay_cli_test(version 0 "^assay [0-9]+\\.[0-9]+\\.[0-9]+" "" ${ASSAY} --version)
assay_cli_test(help 0 "Exit codes: 0 success" "" ${ASSAY} --help)
assay_cli_test(no_command 2 "" "A subcommand is required" ${ASSAY})
assay_cli_test(unknown_command 2 "" "" ${ASSAY} frobnicate)
assay_cli_test(model_help 0 "check" "" ${ASSAY} model --help)
assay_cli_test(model_show_help 0 "--process" "" ${ASSAY} model show --help)
assay_cli_test(model_check_help 0 "FILE" "" ${ASSAY} model check --help)
assay_cli_test(model_graph_help 0 "--format" "" ${ASSAY} model graph --help)
assay_cli_test(model_list_help 0 "--format" "" ${ASSAY} model list --help)
assay_cli_test(model_list 0 "itsm-20000 +1\\.0\\.0 +pam" "" ${ASSAY} model list)
assay_cli_test(model_list_json 0 "\"kind\": \"framework\"" "" ${ASSAY} model list --format json)
assay_cli_test(model_check_bundled 0 "itsm-20000.json: ok" "" ${ASSAY} model check
  ${MODELS}/itsm-20000.json ${MODELS}/mf-33020.json ${MODELS}/mf-15504-2.json)
assay_cli_test(model_check_invalid 3 "" "unknown process group 'RSE'; nearest: RES" ${ASSAY} model check
  ${FIX}/models/broken-pam.json)
assay_cli_test(model_check_invalid_counts 3 "" "broken-pam.json: 4 problems" ${ASSAY} model check
  ${FIX}/models/broken-pam.json)
assay_cli_test(model_check_syntax 3 "" "syntax-error.json:4:12: syntax error: unexpected string literal; expected" ${ASSAY} model check
  ${FIX}/models/syntax-error.json)
assay_cli_test(model_check_missing 3 "" "cannot open file" ${ASSAY} model check /nonexistent.json)
assay_cli_test(model_show_processes 0 "29 processes" "" ${ASSAY} model show itsm-20000)
assay_cli_test(model_show_process 0 "Purpose:.*" "" ${ASSAY} model show itsm-20000 --process RES.1)
assay_cli_test(model_show_framework 0 "PA5.2" "" ${ASSAY} model show mf-15504-2)
assay_cli_test(model_show_unknown 4 "" "model 'itsm-2000' not found; nearest: itsm-20000" ${ASSAY} model show itsm-2000)
assay_cli_test(model_show_unknown_process 4 "" "process 'RES.9' is not in model itsm-20000@1.0.0; nearest: RES.1, RES.2, RES.3"
  ${ASSAY} model show itsm-20000 --process RES.9)
assay_cli_test(model_graph_dot 0 "^digraph" "" ${ASSAY} model graph itsm-20000 --format dot)
assay_cli_test(model_graph_bad_format 2 "" "" ${ASSAY} model graph itsm-20000 --format svg)
assay_cli_test(model_extra_dir 0 "pam +1\\.0\\.0" "" ${ASSAY} --models ${FIX}/models/extra model list)

# Graphviz must accept the DOT output (all processes, and one process).
find_program(DOT_EXE dot)
if(DOT_EXE)
  add_test(NAME cli.model_graph_graphviz
    COMMAND bash -c "set -o pipefail; '${ASSAY}' model graph itsm-20000 --format dot | '${DOT_EXE}' -Tsvg -o /dev/null")
  add_test(NAME cli.model_graph_graphviz_process
    COMMAND bash -c "set -o pipefail; '${ASSAY}' model graph itsm-20000 --process DBT.1 | '${DOT_EXE}' -Tsvg -o /dev/null")
endif()
