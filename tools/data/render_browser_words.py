"""The second renderer (headless Chromium): an evaluation set of word
images, and born-digital screen text cut from rendered web pages.

    # held-out words and non-words in font families training never uses,
    # styled with CSS, degraded with STRAug
    python tools/data/render_browser_words.py words
    # -> data/render2_eval/<LANG>_<nnnn>.jpg, gt.txt, fonts.tsv;
    #    docs/render2_samples.png

    # word crops and whole pages of web-page-like screens
    python tools/data/render_browser_words.py screens
    # -> data/real_dev/screen/<LANG>_screen_<nnn>.png, gt.txt;
    #    data/real_dev/screen_contact_sheet.png;
    #    data/photo_dev/screens/<LANG>_page_<n>.png,
    #    data/photo_dev/screens.json

Needs Debian's chromium and the packages of
cllstr_mm.datasets.synthesis.browser.BROWSER_PACKAGES, the Python packages
playwright and straug, and npm for the web fonts it fetches into
--web-fonts. The output is the same for the same --seed, packages and
fonts.
"""
import argparse
import logging
import os.path as osp
import sys
import time

import cllstr_mm  # noqa: F401  (compat layer)
from cllstr_mm.utils.languages import LANGUAGES

#: Contact-sheet images per script.
SHEET_PER_LANG = {'words': 4, 'screens': 6}


def parse_args():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--seed', type=int, default=0)
    common.add_argument('--langs', nargs='+', default=list(LANGUAGES),
                        choices=LANGUAGES)
    common.add_argument('--web-fonts', default='work_dirs/webfonts',
                        help='folder of the npm web-font packages (fetched '
                        'with npm pack when missing)')
    common.add_argument('--no-fetch', action='store_true',
                        help='fail instead of fetching a missing web font')
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest='command', required=True)
    words = sub.add_parser('words', parents=[common],
                           help='the evaluation set')
    words.add_argument('--out', default='data/render2_eval')
    words.add_argument('--num', type=int, default=100,
                       help='images per script')
    words.add_argument('--sheet', default='docs/render2_samples.png',
                       help="contact sheet ('' for none)")
    screens = sub.add_parser('screens', parents=[common],
                             help='screen text of web pages')
    screens.add_argument('--out', default='data/real_dev/screen')
    screens.add_argument('--pages-out', default='data/photo_dev',
                         help='whole pages go to <this>/screens/ and '
                         '<this>/screens.json')
    screens.add_argument('--sheet',
                         default='data/real_dev/screen_contact_sheet.png',
                         help="contact sheet ('' for none)")
    return parser.parse_args()


def sheet_items(folder: str, notes: dict, per_lang: int):
    """The first ``per_lang`` crops of each script of ``folder/gt.txt`` as
    contact-sheet items."""
    from cllstr_mm.datasets.crop_folder_dataset import read_crop_folder
    from cllstr_mm.datasets.synthesis.browser.style import LANGUAGE_TAGS
    items, taken = [], dict.fromkeys(LANGUAGES, 0)
    for crop in read_crop_folder(folder):
        if taken[crop.lang] < per_lang:
            taken[crop.lang] += 1
            name = osp.basename(crop.path)
            items.append((crop.path, crop.text, LANGUAGE_TAGS[crop.lang],
                          ' | '.join([name] + notes.get(name, []))))
    return items


def main():
    args = parse_args()
    # fontTools warns about old 'head' timestamps of some Debian fonts
    logging.getLogger('fontTools').setLevel(logging.ERROR)
    from cllstr_mm.datasets.synthesis.browser.chromium import (
        contact_sheet, open_browser, require_chromium)
    from cllstr_mm.datasets.synthesis.browser.fonts import (browser_fonts,
                                                            fetch_web_fonts)
    try:
        require_chromium()
        if not args.no_fetch:
            fetch_web_fonts(args.langs, args.web_fonts)
        for lang in args.langs:
            browser_fonts(lang, args.web_fonts)
    except (FileNotFoundError, RuntimeError) as e:
        sys.exit(f'error: {e}')
    start = time.time()
    with open_browser() as browser:
        if args.command == 'words':
            from cllstr_mm.datasets.synthesis.browser.eval_set import \
                write_eval_set
            written = write_eval_set(browser, args.out, args.langs, args.num,
                                     args.seed, args.web_fonts)
            print(f'{len(written)} images in {args.out} after '
                  f'{time.time() - start:.0f} s')
            notes = {w.name: [w.family, w.steps] for w in written}
            title = ('Second renderer: Chromium, font families training '
                     'never uses, CSS looks, STRAug')
        else:
            from cllstr_mm.datasets.synthesis.browser.screens import \
                write_screens
            written = write_screens(
                browser, args.langs, args.seed, args.out, args.pages_out,
                args.web_fonts, 'rendered by tools/data/'
                'render_browser_words.py screens (Chromium)')
            print(f'{sum(map(len, written.values()))} crops in {args.out} '
                  f'({", ".join(f"{k} {len(v)}" for k, v in written.items())})'
                  f' after {time.time() - start:.0f} s')
            notes = {}
            title = 'Screen text: word crops of rendered web pages'
        if args.sheet:
            contact_sheet(browser,
                          sheet_items(args.out, notes,
                                      SHEET_PER_LANG[args.command]),
                          args.sheet, columns=SHEET_PER_LANG[args.command],
                          title=title)
            print(f'contact sheet: {args.sheet}')


if __name__ == '__main__':
    main()
