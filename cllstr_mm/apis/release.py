"""The recogniser released with the repository (``docs/model_zoo.md``):
its config and fp16 weights, found from a checkout of the repository and
checked against ``checkpoints/SHA256SUMS`` before use."""
import hashlib
import os.path as osp
from typing import Dict, Optional, Tuple

#: The checkout the package was imported from (configs live beside it).
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: Release 2 at iteration 6,100 (390,400 samples), the best model so far on
#: text from outside our generator (docs/model_zoo.md); release 1
#: (``svtr-tiny_1xb64-stream_synth7.py`` with its ``_fp16.pth``) stays in
#: checkpoints/ for comparison.
RELEASED_CONFIG = osp.join(REPO_ROOT, 'configs', 'textrecog', 'cllstr',
                           'svtr-tiny_1xb64-stream_synth7-release2.py')
RELEASED_WEIGHTS = osp.join(REPO_ROOT, 'checkpoints',
                            'svtr-tiny_1xb64-stream_synth7-release2_fp16.pth')
SHA256SUMS = osp.join(REPO_ROOT, 'checkpoints', 'SHA256SUMS')


def file_sha256(path: str) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def read_checksums(sums: str) -> Dict[str, str]:
    """``{name: hex SHA-256}`` of a ``sha256sum``-format file (names relative
    to its folder); {} when there is none."""
    if not osp.isfile(sums):
        return {}
    with open(sums, encoding='utf-8') as f:
        return {
            name: digest
            for digest, name in (line.rstrip('\n').split('  ', 1)
                                 for line in f if line.strip())
        }


def verify_checksum(path: str, sums: str = SHA256SUMS) -> None:
    """Raise ``ValueError`` unless ``path``'s SHA-256 is the one ``sums``
    (``sha256sum`` format, names relative to its folder) lists for it."""
    name = osp.relpath(osp.abspath(path), osp.dirname(osp.abspath(sums)))
    if not osp.isfile(sums):
        raise FileNotFoundError(f'{sums} not found: cannot check {path}')
    listed = read_checksums(sums)
    if name not in listed:
        raise ValueError(f'{sums} lists no checksum for {name}')
    actual = file_sha256(path)
    if actual != listed[name]:
        raise ValueError(
            f'{path} has SHA-256 {actual}, but {sums} lists {listed[name]}: '
            'the file is damaged or was replaced (git lfs / partial '
            'download?); restore it with git checkout -- ' + name)


def released_model() -> Tuple[str, str]:
    """``(config, weights)`` of the released recogniser, weights checked.

    Raises:
        FileNotFoundError: Not a full checkout of the repository.
        ValueError: The weights' checksum is wrong.
    """
    for path in (RELEASED_CONFIG, RELEASED_WEIGHTS):
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{path} not found: the released model ships with the '
                'repository (git clone it), not with the Python package')
    verify_checksum(RELEASED_WEIGHTS)
    return RELEASED_CONFIG, RELEASED_WEIGHTS


def resolve_recogniser(config: Optional[str],
                       weights: Optional[str]) -> Tuple[str, str]:
    """``(config, weights)`` a tool runs: the released pair when neither is
    given or when the released config comes without weights, else the
    pair as given.

    Raises:
        ValueError: Another config came without weights (only the released
            config has default ones).
    """
    if weights is not None:
        if config is None:
            raise ValueError(f'weights {weights} came without the config '
                             'they were trained (or exported) with')
        return config, weights
    if config is None or osp.abspath(config) == RELEASED_CONFIG:
        return released_model()
    raise ValueError(f'no weights given for {config}; only the released '
                     'config has default weights')
