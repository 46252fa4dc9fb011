"""Ctrl-C and SIGTERM: one line, a conventional exit code, and nothing half-done.

Both signals raise :class:`Interrupted` in the build, so every ``finally``
runs (temporary files are removed, a half-published set is rolled back).
Short critical sections (creating a temporary file, publishing the set,
cleaning up) run with both signals *deferred*: a signal that arrives then is
delivered as soon as the section ends, never in its middle.
"""

from __future__ import annotations

import contextlib
import signal

# SIGINT (Ctrl-C) and SIGTERM (kill, a CI runner, systemd): the two ways a user stops a build
SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)
MESSAGE = "interrupted; the previous outputs are unchanged."


class Interrupted(BaseException):
    """Raised in the build when SIGINT or SIGTERM arrives, so that clean-up code runs.

    A ``BaseException``, like ``KeyboardInterrupt``: ``except Exception`` in a
    plugin does not swallow it.
    """

    def __init__(self, signum: int):
        super().__init__(int(signum))  # args hold only the number: a copy made from them is the same

    @property
    def signum(self) -> int:
        return self.args[0]

    def __str__(self) -> str:
        return f"signal {self.signum}"

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def exit_code(exc: BaseException) -> int:
    """The exit code for an interruption: 128 + the signal's number."""
    if isinstance(exc, Interrupted):
        return exc.exit_code
    return 128 + signal.SIGINT  # a KeyboardInterrupt


def _raise(signum, frame):
    raise Interrupted(signum)


_installed = False


def install() -> None:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` for the rest of the process (the CLI)."""
    global _installed
    for sig in SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread, or a platform without it
            signal.signal(sig, _raise)
            _installed = True


def finished() -> None:
    """The outputs are published: a signal now comes too late to keep the previous ones,
    so the command ends normally (only where :func:`install` set the handlers: a
    library caller keeps its own)."""
    if not _installed:
        return
    for sig in SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_IGN)


@contextlib.contextmanager
def terminate_as_exception():
    """While the block runs, SIGTERM raises :class:`Interrupted` (for library use of the
    build, where the CLI has not installed its handlers); the previous handler is restored."""
    if _installed:  # the CLI's handlers already do it
        yield
        return
    try:
        previous = signal.signal(signal.SIGTERM, _raise)
    except (ValueError, AttributeError):  # not in the main thread, or no SIGTERM: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def deferred():
    """Hold SIGINT and SIGTERM back while the block runs; they are delivered when it ends."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # Windows: no signal masks
        yield
        return
    old = mask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def pending() -> int | None:
    """A SIGINT or SIGTERM waiting to be delivered (inside :func:`deferred`), if any."""
    waiting = getattr(signal, "sigpending", None)
    if waiting is None:
        return None
    for sig in SIGNALS:
        if sig in waiting():
            return int(sig)
    return None
