"""Kill a build partway: the previous report survives and no temporary file is left."""

import signal
import subprocess
import sys
import textwrap
import time

import pytest

SCRIPT = textwrap.dedent('''
    import sys, time
    from pathlib import Path
    from rapact_core import ChapterSpec, Custom, PluginSpec, SectionSpec, hookimpl
    from rapact_core.plugins import load_plugins
    from rapact_core.runner import build

    class Slow:
        @hookimpl
        def rapact_declare(self):
            return PluginSpec(chapters=[ChapterSpec("slow", "Lent", sections=("slow.s",), position=95)],
                              sections=[SectionSpec("slow.s")])

        @hookimpl
        def rapact_section_blocks(self, section):
            return [Custom("slow", "pause", alt="Une pause")]

        @hookimpl
        def rapact_render_custom(self, block, format, target):
            Path(sys.argv[2]).write_text("rendering")
            time.sleep(60)
            return True

    # the bundled plugins and this one, whatever else is installed
    build(sys.argv[1], output=sys.argv[3], plugins=load_plugins(distribution="rapact", extra=[("slow", Slow())]))
''')


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_killed_build_keeps_previous_outputs(report_copy, tmp_path, sig):
    out = report_copy / "output"
    out.mkdir()
    old = {"rapport-activites-2021.docx": b"old docx", "rapport-activites-2021.pdf": b"old pdf"}
    for name, data in old.items():
        (out / name).write_bytes(data)
    config = report_copy / "reports" / "2021" / "rapact.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[[chapters]]\nid = "slow"\n', encoding="utf-8")
    script = tmp_path / "slow_build.py"
    script.write_text(SCRIPT)
    flag = tmp_path / "flag"
    proc = subprocess.Popen([sys.executable, str(script), str(report_copy / "rapact.toml"), str(flag), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not flag.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert flag.exists(), proc.communicate()[1].decode()
    assert any(p.name.endswith(".part") for p in out.iterdir())  # the build was writing
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
