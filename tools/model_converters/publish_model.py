"""Turn a training checkpoint into a release: the model weights only (the
EMA weights when the run used MMEngine's EMAHook, which saves them as the
checkpoint's state_dict), floating tensors in float16 by default, plus a
SHA-256 line for a checksum file.

    python tools/model_converters/publish_model.py \\
        ~/cllstr_runs/release/iter_4000.pth \\
        checkpoints/svtr-tiny_1xb64-stream_synth7_fp16.pth
    # appends/replaces its line in checkpoints/SHA256SUMS

Given several checkpoints of one model (training checkpoints or releases),
it publishes the mean of their weights: checkpoints of one run 500-1,500
iterations apart, averaged, read the external dev sets at least as well as
the best of them (docs/model_zoo.md), where one alone moves by 1-3 points
between validations at a constant learning rate.

MMOCR's publish_model.py strips the optimiser too; this one also halves the
size (float16) and keeps a meta record of where the weights came from.
"""
import argparse
import os.path as osp
import sys
from typing import Sequence

import torch

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.apis.release import file_sha256, read_checksums
from cllstr_mm.utils.checkpoint import (atomic_write, check_state_dict,
                                       save_atomic)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('checkpoints', nargs='+', metavar='checkpoint',
                        help='MMEngine training checkpoint (or release); '
                        'several: publish the mean of their weights')
    parser.add_argument('out', help='release file (.pth)')
    parser.add_argument('--fp32', action='store_true',
                        help='keep float32 instead of casting to float16')
    parser.add_argument('--sums', help='checksum file to update (default: '
                        'SHA256SUMS beside the output)')
    return parser.parse_args()


def release_state(checkpoint: dict) -> dict:
    """``{'meta': ..., 'state_dict': ...}`` of a training checkpoint (or of
    a release), the tensors as stored."""
    if 'state_dict' not in checkpoint:
        raise KeyError('the checkpoint has no state_dict; is it an MMEngine '
                       f'training checkpoint? keys: {sorted(checkpoint)}')
    meta = checkpoint.get('meta', {})
    return dict(
        meta=dict(
            iter=meta.get('iter'),
            # a release given again keeps what its meta says
            ema=meta.get('ema', 'ema_state_dict' in checkpoint)),
        state_dict=dict(checkpoint['state_dict']))


def cast_release(release: dict, fp16: bool) -> dict:
    """``release`` with its floating tensors in float16 (``fp16``) or
    float32, and that dtype in its meta; integer buffers as they are."""
    dtype = torch.float16 if fp16 else torch.float32
    return dict(
        meta=dict(release['meta'], dtype=str(dtype).split('.')[-1]),
        state_dict={k: v.to(dtype) if v.is_floating_point() else v
                    for k, v in release['state_dict'].items()})


def average_states(states: Sequence[dict],
                   sources: Sequence[str]) -> dict:
    """The mean of release states (:func:`release_state`) of one model:
    floating tensors averaged in float32 (cast afterwards: averaging
    float16 copies would round each before the mean), the others (integer
    buffers) taken from the last. ``meta``
    records ``averaged``: each source's folder and file name, and its
    iteration in its run.

    Raises:
        CheckpointMismatchError: A state does not fit the first (other
            keys or shapes), named by its source.
    """
    first = states[0]['state_dict']
    for state, source in zip(states[1:], sources[1:]):
        check_state_dict(state['state_dict'], first, source=source,
                         target=sources[0])
    mean = {}
    for key, value in first.items():
        values = [state['state_dict'][key] for state in states]
        mean[key] = (torch.stack([v.float() for v in values]).mean(0)
                     if value.is_floating_point() else values[-1])
    meta = dict(states[-1]['meta'], averaged=[
        dict(file=osp.join(osp.basename(osp.dirname(osp.abspath(source))),
                           osp.basename(source)),
             iter=state['meta'].get('iter'))
        for state, source in zip(states, sources)
    ])
    return dict(meta=meta, state_dict=mean)


def update_sums(sums: str, path: str, digest: str) -> None:
    """Replace ``path``'s line in a ``sha256sum``-format file."""
    name = osp.relpath(path, osp.dirname(osp.abspath(sums)))
    listed = dict(read_checksums(sums), **{name: digest})
    with atomic_write(sums, 'w') as f:
        f.write(''.join(f'{listed[n]}  {n}\n' for n in sorted(listed)))


def main():
    args = parse_args()
    try:
        states = [
            release_state(torch.load(path, map_location='cpu',
                                     weights_only=True))
            for path in args.checkpoints
        ]
        release = cast_release(
            states[0] if len(states) == 1 else average_states(
                states, args.checkpoints), fp16=not args.fp32)
    except (OSError, KeyError, ValueError) as error:
        sys.exit(f'error: {error}')
    save_atomic(release, args.out)
    digest = file_sha256(args.out)
    sums = args.sums or osp.join(osp.dirname(osp.abspath(args.out)),
                                 'SHA256SUMS')
    update_sums(sums, args.out, digest)
    print(f'{args.out}: {osp.getsize(args.out) / 2**20:.1f} MB, sha256 '
          f'{digest} (written to {sums})')


if __name__ == '__main__':
    main()
