"""The modules loaded only when a build needs them (pipeline/lazy.py): an up-to-date build loads none."""

from __future__ import annotations

import subprocess
import sys

from support import INPUTS, ROOT, cli_env

from pipeline import lazy

DEFERRED = ("weasyprint", "pikepdf", "fontTools", "docx", "docxtpl", "openpyxl", "python_calamine", "jinja2",
            "concurrent.futures.process", "smtplib", "holidays")

_RUN_AND_LIST = """
import runpy, sys
sys.argv = ["pipeline", "papers", "--inputs", sys.argv[1], "--output", sys.argv[2]]
try:
    runpy.run_module("pipeline", run_name="__main__")
except SystemExit as stop:
    print("STATUS", stop.code)
print("LOADED", " ".join(sorted(sys.modules)))
"""


def test_an_up_to_date_build_loads_none_of_the_deferred_modules(built):
    result = subprocess.run([sys.executable, "-c", _RUN_AND_LIST, str(INPUTS), str(built)], cwd=ROOT, env=cli_env(),
                            capture_output=True, text=True, timeout=120)
    assert "STATUS 0" in result.stdout and "already up to date" in result.stdout, result.stdout + result.stderr
    assert "Wrote" not in result.stdout
    loaded = set(result.stdout.split("LOADED", 1)[1].split())
    assert not loaded & set(DEFERRED), sorted(loaded & set(DEFERRED))


def test_each_deferred_module_loads_what_it_is_for():
    assert lazy.layout().lay_out and lazy.pdf().join and lazy.word().render_docx and lazy.reader().read_return
    assert lazy.html().render_html and lazy.agenda().agenda_html and lazy.mail().deliver and lazy.chasing().plan
    assert lazy.forms().write_forms and lazy.font_reader().TTFont and lazy.futures().ProcessPoolExecutor
    assert lazy.processes().get_context and lazy.holidays().country_holidays and lazy.agenda_mail().plan
