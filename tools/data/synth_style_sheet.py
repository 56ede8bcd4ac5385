"""Contact sheet of synthetic word crops in a style, a few rows per script.

    python tools/data/synth_style_sheet.py --style release2 \
        --out docs/synth_samples/release2_style.png

Draws samples 0 .. N-1 of each script's training stream (``--seed``, train
words and font families, as SynthWordDataset does) with
:class:`~cllstr_mm.datasets.synthesis.styled.StyledWordImageSynthesizer`
and lays them out with the generator's contact sheet: each crop over its
label and font family. ``--style none`` shows the first release's look.
"""
import argparse

from PIL import Image

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.datasets.synthesis import contact_sheet, encode
from cllstr_mm.datasets.synthesis.effects import STYLES
from cllstr_mm.datasets.synthesis.styled import StyledWordImageSynthesizer
from cllstr_mm.utils.languages import LANGUAGES


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument('--style', default='release2',
                        choices=sorted(STYLES) + ['none'])
    parser.add_argument('--langs', nargs='+', default=list(LANGUAGES),
                        choices=LANGUAGES)
    parser.add_argument('--per-lang', type=int, default=8,
                        help='crops per script (4 a row)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--vocab-size', type=int, default=5000)
    return parser.parse_args()


def main():
    args = parse_args()
    sheets = []
    for lang in args.langs:
        synth = StyledWordImageSynthesizer(
            lang,
            style=None if args.style == 'none' else args.style,
            seed=args.seed,
            vocab_size=args.vocab_size,
            word_split='train',
            font_split='train')
        items = []
        for index in range(args.per_lang):
            sample = synth.draw(index)
            items.append(encode(sample) + (sample.font.family, ))
        sheets.append(contact_sheet(items, synth.fonts))
    sheet = Image.new('RGB', (sheets[0].width, sum(s.height for s in sheets)))
    top = 0
    for part in sheets:
        sheet.paste(part, (0, top))
        top += part.height
    # A 256-colour palette: a third of the size, no loss visible here.
    sheet.quantize(256).save(args.out, optimize=True)
    print(f'wrote {args.out} ({len(args.langs)} scripts x {args.per_lang})')


if __name__ == '__main__':
    main()
