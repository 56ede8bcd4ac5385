"""Render the evaluation sets of a model trained on SynthWordDataset: words
it never trains on (its ``word_split='heldout'`` part), in its training
fonts; separately, in the one font family per script it never sees; and,
for the scripts that signs space out, with every letter spaced.

    python tools/data/make_synth_eval.py \\
        configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7.py
    # -> data/synth_eval/{validation,evaluation}/<LANG>  (new words)
    #    data/synth_eval_fonts/evaluation/<LANG>        (new words + fonts)
    #    data/synth_eval_spaced/evaluation/<LANG>       (new words, spaced;
    #                                                    CHI JPN KOR LAT)

The vocabulary sizes come from the config's training set, so the held-out
words come from the same frequency range as the training words. The output
is the same for the same --seed, font files and library versions.
"""
import argparse
import glob
import os
import os.path as osp

from mmengine import Config

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.utils.languages import LANGUAGES
from cllstr_mm.datasets.synthesis import (SPACEABLE_SCRIPTS,
                                          WordImageSynthesizer, load_words,
                                          output_dir, write_synth_lmdb)

#: (data root suffix, split, font split, spaced_prob, default images per
#: script); the spaced set has only the scripts that can be spaced.
SETS = (('', 'validation', 'train', 0.0, 50),
        ('', 'evaluation', 'train', 0.0, 200),
        ('_fonts', 'evaluation', 'heldout', 0.0, 100),
        ('_spaced', 'evaluation', 'train', 1.0, 100))


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('config', help='config whose train set is a '
                        'SynthWordDataset')
    parser.add_argument('--out', default='data/synth_eval',
                        help='data root; the font and spaced sets go to '
                        '<out>_fonts and <out>_spaced')
    parser.add_argument('--scale', type=float, default=1.0,
                        help='multiply the images per script (50/200/100/100)')
    parser.add_argument('--seed', type=int, default=1,
                        help='differs from training (0) so no sample '
                        'repeats a training draw')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument(
        '--vocab-size', type=int,
        help="override the config's vocabulary size (e.g. for a quick "
        'check); the held-out words are then a different set')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    dataset = cfg.train_dataloader.dataset
    if dataset.get('type') != 'SynthWordDataset':
        raise SystemExit(f'{args.config}: train_dataloader.dataset is '
                         f'{dataset.get("type")!r}, not SynthWordDataset')
    vocab = args.vocab_size or dataset.get('vocab_size', 20000)
    langs = dataset.get('langs', LANGUAGES)
    # loading (and for ARA, shaping) 20,000 words takes up to 40 s: once
    words = {
        lang: load_words(
            lang, vocab if isinstance(vocab, int) else vocab.get(lang, 20000))
        for lang in langs
    }
    for suffix, split, font_split, spaced_prob, num in SETS:
        num = max(1, round(num * args.scale))
        for lang in langs:
            if spaced_prob and lang not in SPACEABLE_SCRIPTS:
                continue
            synth = WordImageSynthesizer(
                lang,
                words=words[lang],
                seed=args.seed,
                stream=f'{split}{suffix}',
                word_split='heldout',
                font_split=font_split,
                spaced_prob=spaced_prob)
            out = output_dir(args.out + suffix, split, lang, False)
            count = write_synth_lmdb(
                out, synth, num, workers=args.workers, overwrite=True)
            print(f'{out}: {count} images, {len(synth.words)} held-out '
                  f'words, {len({f.family for f in synth.fonts})} font '
                  'families')
    # lock.mdb holds reader state (pids), not data; readers open lock=False.
    for root in sorted({args.out + suffix for suffix, *_ in SETS}):
        for lock in glob.glob(osp.join(root, '*', '*', 'lock.mdb')):
            os.remove(lock)


if __name__ == '__main__':
    main()
