"""The repository stands on its own: no tracked file points outside it, and
``setup.py`` declares every distribution the package imports."""
import ast
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The sibling folder's name, kept apart so that this file does not match.
SHARED = 'shared'
OUTSIDE = re.compile('|'.join([
    r'\.\./' + SHARED,
    '/work/' + SHARED,
    # a path built from its parts, as in osp.join(ROOT, <shared>, 'reference')
    SHARED + r"""['"]?\s*[,/]\s*['"]?reference""",
]))


def tracked_files():
    """What git tracks, and would track (new files that are not ignored)."""
    out = subprocess.run(
        ['git', 'ls-files', '-z', '--cached', '--others',
         '--exclude-standard'],
        cwd=REPO,
        capture_output=True,
        check=True).stdout
    return [REPO / name for name in out.decode().split('\0') if name]


def test_no_tracked_file_refers_outside_the_repository():
    files = tracked_files()
    assert REPO / 'setup.py' in files and REPO / 'tests/test_packaging.py' \
        in files
    hits = []
    for path in files:
        if not path.is_file():  # deleted in the working tree
            continue
        data = path.read_bytes()
        if b'\0' in data[:8192]:  # binary: images, checkpoints, LMDBs
            continue
        for number, line in enumerate(
                data.decode('utf-8', errors='replace').splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f'{path.relative_to(REPO)}:{number}: '
                            f'{line.strip()[:100]}')
    assert hits == [], 'files that refer to a sibling shared/ folder:\n' + \
        '\n'.join(hits)


def test_the_pattern_finds_what_it_should():
    for line in [f"DEMO = REPO.parent / '{SHARED}' / 'reference' / 'x'",
                 f'see ../{SHARED}/reference/cllstr',
                 f"osp.join(root, '{SHARED}', 'reference')"]:
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('Helpers shared by the tests (reference '
                              'values from fixtures)')


def _requirement_name(spec: str) -> str:
    return re.split(r'[<>=!~ ;\[]', spec, 1)[0].lower().replace('_', '-')


def declared_distributions():
    """``install_requires``, the mmcv extras and the extras of the parts
    imported only when used (``onnx``: the ONNX path; ``augment``:
    STRAugment; ``browser``: the evaluation renderer) of setup.py, by
    name."""
    tree = ast.parse((REPO / 'setup.py').read_text(encoding='utf-8'))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == 'install_requires':
            names |= {_requirement_name(e.value) for e in node.value.elts}
        if isinstance(node, ast.keyword) and node.arg == 'extras_require':
            for key, value in zip(node.value.keys, node.value.values):
                if key.value in ('lite', 'full', 'onnx', 'augment',
                                 'browser'):
                    names |= {_requirement_name(e.value) for e in value.elts}
    return names


def imported_modules():
    """Top-level third-party modules that cllstr_mm imports."""
    modules = set()
    for path in (REPO / 'cllstr_mm').rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split('.')[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split('.')[0])
    return modules - set(sys.stdlib_module_names) - {'cllstr_mm'}


def test_setup_py_declares_every_imported_distribution():
    declared = declared_distributions()
    assert {'wordfreq', 'torch', 'mmocr', 'mmcv-lite'} <= declared
    providers = metadata.packages_distributions()
    undeclared = {}
    for module in sorted(imported_modules()):
        dists = {
            d.lower().replace('_', '-')
            for d in providers.get(module, [])
        }
        assert dists, f'cllstr_mm imports {module}, which is not installed'
        if not dists & declared:
            undeclared[module] = sorted(dists)
    assert undeclared == {}, (
        'cllstr_mm imports these, but setup.py does not require them '
        f'(module: distributions): {undeclared}')


def test_install_sh_installs_every_debian_package_the_code_names():
    """The font, wallpaper and browser packages the generators and the
    evaluation renderer name (and say to install when missing) are all in
    tools/install.sh's APT_PKGS."""
    from cllstr_mm.datasets.synthesis.browser.fonts import BROWSER_PACKAGES
    from cllstr_mm.datasets.synthesis.fonts import (FONT_PACKAGES,
                                                    FONT_PACKAGES_EXTRA)
    from cllstr_mm.datasets.synthesis.photos import WALLPAPER_SOURCES
    script = (REPO / 'tools/install.sh').read_text(encoding='utf-8')
    apt = set()
    for line in re.findall(r'^APT_PKGS="(.*)"$', script, re.M):
        apt.update(line.replace('$APT_PKGS', '').split())
    named = set(BROWSER_PACKAGES) | {p for p, _ in WALLPAPER_SOURCES}
    for table in (FONT_PACKAGES, FONT_PACKAGES_EXTRA):
        for packages in table.values():
            named.update(packages)
    assert named - apt == set()
