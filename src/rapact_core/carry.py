"""Carrying a plugin's data over to next year's folder (``rapact new-year``).

Reference lists (the catalogue, the bodies, the administrators) are copied;
yearly tables keep their header and their row labels with the figures left
empty, so that the draft of the new year builds with "à compléter" marks and
``rapact check`` lists what to fill in.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Sequence
from pathlib import Path

from .data import TOTAL_LABELS, _read_csv_rows, _read_xlsx_rows


def _source_table(folder: Path, stem: str) -> Path | None:
    for suffix in (".csv", ".xlsx"):
        p = folder / f"{stem}{suffix}"
        if p.is_file():
            return p
    return None


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence] = ()) -> Path:
    """Write a UTF-8 CSV (the format every reader of rapact accepts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def copy_data(source: Path, target: Path, *names: str) -> None:
    """Copy data files that carry over unchanged (missing ones are skipped)."""
    for name in names:
        src = source / name
        stem_src = _source_table(source, name) if not src.suffix else None
        src = stem_src or src
        if src.is_file():
            dst = target / src.relative_to(source)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def carry_table(source: Path, target: Path, stem: str, keep: Sequence[str], *,
                header: Sequence[str] | None = None, rows: bool = True, transform=None) -> Path | None:
    """Write ``target/stem.csv`` for next year.

    :param keep: the columns whose values carry over (labels, codes, formulas).
    :param header: the new header (default: the source's header).
    :param rows: keep one row per source row (without the totals row), with
        only the ``keep`` columns filled; ``False`` writes the header only.
    :param transform: a function given each new row as a dict, returning it changed.
    """
    src = _source_table(source, stem)
    if src is None:
        return None
    raw = _read_xlsx_rows(src) if src.suffix == ".xlsx" else _read_csv_rows(src)
    old_header = [str(h).strip() for h in raw[0][1]]
    new_header = list(header) if header is not None else old_header
    out_rows = []
    if rows:
        for _line, cells in raw[1:]:
            values = dict(zip(old_header, cells))
            if not any(str(v).strip() for v in cells):
                continue
            if str(cells[0]).strip().lower() in TOTAL_LABELS:
                continue
            row = {c: values.get(c, "") if c in keep else "" for c in new_header}
            if transform is not None:
                row = transform(row)
            out_rows.append([row[c] for c in new_header])
    return write_csv(target / f"{stem}.csv", new_header, out_rows)


def carry_yaml(source: Path, target: Path, name: str, *, keep: Sequence[str] = (), clear: Sequence[str] = (),
               empty_lists: Sequence[str] = ()) -> Path | None:
    """Write next year's YAML: ``keep`` keys as they are, ``clear`` keys set to
    empty (to be filled in), ``empty_lists`` set to ``[]``; other keys dropped."""
    import yaml

    src = source / name
    if not src.is_file():
        return None
    data = yaml.safe_load(src.read_text(encoding="utf-8-sig")) or {}
    out: dict = {}
    for key in data:
        if key in keep:
            out[key] = data[key]
        elif key in clear:
            out[key] = None
        elif key in empty_lists:
            out[key] = []
    dst = target / name
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst
