# Keys and signed reports: a report signed by `assay report --sign` verifies
# with Debian's minisign, without assay, and fails after a one-byte change.
set(NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
add_test(NAME cli.report_signed_verifies_with_minisign COMMAND bash -c "
set -e
command -v minisign >/dev/null || { echo 'minisign not installed (scripts/setup.sh --test)'; exit 1; }
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
cd \"$dir\"
\"$a\" key new ada -o ada.key --no-passphrase | grep -Eq '^key [0-9A-F]{16}$'
[ \"$(stat -c %a ada.key)\" = 600 ]
grep -q 'assay public key of ada' ada.key.pub
\"$a\" --db w.db import '${NW}' 2>/dev/null
\"$a\" --db w.db report --out r.pdf --sign ada.key 2>err.txt
grep -q 'wrote r.pdf.minisig' err.txt
minisign -Vm r.pdf -p ada.key.pub | grep -q 'assay pdf report of assessment NW-2026-01, snapshot '
\"$a\" key verify r.pdf -p ada.key.pub | grep -q '^good signature of r.pdf'
# One byte changed: minisign and assay both refuse.
cp r.pdf bad.pdf; cp r.pdf.minisig bad.pdf.minisig
printf 'X' | dd of=bad.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null
if minisign -Vm bad.pdf -p ada.key.pub >/dev/null 2>&1; then echo 'minisign accepted a changed file'; exit 1; fi
set +e
\"$a\" key verify bad.pdf -p ada.key.pub 2>err.txt; code=$?
set -e
[ $code = 7 ] || { echo \"exit $code, expected 7\"; cat err.txt; exit 1; }
grep -q 'bad.pdf: ' err.txt
# The JSON report is signed the same way.
\"$a\" --db w.db report --format json --out r.json --sign ada.key 2>/dev/null
minisign -Vm r.json -p ada.key.pub >/dev/null
")
set_tests_properties(cli.report_signed_verifies_with_minisign PROPERTIES LABELS trust)

add_test(NAME cli.key_bad_input COMMAND bash -c "
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
set -e
\"$a\" key new -o k.key --no-passphrase >/dev/null 2>&1
# An existing key is never overwritten without --force.
bash \"$e\" 3 '' 'k.key: exists; use --force to overwrite' -- \"$a\" key new -o k.key --no-passphrase
# An empty passphrase is refused (stdin is not a terminal: read from it).
bash \"$e\" 3 '' 'empty passphrase' -- bash -c \"echo | '$a' key new -o p.key\"
[ ! -e p.key ] && [ ! -e p.key.pub ]
# --sign without --out, a missing key, a public key given as secret key.
\"$a\" --db w.db import '${NW}' >/dev/null 2>&1
bash \"$e\" 3 '' 'sign needs --out' -- \"$a\" --db w.db report --format json --sign k.key
bash \"$e\" 4 '' 'nope.key: no such file' -- \"$a\" --db w.db report --out r.pdf --sign nope.key
[ ! -e r.pdf ]
bash \"$e\" 3 '' 'k.key.pub: ' -- \"$a\" --db w.db report --out r2.pdf --sign k.key.pub
# Verify: not a signature, a missing file, another key.
\"$a\" key new -o other.key --no-passphrase >/dev/null 2>&1
\"$a\" --db w.db report --out r3.pdf --sign k.key >/dev/null 2>&1
bash \"$e\" 3 '' '' -- \"$a\" key verify r3.pdf -p other.key.pub
echo junk > junk.minisig
bash \"$e\" 3 '' 'junk.minisig: ' -- \"$a\" key verify r3.pdf -p k.key.pub -x junk.minisig
bash \"$e\" 4 '' 'missing.pdf: no such file' -- \"$a\" key verify missing.pdf -p k.key.pub
")
set_tests_properties(cli.key_bad_input PROPERTIES LABELS trust)

# docs/TRUST.md's marked blocks (registering a key, sealing, checking a seal)
# run as shown (tests/docs/doc_test.py).
add_test(NAME docs.trust COMMAND python3 "${CMAKE_CURRENT_SOURCE_DIR}/docs/doc_test.py"
  --assay "$<TARGET_FILE:assay>" --root "${PROJECT_SOURCE_DIR}" docs/TRUST.md)
set_tests_properties(docs.trust PROPERTIES LABELS "docs;trust" TIMEOUT 300)

# A key made by Debian's minisign registers and seals; the seal checks with its
# .pub file, and an altered seal line is refused (exit 7).
add_test(NAME cli.seal_with_minisign_key COMMAND bash -c "
set -e
command -v minisign >/dev/null || { echo 'minisign not installed (scripts/setup.sh --test)'; exit 1; }
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
\"$a\" import '${NW}' 2>/dev/null
minisign -G -W -p cb.pub -s cb.key >/dev/null
bash \"$e\" 3 '' \"cb.pub: the key's comment names no owner; give one with --person ID\" -- \"$a\" key register cb.pub
\"$a\" key register cb.pub --person cb | grep -q '^registered key [0-9A-F]\\{16\\} for cb (event 142)$'
\"$a\" log seal --key cb.key >seal.txt 2>/dev/null
[ \"$(wc -l <seal.txt)\" = 1 ]
grep -q '^assay-seal/1 workspace=[0-9a-f]\\{32\\} seq=142 head=[0-9a-f]\\{64\\} at=.* signer=cb key=' seal.txt
\"$a\" log verify --seal seal.txt --pub cb.pub | grep -q '^seal ok: event 142 still has hash '
sed 's/ signer=cb / signer=ada /' seal.txt >altered.txt
bash \"$e\" 7 '' \"the seal's signature does not verify with key \" -- \"$a\" log verify --seal altered.txt --pub cb.pub
")
set_tests_properties(cli.seal_with_minisign_key PROPERTIES LABELS trust)
