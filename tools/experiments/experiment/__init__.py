"""What the experiment runners of tools/experiments share: runs as train
and test commands (:mod:`.tasks`), running them resumably, several at a
time (:mod:`.runner`), their results and the records that outlive the work
dir (:mod:`.records`), data written once (:mod:`.data`), the plateau test
(:mod:`.plateau`), verdicts with seeds and the hinge rule for another seed
(:mod:`.verdicts`), summaries (:mod:`.summary`), tables (:mod:`.tables`),
charts (:mod:`.charts`), the options (:mod:`.cli`) and CPU timing
(:mod:`.speed`). The designs themselves are :mod:`.cllstr`,
:mod:`.cllstr_report` and :mod:`.cllstr_paper` (CLL-STR's findings,
``run_findings.py``) and :mod:`.lmim` and :mod:`.lmim_report` (LMIM's
claim, ``run_lmim.py``).
"""
import importlib.util
import os.path as osp

#: The repository root: commands run there, relative paths start there.
REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def load_tool(path: str):
    """The module of a tool script (not a package, so not importable), by
    its path from the repository root, e.g. ``'tools/train.py'``."""
    spec = importlib.util.spec_from_file_location(
        osp.splitext(osp.basename(path))[0], osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
