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
import pickle
import signal
import sys
import tempfile
import traceback
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


def write_all(output_dir: Path, targets: dict[str, Callable[[Path], None]], *,
              parallel: bool = False) -> list[Path]:
    """Run each writer on a temporary file, then publish all files together.

    :param targets: final file name → function writing that file to the path it is given.
    :param parallel: write every file but the first in a process of its own
        (``os.fork``, where it exists), at the same time as the first.
    """
    output_dir = prepare_output_dir(output_dir)
    temps: dict[str, Path] = {}
    children: list[_ChildWriter] = []
    try:
        with _terminate_as_exception():
            for name in targets:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=output_dir)
                os.close(fd)
                temps[name] = Path(tmp)
            local = list(targets)
            if parallel and hasattr(os, "fork") and len(local) > 1:
                children = [_ChildWriter(targets[name], temps[name]) for name in local[1:]]
                local = local[:1]
            try:
                for name in local:
                    _write_synced(targets[name], temps[name])
                for child in children:
                    child.result()
            except BaseException:
                for child in children:
                    child.cancel()
                raise
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


class _ChildWriter:
    """One writer run in a forked process; its error comes back through a pipe."""

    def __init__(self, write: Callable[[Path], None], path: Path):
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            stream.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(read_end)
                try:
                    _write_synced(write, path)
                    report, code = b"", 0
                except RapactError as exc:
                    report = pickle.dumps(("rapact", exc.findings, exc.exit_code))
                except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                    report = pickle.dumps(("internal", f"{exc.__class__.__name__}: {exc}",
                                           traceback.format_exc()))
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(report)
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.pipe = pid, os.fdopen(read_end, "rb")

    def result(self) -> None:
        """Wait for the child; raise its error as if it had happened here."""
        report = self.pipe.read()
        self.pipe.close()
        _, status = os.waitpid(self.pid, 0)
        if report:
            kind, *rest = pickle.loads(report)
            if kind == "rapact":
                findings, exit_code = rest
                raise RapactError(findings, exit_code=exit_code)
            message, child_traceback = rest
            exc = RuntimeError(message)
            exc.add_note(f"in the process writing this file:\n{child_traceback}")
            raise exc
        if status != 0:
            raise RuntimeError(f"the process writing a file stopped ({os.waitstatus_to_exitcode(status)})")

    def cancel(self) -> None:
        """Stop the child (it cleans up as on SIGTERM) and wait for it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pipe.close()
