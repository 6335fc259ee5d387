#!/usr/bin/env python3
"""XLSX both ways (issue 17): export a rating workbook, change cells the way a
spreadsheet saves them (an inline string, a new shared string, a number
formatted as a percentage, a number in a text column), import: exactly the
changed ratings become new versions, the rest unchanged; again: nothing
changes. Cells a spreadsheet turned into a formula, a date or a boolean, and
malformed workbooks, are refused with their place and leave the workspace as
it was. Also checks the drop-down lists (dataValidation) and the sheet
protection in the XML.

usage: xlsx_roundtrip.py ASSAY SOURCE_DIR
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ASSAY, SRC = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="assay-xlsx.")
env = dict(os.environ, ASSAY_DB=os.path.join(work, "ws.db"), ASSAY_ACTOR="test")
failures = []


def run(*args):
    p = subprocess.run([ASSAY, *args], env=env, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def digest():
    with open(env["ASSAY_DB"], "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in files.items():
            z.writestr(n, data)


def sheet_part(files, name):
    """The part of sheet `name` (through workbook.xml and its relationships)."""
    wb = files["xl/workbook.xml"].decode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(r'<sheet name="%s" sheetId="\d+" r:id="(rId\d+)"' % re.escape(name), wb).group(1)
    target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or re.search(
        r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
    return "xl/" + target.group(1)


def set_cell(xml, ref, new):
    """Replaces cell `ref` (empty or not) with the XML `new`."""
    pat = re.compile(r'<c r="%s"(?: [^>/]*)?(?:/>|>.*?</c>)' % ref, re.S)
    check(pat.search(xml), "cell %s not found" % ref)
    return pat.sub(lambda m: new, xml, count=1)


def style_of(xml, ref):
    m = re.search(r'<c r="%s" s="(\d+)"' % ref, xml)
    return m.group(1) if m else "0"


try:
    code, _, err = run("import", os.path.join(SRC, "tests", "badinput", "base.json"))
    check(code == 0, "base import: " + err)
    csv = os.path.join(work, "r.csv")
    with open(csv, "w") as f:
        f.write("instance,item,value,assessor,weakness\n"
                "RES.1/EU,PA1.1,L,ada,no trend analysis\n"
                "RES.1/EU,RES.1.BP1,P,ada,\n"
                "RES.1/EU,PA2.1,F,cy,\n"
                "RES.2/EU,PA1.1,72.5%,cy,\n")
    code, _, err = run("import", csv)
    check(code == 0, "ratings: " + err)
    book = os.path.join(work, "book.xlsx")
    code, _, err = run("export", "A1", "--format", "xlsx", "-o", book)
    check(code == 0, "export: " + err)

    # Drop-downs and protection, in the XML.
    files = parts(book)
    res1 = sheet_part(files, "RES.1")
    xml = files[res1].decode()
    check('<dataValidation type="list"' in xml, "no drop-down list on RES.1")
    check("<sheetProtection" in xml, "RES.1 is not protected")
    check('"N,P,L,F"' in xml or "N,P,L,F" in xml, "the scale is not the list")

    # Unchanged: everything unchanged.
    code, _, err = run("import", book)
    check(code == 0 and "0 created, 0 updated, 4 unchanged" in err, "unchanged import: " + err)

    # The exported layout of RES.1: F..I ada's value, strength, weakness and
    # evidence for RES.1/EU, then cy's, then the team's; rows by item.
    rows = {m.group(2): m.group(1) for m in re.finditer(r'<c r="A(\d+)"[^>]*t="s"><v>(\d+)</v>', xml)}
    strings = re.findall(r"<si><t[^>]*>(.*?)</t></si>", files["xl/sharedStrings.xml"].decode(), re.S)
    row_of = {strings[int(i)]: r for i, r in rows.items()}
    r_pa11, r_bp1, r_pa21 = row_of["PA1.1"], row_of["RES.1.BP1"], row_of["PA2.1"]

    # A spreadsheet's ways of saving cells:
    styles = files["xl/styles.xml"].decode()
    count = int(re.search(r'<cellXfs count="(\d+)"', styles).group(1))
    styles = re.sub(r'<cellXfs count="\d+">', '<cellXfs count="%d">' % (count + 2), styles)
    styles = styles.replace("</cellXfs>", '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
                            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>')
    sst = files["xl/sharedStrings.xml"].decode()
    n = len(strings)
    sst = sst.replace("</sst>", "<si><r><t>trend </t></r><r><t>analysis now monthly</t></r></si></sst>")
    xml2 = set_cell(xml, "F" + r_pa11, '<c r="F%s" t="inlineStr"><is><t>F</t></is></c>' % r_pa11)   # L -> F, inline
    xml2 = set_cell(xml2, "G" + r_pa11, '<c r="G%s" t="s"><v>%d</v></c>' % (r_pa11, n))            # strength, rich text
    xml2 = set_cell(xml2, "F" + r_bp1, '<c r="F%s" s="%d"><v>0.85</v></c>' % (r_bp1, count))       # 85% as a number
    xml2 = set_cell(xml2, "I" + r_bp1, '<c r="I%s"><v>17</v></c>' % r_bp1)                          # a number as text
    files2 = dict(files)
    files2[res1] = xml2.encode()
    files2["xl/styles.xml"] = styles.encode()
    files2["xl/sharedStrings.xml"] = sst.encode()
    edited = os.path.join(work, "edited.xlsx")
    write(edited, files2)
    before = digest()
    code, _, err = run("import", edited)
    check(code == 3 and "edited.xlsx: RES.1!I%s: evidence: unknown evidence '17'" % r_bp1 in err,
          "a number in the evidence column is read as its text: " + err)
    check(before == digest(), "a refused workbook changed the workspace")
    xml2 = set_cell(xml2, "I" + r_bp1, '<c r="I%s" t="inlineStr"><is><t>EV-1</t></is></c>' % r_bp1)
    files2[res1] = xml2.encode()
    write(edited, files2)
    code, _, err = run("import", "--dry-run", edited)
    check(code == 0 and "0 created, 2 updated, 2 unchanged" in err, "dry run of the edited workbook: " + err)
    check(before == digest(), "a dry run changed the workspace")
    code, _, err = run("import", edited)
    check(code == 0 and "imported into A1: 0 created, 2 updated, 2 unchanged" in err, "edited import: " + err)
    code, _, err = run("import", edited)
    check(code == 0 and "0 created, 0 updated, 4 unchanged" in err, "import again: " + err)
    code, out, err = run("export", "A1", "--format", "csv")
    check("A1,RES.1,RES.1/EU,PA1.1,F,ada,,trend analysis now monthly,no trend analysis,,," in out, "PA1.1: " + out)
    check("A1,RES.1,RES.1/EU,RES.1.BP1,85%,ada,,,,,EV-1," in out, "BP1: " + out)
    code, _, err = run("log", "verify")
    check(code == 0, "log verify: " + err)

    # Refused cells, each with its place; the workspace unchanged.
    before = digest()
    cases = [
        ('<c r="F{r}" t="str"><f>"F"</f><v>F</v></c>', "RES.1!F{r}: a formula, where a rating value is expected"),
        ('<c r="F{r}" s="%d"><v>46000</v></c>' % (count + 1), "RES.1!F{r}: a date (serial number 46000)"),
        ('<c r="F{r}" t="b"><v>1</v></c>', "RES.1!F{r}: a boolean (TRUE) is not a rating value"),
        ('<c r="F{r}"><v>3</v></c>', "RES.1!F{r}: a number (3) is not a rating value"),
        ('<c r="F{r}" t="d"><v>2026-11-24</v></c>', "RES.1!F{r}: a date (2026-11-24)"),
        ('<c r="F{r}" t="inlineStr"><is><t>Q</t></is></c>', "RES.1!F{r}: value 'Q' is not a rating"),
        ('<c r="F{r}" t="e"><v>#N/A</v></c>', "RES.1!F{r}: an error value (#N/A)"),
    ]
    for cell, message in cases:
        bad = os.path.join(work, "bad.xlsx")
        files3 = dict(files2)
        files3[res1] = set_cell(xml, "F" + r_pa21, cell.format(r=r_pa21)).encode()
        write(bad, files3)
        code, _, err = run("import", bad)
        want = "bad.xlsx: " + message.format(r=r_pa21)
        check(code == 3 and want in err, "expected exit 3 and '%s': %d %s" % (want, code, err))
        check(before == digest(), "refused cell changed the workspace: " + cell)
finally:
    shutil.rmtree(work)
print("xlsx round trip: %s" % ("ok" if not failures else "%d failures" % len(failures)))
sys.exit(1 if failures else 0)
