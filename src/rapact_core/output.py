"""Writing the outputs so that nothing is ever lost.

Every format is first written to a hidden temporary file in the output
folder; only when all of them succeeded are they renamed over the previous
files (``os.replace`` is atomic on one file system). A failure or an
interruption (Ctrl-C, SIGTERM) removes the temporary files and leaves the
previous DOCX and PDF byte-for-byte as they were.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import Finding, RapactError, display_path


class Interrupted(BaseException):
    """Raised in the build when SIGTERM arrives, so clean-up code runs."""


@contextlib.contextmanager
def _terminate_as_exception():
    def handler(signum, frame):
        raise Interrupted(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def prepare_output_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RapactError(Finding(f"cannot create the output folder: {exc.strerror}", file=display_path(path))) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise RapactError(Finding("the output folder is not writable", file=display_path(path)))
    return path


def write_all(output_dir: Path, targets: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Run each writer on a temporary file, then publish all files together.

    :param targets: final file name → function writing that file to the path it
        is given. Writers run one after the other, in this process.
    """
    output_dir = prepare_output_dir(output_dir)
    temps: dict[str, Path] = {}
    try:
        with _terminate_as_exception():
            for name, write in targets.items():
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=output_dir)
                os.close(fd)
                temps[name] = Path(tmp)
                _write_synced(write, temps[name])
            published = []
            for name, tmp in temps.items():
                final = output_dir / name
                try:
                    os.replace(tmp, final)
                except PermissionError:
                    raise RapactError(Finding(
                        "cannot replace the file: is it open in another program (Word, a PDF viewer)?",
                        file=display_path(final))) from None
                os.chmod(final, 0o644)
                published.append(final)
            return published
    finally:
        for tmp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _write_synced(write: Callable[[Path], None], path: Path) -> None:
    write(path)
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
