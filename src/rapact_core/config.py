"""``rapact.toml``: the one file editors touch.

Validated with cattrs, strictly: ``enabled = "yes"`` is an error (cattrs
would turn it into ``True``), unknown keys are errors, and every message names
the key path, what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import cattrs
from attrs import field, frozen
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from .errors import Finding, RapactError, display_path
from . import i18n
from .i18n import N_, _, quoted
from .limits import MAX_NAME_BYTES
from .text import forbidden_strings

FORMATS = ("docx", "pdf", "html")
#: ``[report] negative_amounts``: how every money column prints a negative amount
NEGATIVE_AMOUNTS = ("minus", "parentheses")
#: what a configuration without `formats` builds
DEFAULT_FORMATS = ("docx", "pdf")


def _tuple(v):
    return tuple(v)


@frozen
class SignatoryConfig:
    name: str
    role: str


@frozen
class ReportConfig:
    title: str
    reference: str
    organisation: str
    year: int
    locale: str = "fr_BE"
    subject: str = ""
    logo: str | None = None
    date: dt.date | None = None
    signatories: tuple[SignatoryConfig, ...] = field(converter=_tuple, factory=tuple)
    #: "minus" (-942 570,79 €) or "parentheses" ((942 570,79) €), for every money column
    negative_amounts: str = "minus"


@frozen
class ChapterConfig:
    """One ``[[chapters]]`` entry: a chapter the report is built with.

    The entries' order is the chapters' order. ``enabled = false`` leaves
    the chapter out; ``title`` overrides its title; ``default_position =
    true`` places it at its plugin's default position (``ChapterSpec.position``)
    among the others, wherever the entry stands.
    """

    id: str
    enabled: bool = True
    title: str | None = None
    default_position: bool = False


@frozen
class Config:
    report: ReportConfig
    chapters: tuple[ChapterConfig, ...] = field(converter=_tuple, factory=tuple)
    data: str = "data"
    texts: str = "texts"
    output: str = "output"
    name: str = "rapport"
    formats: tuple[str, ...] = field(converter=_tuple, default=DEFAULT_FORMATS)
    template: str | None = None
    disabled_plugins: tuple[str, ...] = field(converter=_tuple, factory=tuple)
    path: Path | None = None  # the file it was read from; not a TOML key

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def _strict(kind: type, name: str):
    def hook(value, _type):
        if type(value) is not kind:
            raise TypeError(_("expected {what}, found {found}").format(what=_(name), found=quoted(value)))
        return value
    return hook


def _date(value, _type):
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(_("expected a date such as 2022-06-30, found {found}").format(found=quoted(value)))
    return value


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(bool, _strict(bool, N_("true or false")))
    conv.register_structure_hook(int, _strict(int, N_("a whole number")))
    conv.register_structure_hook(str, _strict(str, N_("a quoted string")))
    conv.register_structure_hook(dt.date, _date)
    return conv


def _flatten(exc, path: str):
    """Yield (key path, message) for each leaf of a cattrs error group.

    cattrs attaches a note to each sub-exception, such as "Structuring class
    Config @ attribute report" or "Structuring typing.Tuple @ index 2".
    """
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        for sub in exc.exceptions:
            notes = [str(n) for n in getattr(sub, "__notes__", None) or []]
            note = notes[-1] if notes else ""
            sub_path = path
            if "@ attribute " in note:
                attr = note.split("@ attribute ")[-1]
                sub_path = f"{path}.{attr}" if path else attr
            elif "@ index " in note:
                sub_path = f"{path}[{note.split('@ index ')[-1]}]"
            yield from _flatten(sub, sub_path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield (f"{path}.{key}" if path else key, _("unknown key"))
    elif isinstance(exc, KeyError):
        yield (path, _("required key missing"))
    else:
        yield (path, str(exc))


def load_config(path: Path | str, *, follow: bool = True) -> Config:
    """Read and validate a ``rapact.toml``; raise RapactError listing every problem."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise RapactError(Finding(_("configuration file not found (use --config PATH)"), file=shown), exit_code=3)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise RapactError(Finding(_("the configuration is not UTF-8 text"), file=shown), exit_code=3) from None
    except OSError as exc:
        raise RapactError(Finding(_("cannot read the configuration: {reason}").format(reason=exc.strerror or exc),
                                  file=shown),
                          exit_code=3) from None
    except tomllib.TOMLDecodeError as exc:
        line = None
        msg = str(exc)
        if "(at line " in msg:
            try:
                line = int(msg.split("(at line ")[1].split(",")[0])
            except ValueError:
                line = None
            msg = msg.split(" (at line ")[0]
        raise RapactError(Finding(_("invalid TOML: {problem}").format(problem=msg), file=shown, line=line),
                          exit_code=3) from None
    if "use" in raw:
        if not follow:
            raise RapactError(Finding(_("a configuration named by 'use' must not itself hold 'use'"), file=shown,
                                      field="use"), exit_code=3)
        return _follow(raw, path)
    return config_from_dict(raw, path)


def _follow(raw: dict, path: Path) -> Config:
    """A configuration that only says ``use = "reports/2021/rapact.toml"`` points to another."""
    from .context import inside

    shown = display_path(path)
    extra = sorted(set(raw) - {"use"})
    if extra:
        raise RapactError([Finding(_("unknown key next to 'use' (a pointer file holds only 'use')"), file=shown,
                                   field=k) for k in extra], exit_code=3)
    if not isinstance(raw["use"], str):
        raise RapactError(Finding(_("expected a quoted path, found {found}").format(found=quoted(raw["use"])),
                                  file=shown, field="use"),
                          exit_code=3)
    target = inside(path.parent, raw["use"], what=N_("configuration"), file=path, line=_line_of(path, "use"),
                    field="use", exit_code=3)
    if not target.is_file():
        raise RapactError(Finding(_("the configuration it points to, {path}, does not exist").format(
            path=raw["use"]), file=shown,
                                  line=_line_of(path, "use"), field="use"), exit_code=3)
    return load_config(target, follow=False)


def year_config(root: Path | str, year: int) -> Path:
    """``reports/<year>/rapact.toml`` next to the root configuration."""
    return Path(root).parent / "reports" / str(year) / "rapact.toml"


def config_from_dict(raw: dict, path: Path | None = None) -> Config:
    shown = display_path(path) if path else "rapact.toml"
    if "path" in raw:
        raise RapactError(Finding(_("unknown key"), file=shown, field="path"), exit_code=3)
    try:
        config = _converter().structure(raw, Config)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as exc:
        findings = [
            Finding(msg, file=shown, line=_line_of(path, key), field=key or None)
            for key, msg in _flatten(exc, "")
        ]
        raise RapactError(findings, exit_code=3) from None
    problems = [Finding(_("the text holds a control character ({character}) that documents cannot contain").format(
                            character=bad),
                        file=shown, line=_line_of(path, key), field=key) for key, bad in forbidden_strings(raw)]
    if not config.formats:
        problems.append(Finding(_("no format to build: list at least one of {formats}").format(
                                    formats=", ".join(FORMATS)),
                                file=shown, line=_line_of(path, "formats"), field="formats"))
    for i, fmt in enumerate(config.formats):
        if fmt not in FORMATS:
            problems.append(Finding(_("unknown format {format}, expected one of {formats}").format(
                                        format=quoted(fmt), formats=", ".join(FORMATS)),
                                    file=shown, field=f"formats[{i}]"))
    if config.report.negative_amounts not in NEGATIVE_AMOUNTS:
        problems.append(Finding(_("unknown value {value} for how negative amounts print: expected \"minus\" "
                                  "(-942 570,79 €) or \"parentheses\" ((942 570,79) €)").format(
                                      value=quoted(config.report.negative_amounts)),
                                file=shown, line=_line_of(path, "report.negative_amounts"),
                                field="report.negative_amounts"))
    if not config.name or "/" in config.name or "\\" in config.name or config.name.startswith("."):
        problems.append(Finding(_("the output name {name} must be a plain file name, without folders").format(
                                    name=quoted(config.name)),
                                file=shown, field="name"))
    elif len(config.name.encode("utf-8")) > MAX_NAME_BYTES:
        problems.append(Finding(_("the output name is {length} bytes long: file systems allow at most {most} "
                                  "here (with the extension and the temporary file's marks); shorten it").format(
                                      length=len(config.name.encode("utf-8")), most=MAX_NAME_BYTES), file=shown, line=_line_of(path, "name"), field="name"))
    seen: dict[str, int] = {}
    for i, ch in enumerate(config.chapters):
        if ch.id in seen:
            problems.append(Finding(_("chapter {id} is listed twice (first at chapters[{first}])").format(
                                        id=quoted(ch.id), first=seen[ch.id]),
                                    file=shown, line=_line_of(path, f"id = \"{ch.id}\"", nth=2),
                                    field=f"chapters[{i}].id"))
        seen.setdefault(ch.id, i)
    if problems:
        raise RapactError(problems, exit_code=3)
    i18n.follow_report(config.report.locale)  # its language speaks, unless --lang or the system names one
    return Config(
        report=config.report, chapters=config.chapters, data=config.data, texts=config.texts,
        output=config.output, name=config.name, formats=config.formats, template=config.template,
        disabled_plugins=config.disabled_plugins, path=path.resolve() if path else None,
    )


def key_line(path: Path | None, key: str) -> int | None:
    """The line of a key path (``report.logo``, ``chapters[3].title``) in a configuration file, if found."""
    return _line_of(path, key)


def _line_of(path: Path | None, key: str | None, nth: int = 1) -> int | None:
    """Best-effort line of a key path's last component in the TOML text."""
    if path is None or not key:
        return None
    needle = key.split(".")[-1].split("[")[0]
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return None
    if " = " in needle or "=" in needle:
        hits = [n for n, text in enumerate(lines, 1) if text.strip().replace(" ", "") == needle.replace(" ", "")]
        return hits[nth - 1] if len(hits) >= nth else None
    return _key_line(lines, key)


def _key_line(lines: list[str], key: str) -> int | None:
    """The line of a key path such as ``name``, ``report.title``,
    ``report.signatories[1].name`` or ``chapters[3].enabled``: the tables'
    headers are found first (the 2nd ``[[report.signatories]]``), then the key
    in the table, before the next header."""
    parts = re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", key)
    start, tables = 0, []
    for name, index in parts[:-1] if len(parts) > 1 else []:
        tables.append(name)
        header = ".".join(tables)
        wanted = f"[[{header}]]" if index else f"[{header}]"
        hits = [n for n, text in enumerate(lines) if text.strip() == wanted]
        nth = int(index) if index else 0
        if nth < len(hits):
            start = hits[nth]
    last, index = parts[-1] if parts else ("", "")
    if len(parts) == 1 and index:  # chapters[3]: the table itself (or formats[1]: the array's line)
        hits = [n for n, text in enumerate(lines) if text.strip() == f"[[{last}]]"]
        if int(index) < len(hits):
            return hits[int(index)] + 1
    for n in range(start, len(lines)):
        if n > start and lines[n].lstrip().startswith("["):
            break
        if re.match(rf"^\s*{re.escape(last)}\s*=", lines[n]):
            return n + 1
    return start + 1 if start else None
