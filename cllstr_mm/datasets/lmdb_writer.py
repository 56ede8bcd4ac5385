"""Write recognition LMDBs in the CLL-STR / MMOCR layout.

Keys (1-based): ``num-samples`` (ASCII int), ``image-%09d`` (encoded image
bytes), ``label-%09d`` (UTF-8 label). The folder is written under a temporary
name and renamed into place at the end, so an interrupted write never leaves
a half-written LMDB where a dataset would read it.
"""
import os
import os.path as osp
import shutil
from typing import Iterable, Tuple

import lmdb

IMAGE_KEY = 'image-%09d'
LABEL_KEY = 'label-%09d'
NUM_SAMPLES_KEY = 'num-samples'


def write_lmdb(out_dir: str,
               samples: Iterable[Tuple[bytes, str]],
               overwrite: bool = False,
               map_size: int = 1 << 36,
               commit_every: int = 1000) -> int:
    """Write ``(image_bytes, label)`` pairs to a new LMDB at ``out_dir``.

    Args:
        out_dir: Folder of the LMDB (``data.mdb`` and ``lock.mdb``).
        samples: Encoded images (JPEG/PNG bytes) and their labels.
        overwrite: Replace an existing ``out_dir``; otherwise it is an error.
        map_size: Largest size the LMDB may grow to, in bytes (sparse).
        commit_every: Samples per write transaction.

    Returns:
        int: Number of samples written.
    """
    if osp.exists(out_dir) and not overwrite:
        raise FileExistsError(
            f'{out_dir} already exists; pass overwrite=True (--overwrite) to '
            'replace it')
    parent = osp.dirname(osp.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp_dir = osp.join(parent, f'.{osp.basename(out_dir)}.tmp-{os.getpid()}')
    shutil.rmtree(tmp_dir, ignore_errors=True)
    env = lmdb.open(tmp_dir, map_size=map_size)
    count = 0
    try:
        txn = env.begin(write=True)
        for count, (image, label) in enumerate(samples, start=1):
            txn.put((IMAGE_KEY % count).encode(), image)
            txn.put((LABEL_KEY % count).encode(), label.encode('utf-8'))
            if count % commit_every == 0:
                txn.commit()
                txn = env.begin(write=True)
        txn.put(NUM_SAMPLES_KEY.encode(), str(count).encode())
        txn.commit()
    except BaseException:
        env.close()
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    env.close()
    if osp.exists(out_dir):
        shutil.rmtree(out_dir)
    os.replace(tmp_dir, out_dir)
    return count
