"""A French spelling check of the narrative and of the tables' labels (``rapact check``).

Words are looked up in pyspellchecker's French word list (pure Python, kept up
to date on PyPI) and in the report's own list of words, ``words.txt`` beside
its ``rapact.toml``: names and product names, one a line. What a French
dictionary cannot know is left alone rather than reported, so that the
editor reads a few real mistakes, not hundreds of names:

- a capitalised word inside a sentence is a name (Yvoir, Barvais), as are
  compounds of capitalised parts (Pierre-Philippe) and words with capitals
  inside (iMio, SmartWeb); a capitalised word that starts a sentence, a
  heading, a list item or a cell is checked;
- an acronym (EBITDA, CPAS) is reported only when one letter away from
  another acronym of the report or of the word list (EDITDA for EBITDA);
- placeholders, links and e-mail addresses are not text.

A list whose items start with the same word ("Commune de …") also has its
odd one out reported ("Comme d'Yvoir").

Each unknown word is one warning, at its first place, listing the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from . import model as m
from .errors import Finding, Level, display_path
from .i18n import _
from .typed_numbers import mask_placeholders

WORDS_FILE = "words.txt"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NOT_TEXT = re.compile(r"\]\([^)]*\)|<[a-z]+:[^>]*>|\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|\x00+"
                       r"|\b[\w-]+\.(?:be|eu|com|org|net|fr|lu|io)\b", re.I)  # links, addresses, domain names
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.I)
_STARTS = re.compile(r"(?:^|[.!?:;…]\s+|^\s*(?:[-*+]|\d+[.)])\s+|^#+\s+|[«\"“]\s*)$")
_LIST_ITEM = re.compile(r"^\s*[-*+]\s+(?:✓\s*)?([^\W\d_]+)")
_MIN_LIST = 3
_MIN_SLIP = 4


@lru_cache(maxsize=1)
def _dictionary():
    from spellchecker import SpellChecker

    return SpellChecker(language="fr", distance=1)


def read_word_list(path: Path) -> tuple[set[str], set[str]]:
    """The report's own words: (lower-case words, which match any case; words with
    capitals, which match as written and in capitals)."""
    any_case, exact = set(), set()
    if not path.is_file():
        return any_case, exact
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        (any_case if word == word.lower() else exact).add(_normal(word) if word == word.lower() else word)
    return any_case, exact


def _normal(word: str) -> str:
    word = unicodedata.normalize("NFC", word.replace("’", "'")).lower()
    return word.replace("œ", "oe").replace("æ", "ae")  # the word list writes "coeur"


# the first part of a compound that is no word alone: co-production, multi-sites, post-covid
_PREFIXES = frozenset("co multi post pré anti auto bi tri ex néo semi vice inter intra extra mini micro".split())


class Checker:
    """Looks words up in the French dictionary and the report's word list."""

    def __init__(self, any_case: set[str], exact: set[str]):
        self.any_case = any_case
        self.exact = exact | {w.upper() for w in exact}
        self.dictionary = _dictionary()

    def known(self, word: str) -> bool:
        if word in self.exact:
            return True
        normal = _normal(word)
        if normal in self.any_case or normal in self.dictionary:
            return True
        # the word list is of words in their usual form: its plurals are known too
        return normal[-1:] in ("s", "x") and (normal[:-1] in self.any_case or normal[:-1] in self.dictionary)

    def suggestion(self, word: str) -> str | None:
        if len(word) > 20:
            return None
        guess = self.dictionary.correction(_normal(word))
        if not guess or guess == _normal(word):
            return None
        return guess.capitalize() if word[:1].isupper() else guess


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _is_name_like(word: str) -> bool:
    """Capitals inside (iMio, SmartWeb, eGouvernement): a name, not French."""
    return any(ch.isupper() for ch in word[1:]) and not word.isupper()


def words_of(text: str):
    """(word, column, starts a sentence) for each word of a line of text."""
    for match in _WORD.finditer(text):
        yield match.group(0), match.start(), bool(_STARTS.search(text[:match.start()]))


def _is_phrase(text: str) -> bool:
    """Three words or more, at least half of those after the first in lower case."""
    words = _WORD.findall(text)
    rest = words[1:]
    return len(words) >= 3 and sum(w[:1].islower() for w in rest) * 2 >= len(rest)


def _edits1(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one substitution, insertion or deletion apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


class _Collector:
    """Unknown words with their places, in the order first met."""

    def __init__(self, checker: Checker):
        self.checker = checker
        # the unknown words (lower-case) and, for each place met, the word as written there, its
        # file, line and place in the report, and the table cell it is in (to find its data file)
        self.places: dict[str, list[tuple[str, str, int | None, str, str]]] = defaultdict(list)
        self.cell = ""
        self.acronyms: list[tuple[str, str, int | None, str]] = []
        self.seen_acronyms: Counter = Counter()

    def text(self, text: str, file: str, line: int | None, where: str, *, sentence: bool | None = True) -> None:
        """Check the words of ``text``. With ``sentence`` false, no word starts a
        sentence: every capitalised word is a name; ``None`` (a table's body cell):
        a phrase ("Comande d'une ligne graphique") starts a sentence, a name
        ("Thierry Chapelle", "Expansion Partners SA") does not."""
        self.cell = text if not file else ""
        text = _NOT_TEXT.sub(" ", text)
        if sentence is None:
            sentence = _is_phrase(text)
        for token, column, starts in words_of(text):
            if column and text[column - 1] == "." :
                continue  # iA.Urban, Joinup.eu: the rest of a name
            starts = starts and sentence
            token = _ELISION.sub("", token)
            parts = [p for p in re.split(r"[-’']", token) if p]
            if len(parts) > 1 and all(p[:1].isupper() for p in parts):
                continue  # Pierre-Philippe, Berger-Levrault, Braine-l'Alleud: a name
            if len(parts) > 1 and self.checker.known(token):
                continue  # aujourd'hui, peut-être
            for index, part in enumerate(parts):
                if index == 0 and len(parts) > 1 and _normal(part) in _PREFIXES:
                    continue
                self.word(part, file, line, where, starts=starts and index == 0)

    def word(self, word: str, file: str, line: int | None, where: str, *, starts: bool) -> None:
        if len(word) < 2 or _is_name_like(word):
            return
        if _is_acronym(word):
            self.seen_acronyms[word] += 1
            if not self.checker.known(word):
                self.acronyms.append((word, file, line, where, self.cell))
            return
        if word[:1].isupper() and not starts:
            return  # a name inside a sentence
        if not self.checker.known(word):
            self.places[_normal(word)].append((word, file, line, where, self.cell))

    def acronym_slips(self) -> None:
        """An unknown acronym one letter from a known one (EDITDA for EBITDA) is a slip."""
        known = {a for a in self.seen_acronyms if self.checker.known(a) or self.seen_acronyms[a] > 1}
        known |= {w for w in self.checker.exact if _is_acronym(w)}
        for word, file, line, where, cell in self.acronyms:
            # short acronyms are all one letter apart (CA, CR, PV): only long ones can slip
            if len(word) >= _MIN_SLIP and any(
                    len(other) == len(word) and _edits1(word, other) for other in known if other != word):
                self.places[_normal(word)].append((word, file, line, where, cell))


def _odd_list_items(source: str, file: str, where_of) -> list[Finding]:
    """In a list whose items mostly start with one word, an item starting with a word
    close to it but not it: “Comme d'Yvoir” among “Commune de …”."""
    out = []
    lines = source.splitlines()
    run: list[tuple[int, str]] = []
    for number, line in enumerate(lines + [""], 1):
        match = _LIST_ITEM.match(line)
        if match:
            run.append((number, match.group(1)))
            continue
        firsts = Counter(word for _, word in run)
        for common, count in firsts.items():
            if count < _MIN_LIST or len(common) < 4:
                continue
            for item_line, word in run:
                if firsts[word] == 1 and len(word) >= 4 and word != common \
                        and _edit_distance(word.lower(), common.lower()) <= 2:
                    out.append(Finding(
                        _("“{word}” starts an item of a list whose other items start with “{common}”").format(
                            word=word, common=common),
                        Level.WARNING, file, item_line, where=where_of(item_line),
                        hint=_("if it is a slip, write “{common}”").format(common=common)))
        run = []
    return out


def _table_texts(table: m.Table):
    """(text, whether its first word starts a sentence): the labels a table states
    (caption, columns, header and total rows) are sentences; in its body cells, a
    capitalised word is a name (a commune, a person, a company)."""
    yield table.caption, True
    for column in table.columns:
        yield column.label, True
    for row in (*table.header, *table.foot):
        for cell in row.cells:
            if isinstance(cell.value, str):
                yield cell.value, True
    for row in table.body:
        for cell in row.cells:
            if isinstance(cell.value, str):
                yield cell.value, None


def _figure_texts(figure: m.Figure):
    yield figure.caption, True
    yield figure.chart.title, True
    for category in figure.chart.categories:
        yield category, False
    for series in figure.chart.series:
        yield series.name, False


class _DataLines:
    """Finds the data file and line where a table's word is written."""

    def __init__(self, data_dir: Path):
        self.files = []
        for path in sorted(data_dir.rglob("*")):
            if path.suffix.lower() in (".csv", ".yaml", ".yml") and path.is_file():
                try:
                    self.files.append((display_path(path), path.read_text(encoding="utf-8-sig").splitlines()))
                except (OSError, UnicodeDecodeError):
                    continue

    def find(self, word: str) -> tuple[str | None, int | None]:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        for shown, lines in self.files:
            for number, line in enumerate(lines, 1):
                if pattern.search(line):
                    return shown, number
        return None, None


def spelling_findings(config, result) -> list[Finding]:
    """The spelling warnings of a built report (``result`` of ``build_document``)."""
    index = result.index
    if index is None or result.document is None:
        return []
    checker = Checker(*read_word_list(config.folder / WORDS_FILE))
    collect = _Collector(checker)
    findings = []
    for text in index.texts:
        masked = mask_placeholders(text.source)
        for number, line in enumerate(masked.splitlines(), 1):
            collect.text(line, text.file, number, index.heading_at(text, number))
        findings += _odd_list_items(text.source, text.file, lambda n, t=text: index.heading_at(t, n))
    narrative = {t.chapter for t in index.texts}
    data_lines = None
    for chapter in result.document.chapters:
        label = index.heading_at_chapter(chapter.id)
        for block in chapter.blocks:
            if isinstance(block, m.Table):
                texts, where = _table_texts(block), f"{label}, " + _("table {number} “{caption}”").format(
                    number=block.number or "", caption=block.caption)
            elif isinstance(block, m.Figure):
                texts, where = _figure_texts(block), f"{label}, " + _("figure {number} “{caption}”").format(
                    number=block.number or "", caption=block.caption)
            elif isinstance(block, m.Heading) and block.level == 1 and chapter.id not in narrative:
                texts, where = [(m.plain_text(block.content), True)], label
            else:
                continue
            for value, sentence in texts:
                collect.text(value, "", None, where, sentence=sentence)
    collect.acronym_slips()
    for places in collect.places.values():
        word, file, line, where, cell = places[0]
        if not file:
            data_lines = data_lines or _DataLines(Path(config.folder) / config.data)
            file, line = data_lines.find(cell) if cell else (None, None)
            if file is None:
                file, line = data_lines.find(word)
        others = []
        for _word, other_file, other_line, other_where, _cell in places[1:]:
            shown = f"{other_file}:{other_line}" if other_file else other_where
            if shown not in others:
                others.append(shown)
        suggestion = checker.suggestion(word)
        findings.append(Finding(
            (_("unknown word “{word}”: did you mean “{suggestion}”?") if suggestion else
             _("unknown word “{word}”")).format(word=word, suggestion=suggestion),
            Level.WARNING, file, line, where=where, items=[_("also at {place}").format(place=p) for p in others],
            hint=_("correct it; if it is a name or a word of the trade, add it to {words} (one word a line, "
                   "beside rapact.toml)").format(words=WORDS_FILE)))
    return findings
