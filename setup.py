"""The one build step pyproject.toml cannot declare: the message catalogs compiled.

Each ``src/rapact_core/locale/<lang>/LC_MESSAGES/rapact.po`` is compiled to its
``.mo`` with Babel (a build requirement) when a wheel is built or rapact is
installed, editable or not; the ``.mo`` files are not kept in git. An editable
install writes them beside the ``.po``; a wheel gets them in its build folder.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("src", "rapact_core", "locale")


def compile_catalogs(target: Path) -> list[str]:
    """Compile every catalog under LOCALE into the same layout under ``target``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fp:
            catalog = read_po(fp, locale=po.parts[-3], domain=po.stem)
        mo = target / po.relative_to(LOCALE).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fp:
            write_mo(fp, catalog)
        written.append(str(mo))
    return written


class BuildWithCatalogs(build_py):
    def run(self):
        if self.editable_mode:
            compile_catalogs(LOCALE)
        else:
            compile_catalogs(Path(self.build_lib, "rapact_core", "locale"))
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
