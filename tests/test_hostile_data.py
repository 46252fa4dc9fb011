"""Hostile data files: each is refused with its file (and line), exit 1, no traceback, and the
previous report kept byte for byte with nothing left behind (see hostile_kit)."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from hostile_kit import DATA, assert_refused, edit, good_outputs, in_report, run_cli, write  # noqa: F401

MEMBERS_YAML = DATA / "members" / "members.yaml"
ORG_YAML = DATA / "organisation.yaml"
STAFF = DATA / "governance" / "staff"


# ---------------------------------------------------------------- YAML

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))

YAML_CASES = {
    # ten lines standing for 9**9 (387 million) values: refused at the first alias, at once
    "alias bomb": (ORG_YAML, BOMB, "organisation.yaml:2: error: YAML aliases (*a) are not accepted"),
    "one innocent alias": (ORG_YAML, "founded: &y 2012\nfounders: *y\n",
                           "organisation.yaml:2: error: YAML aliases (*y) are not accepted"),
    "merge key": (ORG_YAML, "base: &b {founded: 2012}\nother:\n  <<: *b\n", "organisation.yaml:3: error: YAML aliases"),
    "nested 10,000 deep": (ORG_YAML, "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
                           "organisation.yaml:1: error: lists and mappings are nested more than 100 levels deep"),
    "mappings nested deep": (ORG_YAML, "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n",
                             "organisation.yaml:100: error: lists and mappings are nested more than 100"),
    "duplicate key": (MEMBERS_YAML, "founders: 10\ninhabitants: 3400000\nfounders: 11\n",
                      "members.yaml:3: error: the key 'founders' is given twice, at lines 1 and 3: keep one"),
    "duplicate key on one line": (ORG_YAML, "{founded: 2012, founded: 2013}\n",
                                  "organisation.yaml:1: error: the key 'founded' is given twice, at lines 1 and 1"),
    "duplicate nested key": (MEMBERS_YAML, None, "members.yaml:8: error: the key 'nom' is given twice, at lines 7 "
                                                 "and 8"),
    ".inf": (ORG_YAML, "founded: 2012\naverage_growth: .inf\n",
             "organisation.yaml:2: error: .inf is not a figure: expected a finite number"),
    "-.Inf": (DATA / "procurement" / "procurement.yaml", "threshold: -.Inf\n",
              "procurement.yaml:1: error: -.Inf is not a figure"),
    ".nan": (DATA / "finance" / "finance.yaml", "stated_revenue_growth: .nan\n",
             "finance.yaml:1: error: .nan is not a figure"),
    "5,000-digit integer": (MEMBERS_YAML, "founders: " + "9" * 5000 + "\n",
                            "members.yaml:1: error: a number of 5000 digits: at most 28 are read"),
    "5,000-digit float": (ORG_YAML, "average_growth: 0." + "1" * 5000 + "\n",
                          "organisation.yaml:1: error: a number of 5001 digits"),
    "impossible date": (ORG_YAML, "founded: 2012\nsince: 2021-13-45\n",
                        "organisation.yaml:2: error: unreadable value '2021-13-45'"),
}


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_hostile_yaml(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    rel, text, expected = YAML_CASES[case]
    if text is None:  # a departure listed with its name twice
        edit(root, rel, "  nom: Le Carmel", "  nom: Le Carmel\n  nom: Carmel")
    else:
        write(root, rel, text)
    started = time.monotonic()
    assert_refused(root, good_outputs, 1, expected)
    assert time.monotonic() - started < 30  # refused, not expanded


def test_a_yaml_file_over_its_size_cap(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, ORG_YAML, "founded: 2012\n" + "".join(f"k{i}: {i}\n" for i in range(250_000)))
    assert_refused(root, good_outputs, 1, "organisation.yaml: error: the file is 3.6 MB: a YAML data file may hold "
                                          "at most 2 MB")


def test_a_yaml_file_over_its_node_cap(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, ORG_YAML, "founded: 2012\nlist: [" + ",".join("1" * 1 for _ in range(260_000)) + "]\n")
    assert_refused(root, good_outputs, 1, "organisation.yaml:2: error: the file holds more than 250,000 values")


def test_yaml_anchors_without_aliases_and_normal_numbers_still_read(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    edit(root, ORG_YAML, "founded: 2012", "founded: &year 2012")
    result = run_cli(root, ["check", "--facts"])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- XLSX

def xlsx_bytes(rows, *, patch=None) -> bytes:
    """A workbook holding ``rows``; ``patch(name, xml) -> xml`` rewrites its parts."""
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    if patch is None:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, patch(name, src.read(name)))
    return out.getvalue()


def put_staff_xlsx(root: Path, data: bytes) -> None:
    (root / f"{STAFF}.csv").unlink()
    write(root, f"{STAFF}.xlsx", data)


def sheet_patch(old: bytes, new: bytes):
    def patch(name, xml):
        if name == "xl/worksheets/sheet1.xml":
            assert old in xml, xml
            return xml.replace(old, new)
        return xml
    return patch


def test_xlsx_zip_bomb_is_refused_before_inflating(report_copy, good_outputs, monkeypatch):
    """A small file holding a sheet of 210 MB once inflated (over the 200 MB cap)."""
    root = in_report(report_copy, monkeypatch)
    good = xlsx_bytes([["annee", "effectif"], [2021, 45]])
    src = zipfile.ZipFile(io.BytesIO(good))
    (root / f"{STAFF}.csv").unlink()
    with zipfile.ZipFile(root / f"{STAFF}.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name == "xl/worksheets/sheet1.xml":
                with dst.open(name, "w") as part:
                    part.write(src.read(name).replace(b"</worksheet>", b""))
                    for _ in range(210):
                        part.write(b" " * (1 << 20))
                    part.write(b"</worksheet>")
            else:
                dst.writestr(name, src.read(name))
    assert (root / f"{STAFF}.xlsx").stat().st_size < 1 << 20
    started = time.monotonic()
    assert_refused(root, good_outputs, 1, "staff.xlsx: error: the workbook holds 210 MB once uncompressed: at most "
                                          "200 MB are read")
    assert time.monotonic() - started < 20


XLSX_CASES = {
    "empty workbook": (xlsx_bytes([]), "staff.xlsx:1: error: the workbook's first sheet is empty, expected a header"),
    "no sheet at all": (xlsx_bytes([["annee"]], patch=lambda n, x: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", x)
                                   if n == "xl/workbook.xml" else x),
                        "staff.xlsx: error: the workbook has no sheet"),
    "formula without a stored result": (
        xlsx_bytes([["annee", "effectif"], [2021, "=40+5"]]),
        "staff.xlsx:2: error: effectif: cell B2 holds a formula whose result is not stored (=40+5): open the "
        "workbook in a spreadsheet (Excel, LibreOffice Calc) and save it"),
    "infinity in a cell": (xlsx_bytes([["annee", "effectif"], [2021, 45]],
                                      patch=sheet_patch(b"<v>45</v>", b"<v>1E+400</v>")),
                           "staff.xlsx:2: error: effectif: an infinite or undefined number"),
    "5,000-digit integer in a cell": (xlsx_bytes([["annee", "effectif"], [2021, 45]],
                                                 patch=sheet_patch(b"<v>45</v>", b"<v>" + b"9" * 5000 + b"</v>")),
                                      "staff.xlsx:2: error: a cell holds a number of thousands of digits: at most 28"),
    "not a zip": (b"PK\x03\x04 not really", "staff.xlsx: error: not a readable XLSX workbook"),
    "a zip that is not a workbook": (xlsx_bytes([["annee"]], patch=lambda n, x: b"<oops" if n == "xl/workbook.xml"
                                                else x),
                                     "staff.xlsx: error: not a readable XLSX workbook"),
}


@pytest.mark.parametrize("case", list(XLSX_CASES))
def test_hostile_xlsx(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    data, expected = XLSX_CASES[case]
    put_staff_xlsx(root, data)
    assert_refused(root, good_outputs, 1, expected)


def test_a_formula_with_its_stored_result_is_read(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    put_staff_xlsx(root, xlsx_bytes([["annee", "effectif"], [2021, 45]],
                                    patch=sheet_patch(b"<v>45</v>", b"<f>40+6</f><v>46</v>")))
    result = run_cli(root, ["check", "--facts"])
    assert result.exit_code == 0, result.output
    assert "governance.staff = 46" in result.output


def test_a_stray_row_far_below_the_table_hits_the_row_cap(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    put_staff_xlsx(root, xlsx_bytes([["annee", "effectif"], [2021, 45]], patch=sheet_patch(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>')))
    assert_refused(root, good_outputs, 1, "staff.xlsx:200001: error: the sheet has more than 200,000 rows")


def test_csv_and_xlsx_of_the_same_name(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, f"{STAFF}.xlsx", xlsx_bytes([["annee", "effectif"], [2021, 46]]))
    assert_refused(root, good_outputs, 1, "reports/2021/data/governance/staff.xlsx: error: both "
                                          "reports/2021/data/governance/staff.csv and staff.xlsx exist")


def test_csv_and_xlsx_of_the_same_name_in_the_previous_year(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, "reports/2020/data/finance/pnl.xlsx", xlsx_bytes([["poste", "n"]]))
    assert_refused(root, good_outputs, 1, "reports/2020/data/finance/pnl.xlsx: error: both "
                                          "reports/2020/data/finance/pnl.csv and pnl.xlsx exist")


# ---------------------------------------------------------------- CSV

CSV_CASES = {
    "5,000-digit integer": ("members/categories.csv", "CPAS,90", "CPAS," + "9" * 5000,
                            "categories.csv:4: error: nombre: a number of 5000 digits: at most 28 are read"),
    "29-digit amount": ("finance/pnl.csv", "111010.00", "1" * 29,
                        "pnl.csv:3: error: n: a number of 29 digits"),
    "long decimals": ("finance/pnl.csv", "111010.00", "1." + "1" * 40, "pnl.csv:3: error: n: a number of 41 digits"),
    "a field bigger than the csv module reads": ("products/catalogue.csv", "Gérez au mieux", "x" * 200_000,
                                                 "catalogue.csv:2: error: unreadable CSV: field larger than field "
                                                 "limit"),
}


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_hostile_csv(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    rel, old, new, expected = CSV_CASES[case]
    edit(root, DATA / rel, old, new)
    assert_refused(root, good_outputs, 1, expected)


def test_csv_over_the_row_cap(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, f"{STAFF}.csv", "annee,effectif\n" + "2021,45\n" * 200_001)
    assert_refused(root, good_outputs, 1, "staff.csv:200001: error: the file has more than 200,000 rows")


def test_csv_over_the_size_cap(report_copy, good_outputs, monkeypatch):
    import rapact_core.data as data

    root = in_report(report_copy, monkeypatch)
    monkeypatch.setattr(data, "MAX_CSV_BYTES", 1000)  # the cap's check, without writing 100 MB
    write(root, f"{STAFF}.csv", "annee,effectif\n" + "2021,45\n" * 200)
    assert_refused(root, good_outputs, 1, "staff.csv: error: the file is 0 MB: a CSV data file may hold at most 0 MB")


def test_an_unreadable_csv_is_named(report_copy, good_outputs, monkeypatch):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    root = in_report(report_copy, monkeypatch)
    (root / f"{STAFF}.csv").chmod(0)
    assert_refused(root, good_outputs, 1, "staff.csv: error: cannot read the file: Permission denied")


# ---------------------------------------------------------------- links out of the report

LINK_CASES = {
    "CSV to /etc/passwd": (DATA / "members" / "categories.csv", "/etc/passwd",
                           "reports/2021/data/members/categories.csv: error: data file 'members/categories.csv' is a "
                           "symbolic link to a place outside reports/2021/data"),
    "YAML to /etc/passwd": (MEMBERS_YAML, "/etc/passwd",
                            "reports/2021/data/members/members.yaml: error: data file 'members/members.yaml' is a "
                            "symbolic link to a place outside"),
    "XLSX to /etc/hostname": (DATA / "governance" / "staff.xlsx", "/etc/hostname",
                              "reports/2021/data/governance/staff.xlsx: error: data file 'governance/staff.xlsx' is a "
                              "symbolic link"),
    "CSV to the next folder up": (DATA / "members" / "categories.csv", "../../rapact.toml",
                                  "categories.csv: error: data file 'members/categories.csv' is a symbolic link"),
    "Markdown to /etc/passwd": (Path("reports/2021/texts/annexes.md"), "/etc/passwd",
                                "reports/2021/texts/annexes.md: error: narrative file 'annexes.md' is a symbolic link"),
    "a link to itself": (DATA / "members" / "categories.csv", "categories.csv",
                         "categories.csv: error: data file 'members/categories.csv' is a symbolic link that leads "
                         "back to itself (a link loop)"),
    "two links to each other": (MEMBERS_YAML, "other.yaml",
                                "members.yaml: error: data file 'members/members.yaml' is a symbolic link that leads "
                                "back to itself"),
}


@pytest.mark.parametrize("case", list(LINK_CASES))
def test_links_out_of_the_report(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    link, target, expected = LINK_CASES[case]
    if link.suffix == ".xlsx":
        (root / f"{STAFF}.csv").unlink()
    (root / link).unlink(missing_ok=True)
    os.symlink(target, root / link)
    if case == "two links to each other":
        os.symlink("members.yaml", root / link.parent / "other.yaml")
    output = assert_refused(root, good_outputs, 1, expected)
    assert "root:x:0:0" not in output and "[tool" not in output  # never the target's content


def test_a_link_inside_the_data_folder_is_followed(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    csv = root / DATA / "members" / "categories.csv"
    csv.rename(csv.with_name("categories-2021.csv"))
    os.symlink("categories-2021.csv", csv)
    assert run_cli(root, ["check"]).exit_code == 0
