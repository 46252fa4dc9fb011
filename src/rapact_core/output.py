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
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from .errors import Finding, RapactError, display_path
from .processes import can_fork, spawn


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


def write_all(output_dir: Path, targets: dict[str, Callable[[Path], None] | PreparedWriter], *,
              parallel: bool = False) -> list[Path]:
    """Run each writer on a temporary file, then publish all files together.

    :param targets: final file name → function writing that file to the path it
        is given, or a ``PreparedWriter`` process (prepared with its payload).
    :param parallel: write every file but the first in a process of its own
        (``os.fork``, where it exists), at the same time as the first.
    """
    output_dir = prepare_output_dir(output_dir)
    temps: dict[str, Path] = {}
    children: list[_Child] = []
    try:
        with _terminate_as_exception():
            for name in targets:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=output_dir)
                os.close(fd)
                temps[name] = Path(tmp)
            local = [name for name, target in targets.items() if not isinstance(target, PreparedWriter)]
            children = [target for target in targets.values() if isinstance(target, PreparedWriter)]
            if parallel and can_fork() and len(local) > 1:
                children += [_ChildWriter(targets[name], temps[name]) for name in local[1:]]
                local = local[:1]
            try:
                for name, target in targets.items():
                    if isinstance(target, PreparedWriter):
                        target.start(temps[name])
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


def _run_and_report(work: Callable[[], None], report_fd: int) -> int:
    """In a child: run ``work``, send its error (if any) through ``report_fd``; the exit code."""
    try:
        work()
        report, code = b"", 0
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        report, code = _report(exc), 1
    with os.fdopen(report_fd, "wb") as pipe:
        pipe.write(report)
    return code


def _report(exc: BaseException) -> bytes:
    """An exception, as the parent's ``_Child.result`` raises it again."""
    if isinstance(exc, RapactError):
        return pickle.dumps(("rapact", exc.findings, exc.exit_code))
    return pickle.dumps(("internal", f"{exc.__class__.__name__}: {exc}",
                         "".join(traceback.format_exception(exc))))


class _Child:
    """A process writing one file; its error comes back through a pipe."""

    pid: int
    results: object  # the read end of the report pipe
    jobs: int | None = None  # the write end of the job pipe, for a prepared writer
    done = False  # waited for: its pid may belong to another process by now

    def result(self) -> None:
        """Wait for the child; raise its error as if it had happened here."""
        report = self.results.read()
        self.results.close()
        _, status = os.waitpid(self.pid, 0)
        self.done = True
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
        if self.done:
            return
        self.done = True
        if self.jobs is not None:
            os.close(self.jobs)
            self.jobs = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.results.close()


class _ChildWriter(_Child):
    """Runs ``write(path)`` in a forked process, from now on."""

    def __init__(self, write: Callable[[Path], None], path: Path):
        read_end, write_end = os.pipe()

        def child() -> int:
            os.close(read_end)
            return _run_and_report(lambda: _write_synced(write, path), write_end)

        self.pid = spawn(child)
        os.close(write_end)
        self.results = os.fdopen(read_end, "rb")


class PreparedWriter(_Child):
    """A writer process forked before its input exists.

    ``setup()`` runs in the child at once (imports, fonts: work that does not
    need the document) and returns ``write(payload, path)``. The build then
    hands the child its payload (``prepare``: pickled, so a small document
    only) and, from ``write_all``, the path to write. A writer never given a
    path leaves when it is cancelled.
    """

    def __init__(self, setup: Callable[[], Callable[[object, Path], None]]):
        job_read, job_write = os.pipe()
        read_end, write_end = os.pipe()

        def child() -> int:
            os.close(job_write)
            os.close(read_end)
            try:
                write, failed = setup(), None
            except BaseException as exc:  # noqa: BLE001 - reported if a job comes
                write, failed = None, exc
            with os.fdopen(job_read, "rb") as pipe:
                job = pipe.read()
            if not job:  # let go
                return 0

            def run() -> None:
                if failed is not None:
                    raise failed
                payload, path = pickle.loads(job)
                _write_synced(lambda p: write(pickle.loads(payload), p), Path(path))

            return _run_and_report(run, write_end)

        self.pid = spawn(child)
        os.close(job_read)
        os.close(write_end)
        self.jobs, self.results = job_write, os.fdopen(read_end, "rb")
        self.payload: bytes | None = None

    def prepare(self, payload: object) -> bool:
        """Pickle the payload for the child; False (and the child let go) if it cannot be."""
        try:
            self.payload = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            self.cancel()
            return False
        return True

    def start(self, path: Path) -> None:
        """Send the job: the child writes the payload to ``path``."""
        with os.fdopen(self.jobs, "wb") as pipe:
            self.jobs = None
            pipe.write(pickle.dumps((self.payload, str(path))))
