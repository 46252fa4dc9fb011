from .interrupts import install

install()  # before the CLI's imports: a Ctrl-C during start-up is one line too

from .cli import run  # noqa: E402

run()
