import sys

from .interrupts import Interrupted, finished, install, message

install()  # before the CLI's imports: a Ctrl-C during start-up is one line too
try:
    from .cli import run
except Interrupted as exc:
    finished()
    sys.stderr.write(message() + "\n")
    sys.exit(exc.exit_code)

run()
