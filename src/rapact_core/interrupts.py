"""Ctrl-C and SIGTERM: one line, a conventional exit code, and nothing half-done.

Both signals raise :class:`Interrupted` in the build, so every ``finally``
runs (temporary files are removed, a half-published set is rolled back).
Short critical sections (creating a temporary file, publishing the set,
cleaning up) run with both signals *deferred*: a signal that arrives then is
delivered as soon as the section ends, never in its middle.
"""

from __future__ import annotations

import contextlib
import re
import signal

from .i18n import N_, _

# SIGINT (Ctrl-C) and SIGTERM (kill, a CI runner, systemd): the two ways a user stops a build
SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)
MESSAGE = N_("interrupted; the previous outputs are unchanged.")


def message() -> str:
    """The line an interruption prints, in the editor's language."""
    return _(MESSAGE)


class Interrupted(BaseException):
    """Raised in the build when SIGINT or SIGTERM arrives, so that clean-up code runs.

    A ``BaseException``, like ``KeyboardInterrupt``: ``except Exception`` in a
    plugin does not swallow it. Some libraries re-raise an exception as a new
    one of the same type built from an annotated message (reportlab does):
    the signal's number is then read back from that message.
    """

    def __init__(self, signum: int | str = signal.SIGINT):
        if not isinstance(signum, int):
            found = re.findall(r"signal (\d+)", str(signum))
            signum = int(found[-1]) if found else int(signal.SIGINT)
        super().__init__(f"signal {int(signum)}")
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def exit_code(exc: BaseException) -> int:
    """The exit code for an interruption: 128 + the signal's number."""
    if isinstance(exc, Interrupted):
        return exc.exit_code
    return 128 + signal.SIGINT  # a KeyboardInterrupt


_requested: int | None = None


def _raise(signum, frame):
    global _requested
    _requested = signum
    raise Interrupted(signum)


def requested() -> int | None:
    """The signal that came, if one did (whether or not its exception got through)."""
    return _requested


def check() -> None:
    """Raise :class:`Interrupted` if a signal came and was swallowed on its way up
    (reportlab catches everything in places, and carries on)."""
    if _requested is not None:
        raise Interrupted(_requested)


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


def resume() -> None:
    """After a build, a command that goes on (``rapact watch``) takes SIGINT and SIGTERM
    again as :class:`Interrupted` (:func:`finished` ignored them); only where
    :func:`install` set the handlers."""
    global _requested
    if _installed:
        _requested = None
        install()


@contextlib.contextmanager
def terminate_as_exception():
    """While the block runs, SIGTERM raises :class:`Interrupted` (for library use of the
    build, where the CLI has not installed its handlers); the previous handler is restored."""
    global _requested
    if _installed:  # the CLI's handlers already do it
        yield
        return
    _requested = None  # a library caller may build again after an interruption
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
