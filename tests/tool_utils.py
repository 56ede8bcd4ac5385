"""Run the command-line tools of tools/ inside the test process."""
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_tool(path: str):
    """The module of a tool script, e.g. ``load_tool('tools/demo.py')``."""
    spec = importlib.util.spec_from_file_location(
        f'tool_{Path(path).stem}', REPO / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(module, argv, monkeypatch):
    """Run ``module.main()`` with ``argv``; returns the exit status (0, an
    int, or the message it exited with)."""
    monkeypatch.setattr(sys, 'argv', ['tool'] + [str(a) for a in argv])
    try:
        module.main()
    except SystemExit as stop:
        return stop.code
    return 0
