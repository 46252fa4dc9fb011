"""A chapter's Markdown, once its placeholders are filled in, as model blocks.

markdown-it-py parses CommonMark; the supported subset (headings from ``##``,
paragraphs, lists, quotations, pictures, links to the web) becomes model
blocks, anything else an error at its line. A paragraph longer than
``MAX_PARAGRAPH_CHARS`` and structures nested deeper than ``MAX_NESTING`` are
refused (:mod:`rapact_core.limits`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from . import model as m
from .errors import Finding, RapactError, display_path
from .i18n import _, number_text, quoted
from .limits import MAX_MARKDOWN_BYTES, MAX_NESTING, MAX_PARAGRAPH_CHARS
from .text import FORBIDDEN_XML

SECTION_MARK = "\u2063section:{}\u2063"  # invisible separator: cannot come from prose
_SECTION_RE = re.compile("^\u2063section:([A-Za-z0-9_.-]+)\u2063$")
#: what ``{{ ref("id") }}`` prints, turned into a model ``Ref`` here
REF_MARK = "\u2063ref:{}\u2063"
REF_ID = re.compile(r"[A-Za-z0-9_.-]+\Z")
_REF_RE = re.compile("\u2063ref:([A-Za-z0-9_.-]+)\u2063")
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


def _runs(text: str, bold: bool, italic: bool, file: str, line: int | None, in_link: bool) -> list[m.Inline]:
    """Text runs, and a ``Ref`` for each ``{{ ref("id") }}`` in ``text``."""
    if "\u2063" not in text:
        return [m.Text(text, bold, italic)]
    out: list[m.Inline] = []
    at = 0
    for match in _REF_RE.finditer(text):
        if in_link:
            raise RapactError(Finding(_("ref() cannot be inside a link: a reference is a link itself"),
                                      file=file, line=line))
        if match.start() > at:
            out.append(m.Text(text[at:match.start()], bold, italic))
        out.append(m.Ref(match.group(1), file=file, line=line))
        at = match.end()
    if at < len(text):
        out.append(m.Text(text[at:], bold, italic))
    return out


#: symbols an editor types at the start of list items to use them as bullets ("- ✓ La gestion
#: de projets"): a list whose items all start with the same one shows it as its bullet
SYMBOL_BULLETS = frozenset("✓✔☑✗✘☒→⇒➔►▸▶▪■□◆◇★☆–—•◦")


def _symbol_bullet(items: list[m.ListItem]) -> tuple[str | None, list[m.ListItem]]:
    """The symbol every item starts with (followed by a space), and the items without it;
    ``None`` and the items as they are when they do not all start with the same one."""
    starts = []
    for item in items:
        first = item.content[0] if item.content else None
        text = first.text if isinstance(first, m.Text) else ""
        if len(text) < 2 or text[0] not in SYMBOL_BULLETS or not text[1].isspace():
            return None, items
        starts.append(text[0])
    if len(set(starts)) != 1:
        return None, items
    out = []
    for item in items:
        first, rest = item.content[0], item.content[1:]
        text = first.text[1:].lstrip()
        content = ((m.Text(text, first.bold, first.italic),) if text else ()) + rest
        out.append(m.ListItem(content, item.children))
    return starts[0], out


def _inline_tokens(children, file: str, line: int) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    bold = italic = 0
    link: list | None = None
    target = ""
    breaks = 0  # lines of the paragraph above the current token
    for tok in children or ():
        t = tok.type
        if t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            target = tok.attrs.get("href", "")
            if not target.lower().startswith(ALLOWED_SCHEMES):
                raise RapactError(Finding(
                    _("link target {target} is not allowed (expected an http, https or mailto link)").format(
                        target=quoted(target)),
                    file=file, line=line))
            link = []
        elif t == "link_close":
            out.append(m.Link(tuple(link or ()), target))
            link = None
        elif t in ("text", "code_inline", "html_inline"):
            if tok.content:
                runs = _runs(tok.content, bool(bold), bool(italic), file,
                             None if line is None else line + breaks, link is not None)
                (link if link is not None else out).extend(runs)
        elif t == "softbreak":
            breaks += 1
            (link if link is not None else out).append(m.Text(" ", bool(bold), bool(italic)))
        elif t == "hardbreak":
            breaks += 1
            out.append(m.LineBreak())
        elif t == "image":
            raise RapactError(Finding(_("images inside a paragraph are not supported; put the image on its own "
                                        "line"),
                                      file=file, line=line))
    return _merge(out)


def _flat(node) -> list:
    """The flat inline tokens of a block node (paragraph, heading)."""
    if not node.children:
        return []
    token = node.children[0].token
    return list(token.children or []) if token is not None else []


def _merge(runs: list[m.Inline]) -> tuple[m.Inline, ...]:
    merged: list[m.Inline] = []
    for r in runs:
        if merged and isinstance(r, m.Text) and isinstance(merged[-1], m.Text) \
                and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic):
            merged[-1] = m.Text(merged[-1].text + r.text, r.bold, r.italic)
        else:
            merged.append(r)
    return tuple(merged)


def markdown_to_blocks(text: str, *, file: str, section_blocks: Callable[[str], list] | None = None,
                       line_map: Callable[[int], int] | None = None,
                       on_image: Callable[[str, int | None], None] | None = None) -> list:
    """Parse Markdown into blocks. ``##`` is a level-2 heading (3.1).

    :param line_map: the source line of a line of ``text`` (see
        :meth:`RenderedText.source_line`), for messages.
    :param on_image: called with each picture's path and line; raises
        RapactError for a picture that cannot be used.
    :raises RapactError: for every problem, each with its line; a paragraph
        longer than ``MAX_PARAGRAPH_CHARS`` or structures nested deeper than
        ``MAX_NESTING`` are refused (:mod:`rapact_core.limits`).
    """
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    def source(line: int | None) -> int | None:
        if line is None:
            return None
        return line_map(line) if line_map is not None else line

    bad = FORBIDDEN_XML.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise RapactError(Finding(
            _("the text holds a control character {character} that documents cannot contain").format(
                character=f"U+{ord(bad.group()):04X}"),
            file=file, line=source(line)))
    md = MarkdownIt("commonmark")
    md.validateLink = lambda _url: True  # we check schemes ourselves, with a message
    tokens = md.parse(text)
    too_big = _check_sizes(tokens)
    if too_big:
        raise RapactError([Finding(message, file=file, line=source(line)) for line, message in too_big])
    try:
        tree = SyntaxTreeNode(tokens)
    except RecursionError:  # _check_sizes bounds the nesting: a safety net only
        raise RapactError(Finding(_("the text is nested too deeply"), file=file)) from None
    blocks: list = []
    problems: list[Finding] = []

    def line_of(node) -> int:
        return source(node.map[0] + 1) if node.map else None

    def convert_list(node) -> m.ListBlock:
        items = []
        for li in node.children:
            content: tuple = ()
            child_list = None
            for part in li.children:
                if part.type == "paragraph":
                    inl = _inline_tokens(_flat(part), file, line_of(part))
                    content = content + ((m.Text(" "),) if content else ()) + inl
                elif part.type in ("bullet_list", "ordered_list"):
                    child_list = convert_list(part)
                else:
                    problems.append(Finding(_("unsupported Markdown inside a list item: {element}").format(
                                                element=part.type),
                                            file=file, line=line_of(part)))
            items.append(m.ListItem(content, child_list))
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        bullet = None
        if not ordered:  # "- ✓ text" on every item: ✓ is the bullet, not a second one after it
            bullet, items = _symbol_bullet(items)
        return m.ListBlock(items, ordered, start, bullet)

    for node in tree.children:
        try:
            if node.type == "heading":
                level = int(node.tag[1])
                if level == 1:
                    problems.append(Finding(
                        _("a single '#' heading is not allowed: the chapter title comes from rapact.toml; use '##' "
                          "for sections"), file=file, line=line_of(node)))
                    continue
                blocks.append(m.Heading(level, _inline_tokens(_flat(node), file, line_of(node))))
            elif node.type == "paragraph":
                inline = node.children[0] if node.children else None
                raw = inline.content.strip() if inline is not None else ""
                match = _SECTION_RE.match(raw)
                if match:
                    if section_blocks is not None:
                        blocks.extend(section_blocks(match.group(1)))
                    continue
                kids = _flat(node)
                if len(kids) == 1 and kids[0].type == "image":
                    img = kids[0]
                    src = img.attrs.get("src", "")
                    if on_image is not None:
                        on_image(str(src), line_of(node))
                    blocks.append(m.Image(str(src), img.content or ""))
                    continue
                content = _inline_tokens(kids, file, line_of(node))
                if content:
                    blocks.append(m.Paragraph(content))
            elif node.type in ("bullet_list", "ordered_list"):
                blocks.append(convert_list(node))
            elif node.type == "blockquote":
                for child in node.children:
                    if child.type == "paragraph":
                        blocks.append(m.Paragraph(
                            _inline_tokens(_flat(child), file, line_of(child)),
                            m.ParagraphStyle.QUOTE))
            elif node.type == "hr":
                blocks.append(m.PageBreak())
            elif node.type in ("html_block",):
                problems.append(Finding(_("raw HTML is not supported in the narrative"), file=file,
                                        line=line_of(node)))
            elif node.type in ("fence", "code_block"):
                blocks.append(m.Paragraph(node.content.rstrip("\n"), m.ParagraphStyle.NOTE))
            else:
                problems.append(Finding(_("unsupported Markdown element {element}").format(element=node.type),
                                        file=file, line=line_of(node)))
        except RapactError as exc:
            problems.extend(exc.findings)
    if problems:
        raise RapactError(problems)
    return blocks


def _check_sizes(tokens) -> list[tuple[int | None, str]]:
    """(line, message) for each paragraph too long and each structure nested too deeply.

    markdown-it parses without recursion, but its syntax tree recurses once
    per level (3,000 nested emphasis marks exhaust Python's stack), and
    breaking a long paragraph into lines is slow in the PDF writer.
    """
    problems = []
    block_line = None
    for token in tokens:
        if token.map:
            block_line = token.map[0] + 1
        depth = token.level + max((child.level for child in token.children or ()), default=0)
        if depth > MAX_NESTING:
            problems.append((block_line, _("lists, quotations or emphasis nested more than {most} levels deep").format(
                most=MAX_NESTING)))
            break
        if token.type in ("inline", "fence", "code_block") and len(token.content) > MAX_PARAGRAPH_CHARS:
            problems.append((block_line, _("a paragraph of {count} characters: at most {most}; split it with blank "
                                           "lines").format(count=number_text(len(token.content)),
                                                           most=number_text(MAX_PARAGRAPH_CHARS))))
    return problems


def read_text_file(path: Path) -> str:
    shown = display_path(path)
    if not path.is_file():
        raise RapactError(Finding(_("missing narrative file"), file=shown))
    try:
        size = path.stat().st_size
        if size > MAX_MARKDOWN_BYTES:
            raise RapactError(Finding(_("the text is {size} bytes long: a chapter may hold at most {most}; split it, "
                                        "or move tables to data files").format(
                                            size=number_text(size), most=number_text(MAX_MARKDOWN_BYTES)), file=shown))
        raw = path.read_bytes()
    except OSError as exc:
        raise RapactError(Finding(_("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                                  file=shown)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RapactError(Finding(_("the text is not UTF-8; save it as UTF-8"), file=shown, line=line)) from None
