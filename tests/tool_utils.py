"""Run the command-line tools of tools/ inside the test process, and read
the commands their dry runs print."""
import importlib.util
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: --cfg-options that keep a runner's training loaders in the test process
#: with batches of 4 (tools/experiments runs in the tests).
SMALL_LOADERS = ['train_dataloader.num_workers=0',
                 'train_dataloader.persistent_workers=False',
                 'train_dataloader.batch_size=4']


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


def dry_run_commands(out: str) -> dict:
    """``{comment: argv}`` of the ``# what`` / command line pairs an
    experiment runner's ``--dry-run`` prints (tools/experiments), up to its
    ``# then`` note; a task's estimate ``(about N s)`` is left out of the
    key and repeated comments (data) get a ``+`` each."""
    lines = [line for line in out.splitlines() if line]
    cmds = {}
    for what, cmd in zip(lines[::2], lines[1::2]):
        if not what.startswith('# ') or what.startswith('# then'):
            break
        key = what.split(' (about')[0]
        while key in cmds:
            key += '+'
        cmds[key] = shlex.split(cmd)
    return cmds


def cfg_option(cmd, key):
    """The last value ``cmd`` gives ``key`` in its ``--cfg-options``, or
    None."""
    opts = cmd[cmd.index('--cfg-options') + 1:]
    found = [o.split('=', 1)[1] for o in opts if o.startswith(key + '=')]
    return found[-1] if found else None


def flag_value(cmd, flag, count=1):
    """The argument after ``flag`` in ``cmd``, or the list of ``count``
    arguments."""
    i = cmd.index(flag)
    return cmd[i + 1] if count == 1 else cmd[i + 1:i + 1 + count]
