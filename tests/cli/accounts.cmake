# Accounts (docs/ACCOUNTS.md): assay user, signing in with --user, the
# permissions of the engine's write path with exit 9, every refused attempt
# in the log, the password hash never in it, the workspace otherwise unchanged.
add_test(NAME cli.accounts COMMAND bash -c "
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
printf 'correct horse battery\\n' > pw
printf 'wrong horse battery\\n' > bad
printf 'short\\n' > short
\"$a\" assessment new A1 --model itsm-20000 2>/dev/null
\"$a\" scope add RES.1 --target 1 2>/dev/null
\"$a\" instance add RES.1/EU -p RES.1 2>/dev/null
\"$a\" person add ada -n 'Ada L.' -r lead-assessor 2>/dev/null
\"$a\" person add cy -n 'Cy P.' -r assessor 2>/dev/null
\"$a\" assessment status collecting 2>/dev/null
bash \"$e\" 0 '' 'no accounts: the workspace is open' -- \"$a\" user list
before=$(sha256sum assay.db)
bash \"$e\" 3 '' 'first account of a workspace must have the role admin' -- \"$a\" user add ada --role assessor --password-file pw
bash \"$e\" 3 '' 'the password is too short: at least 10' -- \"$a\" user add root --role admin --password-file short
bash \"$e\" 3 '' \"unknown role 'boss'\" -- \"$a\" user add root --role boss --password-file pw
bash \"$e\" 3 '' 'the role client needs the client' -- \"$a\" user add rep --role client --password-file pw
bash \"$e\" 4 '' 'cannot read the password file' -- \"$a\" user add root --role admin --password-file missing
[ \"$before\" = \"$(sha256sum assay.db)\" ]
bash \"$e\" 0 '' 'account root: added \\(admin; acts as person root, not in the registry yet' -- \"$a\" user add root --role admin --password-file pw
bash \"$e\" 9 '' 'every write needs a signed-in user.*give your account' -- \"$a\" user add ada --role lead-assessor --password-file pw
bash \"$e\" 9 '' 'unknown user or wrong password' -- \"$a\" --user root --login-password-file bad user add ada --role lead-assessor --password-file pw
bash \"$e\" 9 '' 'unknown user or wrong password' -- \"$a\" --user nobody --login-password-file pw user list
export ASSAY_USER=root
bash \"$e\" 0 '' 'account ada: added \\(assessor, lead-assessor; acts as registered person ada \\(Ada L.\\)' -- \"$a\" --login-password-file pw user add ada --role lead-assessor --role assessor --password-file pw
\"$a\" --login-password-file pw user add cy --role assessor --password-file pw 2>/dev/null
\"$a\" --login-password-file pw user add rep --role client --client C1 --until 2099-12-31 --password-file pw 2>/dev/null
bash \"$e\" 3 '' 'account .ada. exists' -- \"$a\" --login-password-file pw user add ada --role viewer --password-file pw
bash \"$e\" 0 'cy +Cy P.|cy +- +cy +assessor' '' -- \"$a\" --login-password-file pw user list
bash \"$e\" 0 'rep +- +rep +client +C1 +until 2099-12-31' '' -- \"$a\" --login-password-file pw user list
bash \"$e\" 0 '\"roles\": \\[' '' -- \"$a\" --login-password-file pw user list --format json
export ASSAY_USER=cy
bash \"$e\" 9 '' \"'cy' \\\\(assessor\\\\): only the assessment's lead assessor moves its status in assessment A1; nothing was written\" -- \"$a\" --login-password-file pw assessment status validating
bash \"$e\" 9 '' \"rates as themselves \\\\(cy\\\\), not as 'ada'\" -- \"$a\" --login-password-file pw rate -i RES.1/EU -x PA1.1 -v L -s ada
bash \"$e\" 9 '' 'only an admin manages accounts' -- \"$a\" --login-password-file pw user disable ada
bash \"$e\" 0 '' 'added' -- \"$a\" --login-password-file pw rate -i RES.1/EU -x PA1.1 -v L -s cy
bash \"$e\" 9 '' 'reads its client' -- \"$a\" --user rep --login-password-file pw profile A1
export ASSAY_USER=ada
bash \"$e\" 0 '' '' -- \"$a\" --login-password-file pw assessment status validating
unset ASSAY_USER
bash \"$e\" 0 'cy +refused +access +cy +.cy. \\(assessor\\): only the assessment.s lead' '' -- \"$a\" log
bash \"$e\" 0 'ada +status +assessment' '' -- \"$a\" log A1
! grep -q argon2 <(\"$a\" log --format json)
bash \"$e\" 0 '^ok: ' '' -- \"$a\" log verify
printf 'a new password 12\\n' | \"$a\" --user root --login-password-file pw user passwd cy --password-file - 2>/dev/null
bash \"$e\" 9 '' 'unknown user or wrong password' -- \"$a\" --user cy --login-password-file pw user list
bash \"$e\" 0 'password_set' '' -- \"$a\" log --format json
bash \"$e\" 0 '' 'account cy: disabled' -- \"$a\" --user root --login-password-file pw user disable cy
printf 'a new password 12\\n' > pw2
bash \"$e\" 9 '' \"account 'cy' is disabled\" -- \"$a\" --user cy --login-password-file pw2 user list
bash \"$e\" 0 '' 'account cy: roles changed' -- \"$a\" --user root --login-password-file pw user roles cy --role viewer
bash \"$e\" 4 '' \"no account 'cz'; nearest: cy\" -- \"$a\" --user root --login-password-file pw user roles cz --role viewer
bash \"$e\" 0 '^ok: ' '' -- \"$a\" log verify
")
set_tests_properties(cli.accounts PROPERTIES LABELS cli)
