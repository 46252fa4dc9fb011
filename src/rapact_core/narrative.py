"""Narrative chapters: Markdown whose numbers come from facts.

A chapter's Markdown is first rendered by a *sandboxed* Jinja2 environment
(``{{ members.total }}``, ``{{ finance.revenue_growth|pct(2) }}``,
``{{ section("members.categories") }}``), then parsed by markdown-it-py into
model blocks. Every placeholder is checked against the published facts before
rendering, so an unknown one is reported with its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from . import model as m
from .errors import Finding, RapactError, display_path
from .facts import Fact, FactView
from .formatting import format_number, format_value, format_variation
from .missing import MISSING, FILL_IN_TEXT
from .model import CellKind
from .text import FORBIDDEN_XML

SECTION_MARK = "\u2063section:{}\u2063"  # invisible separator: cannot come from prose
_SECTION_RE = re.compile("^\u2063section:([A-Za-z0-9_.-]+)\u2063$")
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


def _value(v):
    return v.value if isinstance(v, Fact) else v


def _finalize(value):
    if isinstance(value, Fact):
        return format_value(value.value, value.kind, value.decimals)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_value(value, CellKind.INTEGER if isinstance(value, int) else CellKind.DECIMAL)
    if isinstance(value, dict):
        raise ValueError("a placeholder names a group of facts, not a fact")
    return "" if value is None else value


def _todo_aware(fn):
    # a figure still to be filled in prints "à compléter" whatever the format asked
    def wrapper(v, *args, **kwargs):
        if _value(v) is MISSING:
            return FILL_IN_TEXT
        return fn(v, *args, **kwargs)
    return wrapper


def _filters():
    def pct(v, decimals=2):
        return format_value(_value(v), CellKind.PERCENT, decimals)

    def money(v, decimals=2):
        return format_value(_value(v), CellKind.MONEY, decimals)

    def number(v, decimals=None):
        val = _value(v)
        if decimals is None:
            decimals = v.decimals if isinstance(v, Fact) and v.decimals is not None else (
                0 if isinstance(val, int) else 2)
        return format_value(val, CellKind.DECIMAL, decimals)

    def millions(v, decimals=3):
        return format_number(Decimal(str(_value(v))) / Decimal(1_000_000), decimals)

    def variation(v, decimals=1):
        # a signed rate: {{ finance.revenue_growth|variation }} → "+39,6 %"
        return format_variation(_value(v), decimals)

    def absolute(v):
        val = _value(v)
        return Fact(v.name, abs(val), v.kind, v.decimals) if isinstance(v, Fact) else abs(val)

    filters = {"pct": pct, "money": money, "number": number, "millions": millions, "abs": absolute,
               "variation": variation}
    return {name: _todo_aware(fn) for name, fn in filters.items()}


def make_environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, finalize=_finalize, autoescape=False, keep_trailing_newline=True
    )
    env.filters.update(_filters())
    return env


def _template_context(facts: FactView, year: int, extra: dict) -> dict:
    ctx: dict = {}
    for ns, sub in facts.tree().items():
        ctx[ns] = sub
    ctx.update(extra)
    return ctx


def check_placeholders(tree, context: dict, file: str) -> list[Finding]:
    """Find every placeholder of a parsed template that names no fact, with its line."""
    from jinja2 import nodes

    problems = []
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in tree.find_all(nodes.Getattr):
        chain = []
        cur = node
        while isinstance(cur, nodes.Getattr):
            chain.append(cur.attr)
            cur = cur.node
        if not isinstance(cur, nodes.Name) or cur.name in bound:
            continue
        chain.append(cur.name)
        chain.reverse()
        # Only report the outermost chain: an inner Getattr is part of it.
        target = context.get(chain[0])
        ok = target is not None
        for part in chain[1:]:
            if not ok:
                break
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, Fact) and part in ("value", "name", "kind"):
                target = getattr(target, part)
            else:
                ok = False
        if not ok:
            problems.append(Finding(
                f"unknown placeholder {'.'.join(chain)!r}"
                + _suggest(chain, context), file=file, line=node.lineno))
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in context and node.name not in bound:
            problems.append(Finding(f"unknown placeholder {node.name!r}", file=file, line=node.lineno))
    # de-duplicate nested chains (a.b.c also yields a.b)
    seen, unique = set(), []
    for f in problems:
        key = (f.line, f.message.split("'")[1] if "'" in f.message else f.message)
        if not any(k[0] == key[0] and k[1].startswith(key[1] + ".") for k in seen) and key not in seen:
            seen.add(key)
            unique.append(f)
    return [f for f in unique if not any(
        g is not f and g.line == f.line and g.message.startswith("unknown placeholder")
        and g.message.split("'")[1].startswith(f.message.split("'")[1] + ".") for g in unique)]


def _suggest(chain, context) -> str:
    import difflib

    ns = context.get(chain[0])
    if isinstance(ns, dict) and len(chain) > 1:
        names = difflib.get_close_matches(chain[1], list(ns), n=1)
        if names:
            return f" (did you mean {chain[0]}.{names[0]}?)"
        return f" (known in {chain[0]}: {', '.join(sorted(ns)[:12])})"
    if ns is None:
        known = sorted(k for k, v in context.items() if isinstance(v, dict))
        return f" (known namespaces: {', '.join(known)})"
    return ""


def render_template(source: str, *, file: str, facts: FactView, year: int,
                    sections: Callable[[str], bool], extra: dict | None = None) -> str:
    """Run the sandboxed template; raise RapactError with every problem found."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    env = make_environment()
    used_sections: list[str] = []

    def section(section_id: str) -> str:
        if not sections(section_id):
            raise ValueError(f"unknown section {section_id!r}")
        used_sections.append(section_id)
        return "\n\n" + SECTION_MARK.format(section_id) + "\n\n"

    context = _template_context(facts, year, extra or {})
    context["section"] = section
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise RapactError(Finding(f"template syntax error: {exc.message}", file=file, line=exc.lineno)) from None
    problems = check_placeholders(tree, context, file)
    if problems:
        raise RapactError(problems)
    try:
        # the parsed tree is compiled as it is: each text is parsed once
        return env.from_string(tree).render(context)
    except SecurityError as exc:
        raise RapactError(Finding(f"forbidden in a template: {exc}", file=file, line=_tb_line(exc))) from None
    except (TemplateError, ValueError, TypeError, ArithmeticError) as exc:
        raise RapactError(Finding(f"template error: {exc}", file=file, line=_tb_line(exc))) from None


def _tb_line(exc) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# ---------------------------------------------------------------- Markdown → blocks


def _inline_tokens(children, file: str, line: int) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    bold = italic = 0
    link: list | None = None
    target = ""
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
                    f"link target {target!r} is not allowed (expected an http, https or mailto link)",
                    file=file, line=line))
            link = []
        elif t == "link_close":
            out.append(m.Link(tuple(link or ()), target))
            link = None
        elif t in ("text", "code_inline", "html_inline"):
            if tok.content:
                run = m.Text(tok.content, bool(bold), bool(italic))
                (link if link is not None else out).append(run)
        elif t == "softbreak":
            (link if link is not None else out).append(m.Text(" ", bool(bold), bool(italic)))
        elif t == "hardbreak":
            out.append(m.LineBreak())
        elif t == "image":
            raise RapactError(Finding("images inside a paragraph are not supported; put the image on its own line",
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


def markdown_to_blocks(text: str, *, file: str, section_blocks: Callable[[str], list] | None = None) -> list:
    """Parse Markdown into blocks. ``##`` is a level-2 heading (3.1)."""
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    bad = FORBIDDEN_XML.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise RapactError(Finding(
            f"the text holds a control character U+{ord(bad.group()):04X} that documents cannot contain",
            file=file, line=line))
    md = MarkdownIt("commonmark")
    md.validateLink = lambda _url: True  # we check schemes ourselves, with a message
    tree = SyntaxTreeNode(md.parse(text))
    blocks: list = []
    problems: list[Finding] = []

    def line_of(node) -> int:
        return (node.map[0] + 1) if node.map else None

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
                    problems.append(Finding(f"unsupported Markdown inside a list item: {part.type}",
                                            file=file, line=line_of(part)))
            items.append(m.ListItem(content, child_list))
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        return m.ListBlock(items, ordered, start)

    for node in tree.children:
        try:
            if node.type == "heading":
                level = int(node.tag[1])
                if level == 1:
                    problems.append(Finding(
                        "a single '#' heading is not allowed: the chapter title comes from rapact.toml; "
                        "use '##' for sections", file=file, line=line_of(node)))
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
                problems.append(Finding("raw HTML is not supported in the narrative", file=file, line=line_of(node)))
            elif node.type in ("fence", "code_block"):
                blocks.append(m.Paragraph(node.content.rstrip("\n"), m.ParagraphStyle.NOTE))
            else:
                problems.append(Finding(f"unsupported Markdown element {node.type}", file=file, line=line_of(node)))
        except RapactError as exc:
            problems.extend(exc.findings)
    if problems:
        raise RapactError(problems)
    return blocks


def read_text_file(path: Path) -> str:
    shown = display_path(path)
    if not path.is_file():
        raise RapactError(Finding("missing narrative file", file=shown))
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        line = raw[: exc.start].count(b"\n") + 1
        raise RapactError(Finding("the text is not UTF-8; save it as UTF-8", file=shown, line=line)) from None
