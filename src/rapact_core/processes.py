"""Child processes made with ``os.fork``: a build's work spread over two cores.

Used to draw charts ahead (``render.chart_ahead``) and to write the formats
side by side (``output``). A child never returns into its caller's code: it
runs one function and leaves with ``os._exit``, so nothing of the parent
(its exit handlers, pytest's, a plugin's) runs twice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def can_fork() -> bool:
    return hasattr(os, "fork")


def spawn(body: Callable[[], int]) -> int:
    """Fork; the child runs ``body()`` and exits with the code it returns (1 if it
    raises). Returns the child's pid, in the parent."""
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        stream.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = body()
        finally:
            os._exit(code)
    return pid


def quiet() -> None:
    """In a child: write nothing to the parent's terminal.

    The parent owns it, and maybe locks on its streams held by a thread (a
    spinner) that does not exist in the child.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until os._exit
