"""Words a PDF breaks across two lines, found from where pdftotext says each word is.

A column label cut inside a word ("Développeme" / "nt") shows in the PDF as a
piece of a known word with the rest of it right below, in the same column.
:func:`split_words` finds every such piece for a vocabulary of words (the
labels' words), on every page, whichever program laid the PDF out (reportlab,
or LibreOffice converting the DOCX).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from attrs import frozen

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
HYPHENS = "-\u2010\u00ad"


@frozen
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def pdf_words(path: Path) -> list[Word]:
    """Every word of the PDF with its box (points, y down), by ``pdftotext -bbox``."""
    import html

    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    out = []
    for number, page in enumerate(_PAGE.findall(xml), start=1):
        for x0, y0, x1, y1, text in _WORD.findall(page):
            out.append(Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text)))
    return out


def _below(a: Word, b: Word) -> bool:
    """``b`` is on the next line of the same cell as ``a``: just below, sharing some width."""
    height = a.y1 - a.y0
    return (b.page == a.page and 0.5 * height < b.y0 - a.y0 < 1.8 * height
            and min(a.x1, b.x1) - max(a.x0, b.x0) > -2)


def split_words(words: list[Word], vocabulary: set[str]) -> list[tuple[int, str]]:
    """(page, "Développeme/nt") for each word of ``vocabulary`` found cut across lines."""
    prefixes: dict[str, set[str]] = {}
    for v in vocabulary:
        for k in range(1, len(v)):
            prefixes.setdefault(v[:k], set()).add(v)
    by_page: dict[int, list[Word]] = {}
    for w in words:
        by_page.setdefault(w.page, []).append(w)
    found = []
    for page, items in by_page.items():
        for a in items:
            head = a.text.rstrip(HYPHENS) if len(a.text) > 1 else a.text
            for whole in prefixes.get(head, ()):
                if a.text == whole:
                    continue
                pieces, last = [head], a
                while True:  # the rest, over one line or more
                    joined = "".join(pieces)
                    nxt = next((b for b in items if _below(last, b) and whole.startswith(
                        joined + b.text.rstrip(HYPHENS))), None)
                    if nxt is None:
                        break
                    pieces.append(nxt.text.rstrip(HYPHENS) if joined + nxt.text != whole else nxt.text)
                    last = nxt
                    if "".join(pieces) == whole:
                        found.append((page, "/".join(pieces)))
                        break
    return sorted(set(found))
