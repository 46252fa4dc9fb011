"""Writing the outputs so that nothing is ever lost.

Every format is first written to a hidden temporary file in the output
folder (``.NAME.PID-XXXX.part``). Only when all of them are written is the set
published: each previous file is kept as a hidden backup (``.old``) while the
new files are renamed over the old ones (``os.replace`` is atomic on one file
system); if any rename fails, or SIGINT/SIGTERM arrives meanwhile, the files
already replaced are restored from their backups. So the DOCX and the PDF
always come from the same build, and a failure or an interruption leaves the
previous files byte for byte as they were.

A build killed outright (``kill -9``, a power cut) cannot clean up: the next
build into the same folder removes the temporary files of dead builds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import interrupts
from .errors import Finding, RapactError, display_path
from .i18n import _
from .interrupts import Interrupted  # noqa: F401  (kept importable from here)

TEMP_SUFFIX = ".part"
BACKUP_SUFFIX = ".old"
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def prepare_output_dir(path: Path) -> Path:
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise RapactError(Finding(_("the output folder is a file: rename it or choose another --output"),
                                  file=display_path(path))) from None
    except OSError as exc:
        raise RapactError(Finding(_("cannot create the output folder: {reason}").format(reason=exc.strerror),
                                  file=display_path(path))) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise RapactError(Finding(_("the output folder is not writable"), file=display_path(path)))
    return path


def full_disk_error(folder: Path | str) -> RapactError:
    return RapactError(Finding(
        _("the output folder is full (no space left on its disk): free some space, then build again"),
        file=display_path(folder)))


def write_all(output_dir: Path, targets: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Run each writer on a temporary file, then publish all files together.

    :param targets: final file name → function writing that file to the path it
        is given. Writers run one after the other, in this process.
    :raises RapactError: naming the file or folder at fault; the previous
        files are then unchanged.
    """
    output_dir = prepare_output_dir(output_dir)
    remove_stale_files(output_dir, targets)
    temps: dict[str, Path] = {}
    try:
        with interrupts.terminate_as_exception():
            for name, write in targets.items():
                with interrupts.deferred():  # a temporary file is always known, so always removed
                    temps[name] = _new_temp(output_dir, name)
                try:
                    _write_synced(write, temps[name])
                except OSError as exc:
                    raise _write_error(exc, output_dir, name) from None
                interrupts.check()
            with interrupts.deferred():
                interrupts.check()
                return _publish(output_dir, temps)
    finally:
        with interrupts.deferred():
            for tmp in temps.values():
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _new_temp(output_dir: Path, name: str) -> Path:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=output_dir)
    except OSError as exc:
        raise _write_error(exc, output_dir, name) from None
    os.close(fd)
    return Path(tmp)


def _write_error(exc: OSError, output_dir: Path, name: str) -> RapactError:
    if exc.errno in _FULL:
        return full_disk_error(output_dir)
    if exc.errno == errno.ENAMETOOLONG:
        return RapactError(Finding(_("the output file's name is too long for this file system: shorten `name` in "
                                     "rapact.toml or the output folder's path"),
                                   file=display_path(output_dir / name)))
    return RapactError(Finding(_("cannot write the file: {reason}").format(reason=exc.strerror or exc),
                               file=display_path(output_dir / name)))


def _write_synced(write: Callable[[Path], None], path: Path) -> None:
    write(path)
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)  # mkstemp's 0600 would hide the report from the rest of the team


# ---------------------------------------------------------------- publication


def _publish(output_dir: Path, temps: dict[str, Path]) -> list[Path]:
    """Rename every temporary file over its final name, or none (run with signals deferred)."""
    finals = {name: output_dir / name for name in temps}
    problems = [_not_replaceable(final) for final in finals.values()]
    problems = [p for p in problems if p is not None]
    if problems:
        raise RapactError(problems)
    done: list[tuple[Path, Path | None]] = []  # (published file, backup of the previous one)
    backup: Path | None = None
    try:
        for name, tmp in temps.items():
            final = finals[name]
            backup = _backup(final)
            try:
                os.replace(tmp, final)
            except OSError as exc:
                raise _replace_error(final, exc) from None
            done.append((final, backup))
            backup = None
        signum = interrupts.pending()
        if signum is not None:  # arrived while publishing: the user wants the old files
            raise Interrupted(signum)
    except BaseException:
        if backup is not None:  # the file that failed was never replaced: its backup is not needed
            with contextlib.suppress(OSError):
                backup.unlink()
        _roll_back(done)
        raise
    interrupts.finished()
    for _final, old in done:
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()
    _sync_folder(output_dir)
    return [final for final, _ in done]


def _not_replaceable(final: Path) -> Finding | None:
    try:
        mode = os.lstat(final).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return Finding(_("cannot replace the file: {reason}").format(reason=exc.strerror), file=display_path(final))
    if stat.S_ISDIR(mode):
        return Finding(_("a folder has the name of this output file: rename or remove it"), file=display_path(final))
    return None


def _replace_error(final: Path, exc: OSError) -> RapactError:
    if isinstance(exc, PermissionError):
        return RapactError(Finding(
            _("cannot replace the file: is it open in another program (Word, a PDF viewer), or made read-only? "
              "Close it, then build again"), file=display_path(final)))
    if isinstance(exc, IsADirectoryError):
        return RapactError(Finding(_("a folder has the name of this output file: rename or remove it"),
                                   file=display_path(final)))
    if exc.errno in _FULL:
        return full_disk_error(final.parent)
    return RapactError(Finding(_("cannot replace the file: {reason}").format(reason=exc.strerror or exc),
                               file=display_path(final)))


def _backup(final: Path) -> Path | None:
    """A hidden copy of the previous ``final`` (a hard link when the file system allows it)."""
    if not final.exists():
        return None
    backup = final.with_name(f".{final.name}.{os.getpid()}-{os.urandom(4).hex()}{BACKUP_SUFFIX}")
    try:
        os.link(final, backup)
    except OSError:  # FAT, some network shares, an immutable file: copy it instead
        try:
            shutil.copy2(final, backup)
        except OSError as exc:
            with contextlib.suppress(OSError):
                backup.unlink()
            if exc.errno in _FULL:
                raise full_disk_error(final.parent) from None
            raise RapactError(Finding(_("cannot keep a copy of the previous file while publishing: {reason}").format(
                reason=exc.strerror or exc), file=display_path(final))) from None
    return backup


def _roll_back(done: list[tuple[Path, Path | None]]) -> None:
    lost = []
    for final, backup in reversed(done):
        try:
            if backup is None:
                final.unlink()  # there was no previous file
            else:
                os.replace(backup, final)
        except OSError as exc:
            reason = exc.strerror or exc
            lost.append(Finding(
                _("could not restore the previous file ({reason}); it is kept as {backup}").format(
                    reason=reason, backup=backup.name) if backup is not None
                else _("could not restore the previous file ({reason})").format(reason=reason),
                file=display_path(final)))
    if lost:
        raise RapactError(lost)


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ---------------------------------------------------------------- stale files


def remove_stale_files(output_dir: Path, names) -> list[Path]:
    """Remove the temporary files and backups that builds killed outright left behind.

    Only files of this module's naming (``.NAME.PID-….part`` / ``.old``, for
    the names about to be written) whose process is gone are removed: a
    build running beside this one keeps its own.
    """
    removed = []
    try:
        entries = list(os.scandir(output_dir))
    except OSError:
        return removed
    prefixes = tuple(f".{name}." for name in names)
    for entry in entries:
        if not entry.name.startswith(prefixes) or not entry.name.endswith((TEMP_SUFFIX, BACKUP_SUFFIX)):
            continue
        middle = entry.name.rsplit(".", 1)[0].rsplit(".", 1)[-1]
        pid = middle.split("-", 1)[0]
        if pid.isdigit() and process_alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (POSIX). Elsewhere: no way to ask without
    side effects; a file still open by a running build cannot be removed there anyway."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, owned by someone else
        return True
    return True
