"""Which dictionary classes the first N samples of a config's synthetic
training stream never show, per script (labels read without rendering:
``SynthWordDataset.token_counts``).

    python tools/analysis_tools/stream_classes.py \\
        configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7-release2.py \\
        --num 70000

A class counts for the script whose rare draws cover it
(``cllstr_mm.datasets.synthesis.rare.class_script``).
"""
import argparse
from collections import Counter
from typing import Dict, List

from mmengine.config import Config, DictAction

from cllstr_mm.models.common.dictionary import build_dictionary


def unseen_classes(dictionary, counts: Counter,
                   num_special: int = 4) -> Dict[str, List[str]]:
    """The tokens of ``dictionary`` (after its ``num_special`` special
    classes) that ``counts`` lacks, by the script that covers them."""
    from cllstr_mm.datasets.synthesis.rare import class_script
    unseen: Dict[str, List[str]] = {}
    for token in dictionary.dict[num_special:]:
        if not counts[token]:
            unseen.setdefault(class_script(token), []).append(token)
    return unseen


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config whose train_dataloader '
                        'draws from a SynthWordDataset')
    parser.add_argument('--num', type=int, default=70000,
                        help='samples counted from index 0 (all scripts)')
    parser.add_argument('--show', type=int, default=20,
                        help='unseen tokens printed per script')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, as tools/train.py')
    args = parser.parse_args(argv)
    if args.num < 1:
        parser.error(f'--num must be >= 1, got {args.num}')
    return args


def main(argv=None):
    args = parse_args(argv)
    from mmengine.registry import init_default_scope
    from mmocr.registry import DATASETS
    import cllstr_mm  # noqa: F401  (registration)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    dataset_cfg = cfg.train_dataloader.dataset
    if dataset_cfg.get('type') != 'SynthWordDataset':
        raise SystemExit(f'{args.config}: train_dataloader.dataset is '
                         f'{dataset_cfg.get("type")}, not a SynthWordDataset')
    init_default_scope('mmocr')
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[]))
    dictionary = build_dictionary(cfg.model.decoder.dictionary,
                                  'stream_classes')
    counts = dataset.token_counts(args.num)
    unseen = unseen_classes(dictionary, counts)
    total = len(dictionary.dict) - 4
    print(f'{args.config}: {sum(map(len, unseen.values()))} of {total} '
          f'classes never seen in {args.num:,} samples')
    for lang in sorted(unseen):
        tokens = unseen[lang]
        shown = ' '.join(tokens[:args.show])
        print(f'{lang}: {len(tokens)} unseen: {shown}'
              f'{" ..." if len(tokens) > args.show else ""}')


if __name__ == '__main__':
    main()
