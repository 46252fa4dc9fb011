"""Narrative chapters: Markdown whose numbers come from facts.

A chapter's Markdown is first rendered by a *sandboxed* Jinja2 environment
(``{{ members.total }}``, ``{{ finance.revenue_growth|pct(2) }}``,
``{{ section("members.categories") }}``, ``{{ ref("governance.attendance") }}``
for "Tableau 12"), then parsed by markdown-it-py into
model blocks (:mod:`rapact_core.markdown`). Every placeholder is checked
against the published facts before rendering, so an unknown one is reported
with its file and line; what a template computes is bounded
(:mod:`rapact_core.sandbox`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from attrs import frozen

from . import wording
from .errors import Finding, RapactError
from .facts import Fact, FactView
from .i18n import _, number_text, quoted
from .formatting import format_number, format_value, format_variation
from .limits import MAX_MARKDOWN_BYTES
from .markdown import (ALLOWED_SCHEMES, REF_ID, REF_MARK, SECTION_MARK, markdown_to_blocks,  # noqa: F401 - re-exported
                       read_text_file)
from .missing import FILL_IN_TEXT, MISSING
from .model import CellKind

_SECTION_EXTRA_LINES = 4  # the blank lines around a section's mark, which the source does not have


def _value(v):
    return v.value if isinstance(v, Fact) else v


def _finalize(value):
    if isinstance(value, Fact):
        return format_value(value.value, value.kind, value.decimals)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_value(value, CellKind.INTEGER if isinstance(value, int) else CellKind.DECIMAL)
    if isinstance(value, dict):
        raise ValueError(_("a placeholder names a group of facts, not a fact"))
    return "" if value is None else value


def _decimals(v, given, default: int) -> int:
    """The decimals a filter prints: those given, else the fact's own, else ``default``."""
    if given is not None:
        return given
    return v.decimals if isinstance(v, Fact) and v.decimals is not None else default


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

    def variation(v, decimals=None):
        # a signed rate at the fact's own precision: {{ finance.revenue_growth|variation }} → "+14,36 %"
        return format_variation(_value(v), _decimals(v, decimals, 1))

    def environ(v):
        # {{ products.on_order|environ }} → "une soixantaine"
        return wording.approximately(_value(v))

    def hausse_baisse(v, decimals=None):
        # {{ finance.subsidies_change|hausse_baisse }} → "une baisse de 58 %"
        return wording.rise_or_fall(_value(v), _decimals(v, decimals, 2))

    def en_lettres(v, genre=""):
        # {{ members.total|en_lettres }} → "trois cent soixante-deux"; ("f") → "vingt et une"
        if genre not in ("", "m", "f"):
            raise ValueError(_("en_lettres: genre 'm' or 'f' expected, found {found}").format(found=quoted(genre)))
        return wording.in_words(_value(v), feminine=genre == "f")

    def texte(v):
        # a number the editor confirms as text, not a figure: {{ "7"|texte }} (never reported as typed)
        return str(_value(v))

    def absolute(v):
        val = _value(v)
        return Fact(v.name, abs(val), v.kind, v.decimals) if isinstance(v, Fact) else abs(val)

    filters = {"pct": pct, "money": money, "number": number, "millions": millions, "abs": absolute,
               "variation": variation, "environ": environ, "hausse_baisse": hausse_baisse,
               "en_lettres": en_lettres, "texte": texte}
    return {name: _todo_aware(fn) for name, fn in filters.items()}


def make_environment():
    """A fresh bounded sandbox (:mod:`rapact_core.sandbox`) with rapact's filters; one per text."""
    from jinja2 import StrictUndefined

    from .sandbox import BoundedEnvironment

    env = BoundedEnvironment(
        undefined=StrictUndefined, finalize=_finalize, autoescape=False, keep_trailing_newline=True
    )
    env.filters.update(_filters())
    env.bound_filters()
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
            problems.append((".".join(chain), Finding(
                _("unknown placeholder {name}").format(name=quoted(".".join(chain))) + _suggest(chain, context),
                file=file, line=node.lineno)))
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in context and node.name not in bound:
            problems.append((node.name, Finding(_("unknown placeholder {name}").format(name=quoted(node.name)),
                                                file=file, line=node.lineno)))
    # de-duplicate nested chains (a.b.c also yields a.b)
    seen, unique = set(), []
    for name, f in problems:
        key = (f.line, name)
        if not any(k[0] == key[0] and k[1].startswith(key[1] + ".") for k in seen) and key not in seen:
            seen.add(key)
            unique.append((name, f))
    return [f for name, f in unique if not any(
        g is not f and g.line == f.line and other.startswith(name + ".") for other, g in unique)]


def _suggest(chain, context) -> str:
    import difflib

    ns = context.get(chain[0])
    if isinstance(ns, dict) and len(chain) > 1:
        names = difflib.get_close_matches(chain[1], list(ns), n=1)
        if names:
            return _(" (did you mean {name}?)").format(name=f"{chain[0]}.{names[0]}")
        return _(" (known in {namespace}: {names})").format(namespace=chain[0], names=", ".join(sorted(ns)[:12]))
    if ns is None:
        known = sorted(k for k, v in context.items() if isinstance(v, dict))
        return _(" (known namespaces: {names})").format(names=", ".join(known))
    return ""


@frozen
class RenderedText:
    """A chapter's Markdown once its placeholders are filled in, and where its lines come from.

    ``{{ section("id") }}`` puts its table on lines of its own (four more
    than the call takes): ``anchors`` record, for each call, the rendered line
    where its output starts and the source line of the call, so that a
    message about a later line names the line the editor wrote.
    """

    text: str
    anchors: tuple[tuple[int, int], ...] = ()

    def source_line(self, line: int | None) -> int | None:
        if line is None:
            return None
        source = line
        for rendered, call_line in self.anchors:
            if rendered > line:
                break
            source = call_line + max(0, line - rendered - _SECTION_EXTRA_LINES)
        return source


def render_template(source: str, *, file: str, facts: FactView, year: int,
                    sections: Callable[[str], bool], extra: dict | None = None) -> str:
    """Run the sandboxed template; raise RapactError with every problem found."""
    return render_text(source, file=file, facts=facts, year=year, sections=sections, extra=extra).text


def render_text(source: str, *, file: str, facts: FactView, year: int,
                sections: Callable[[str], bool], extra: dict | None = None) -> RenderedText:
    """Run the sandboxed template (bounded: :mod:`rapact_core.sandbox`); raise RapactError
    with every problem found, each at its line."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    from .sandbox import TemplateLimit, bound_tree, check_tags

    env = make_environment()
    anchors: list[tuple[int, int]] = []
    newlines = [0]  # newlines of the output so far: where a section's output starts

    def section(section_id: str, _line: int | None = None) -> str:
        if not sections(section_id):
            raise ValueError(_("unknown section {id}").format(id=quoted(section_id)))
        if _line is not None:
            anchors.append((newlines[0] + 1, _line))
        return "\n\n" + SECTION_MARK.format(section_id) + "\n\n"

    def ref(target) -> str:
        # resolved when the document is assembled: a reference may point to a later chapter
        if not isinstance(target, str) or not REF_ID.match(target):
            raise ValueError(_("ref() takes the id of a table or a figure, such as ref(\"governance.attendance\"); "
                               "got {found}").format(found=quoted(target)))
        return REF_MARK.format(target)

    context = _template_context(facts, year, extra or {})
    context["section"] = section
    context["ref"] = ref
    try:
        too_big = check_tags(env, source)
        if too_big is not None:
            raise RapactError(Finding(_("the text holds {what}: simplify it").format(what=too_big[1]), file=file,
                                      line=too_big[0]))
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise RapactError(Finding(_("template syntax error: {error}").format(error=exc.message), file=file,
                                  line=exc.lineno)) from None
    except (ValueError, RecursionError) as exc:
        raise RapactError(Finding(_("template syntax error: {error}").format(error=exc), file=file)) from None
    problems = check_placeholders(tree, context, file)
    if problems:
        raise RapactError(problems)
    chunks: list[str] = []
    size = 0
    try:
        # the parsed tree is compiled as it is: each text is parsed once
        for chunk in env.from_string(bound_tree(tree)).generate(context):
            size += len(chunk)
            if size > MAX_MARKDOWN_BYTES:
                raise TemplateLimit(_("the text grows beyond {most} characters once its placeholders are filled "
                                      "in").format(most=number_text(MAX_MARKDOWN_BYTES)))
            newlines[0] += chunk.count("\n")
            chunks.append(chunk)
    except TemplateLimit as exc:
        # raised in the template, or here for its output: then the line being written
        line = _tb_line(exc) or RenderedText("", tuple(anchors)).source_line(newlines[0] + 1)
        raise RapactError(Finding(_("the template computes too much: {error}").format(error=exc), file=file,
                                  line=line)) from None
    except SecurityError as exc:
        raise RapactError(Finding(_("forbidden in a template: {error}").format(error=exc), file=file,
                                  line=_tb_line(exc))) from None
    except RecursionError as exc:
        raise RapactError(Finding(_("the template calls itself too deeply (a macro or a recursive loop)"),
                                  file=file, line=_tb_line(exc))) from None
    except (TemplateError, ValueError, TypeError, ArithmeticError) as exc:
        # an unknown filter is found when the tree is compiled: the error carries its line
        line = getattr(exc, "lineno", None) or _tb_line(exc)
        raise RapactError(Finding(_("template error: {error}").format(error=exc), file=file, line=line)) from None
    return RenderedText("".join(chunks), tuple(anchors))


def _tb_line(exc) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
