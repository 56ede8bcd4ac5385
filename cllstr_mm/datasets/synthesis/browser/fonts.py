"""Font families of the second renderer: families the training generator
never draws (none is in :data:`~..fonts.SCRIPT_FONTS`, for any script).

Most come from Debian packages and reach Chromium through fontconfig. Debian
has a single Bengali family outside the training list (Noto Sans Bengali UI)
and few Devanagari and Arabic ones, so those scripts also use web fonts from
the npm registry's ``@fontsource`` packages (SIL Open Font Licence), which
:func:`fetch_web_fonts` unpacks into a cache folder and pages load with
their own ``@font-face`` CSS, as web sites do.
"""
import functools
import glob
import os
import os.path as osp
import shutil
import subprocess
import tarfile
import tempfile
from typing import Dict, FrozenSet, List, NamedTuple, Sequence, Set, Tuple

from fontTools.ttLib import TTFont

from ..fonts import SCRIPT_FONTS, scan_fonts

#: Families per script, as CSS ``font-family`` names, each checked to hold
#: the script's letters and to shape them (the Persian and multi-script
#: families that fontconfig also lists, e.g. TW-Kai for Bengali, are left out
#: because they draw the script without its conjuncts or in Persian forms).
BROWSER_FONTS: Dict[str, Tuple[str, ...]] = {
    'ARA': ('Harmattan', 'Lateef', 'Noto Sans Arabic UI', 'Unikurd Web',
            'Cairo', 'Tajawal', 'Almarai'),
    'BEN': ('Noto Sans Bengali UI', 'Hind Siliguri', 'Baloo Da 2',
            'Tiro Bangla', 'Anek Bangla'),
    'CHI': ('Droid Sans Fallback', 'HanaMinA', 'Smiley Sans', 'TW-Kai'),
    'HIN': ('Annapurna SIL', 'Lohit Marathi', 'Noto Sans Devanagari UI',
            'Mukta', 'Hind', 'Tiro Devanagari Hindi', 'Kalam'),
    'JPN': ('BIZ UDPGothic', 'BIZ UDPMincho', 'M PLUS 1', 'M PLUS 2',
            'Komatuna P', 'Konatu'),
    'KOR': ('BM HANNA Pro', 'BM JUA_TTF', 'BM DoHyeon', 'BM YEONSUNG',
            'D2Coding', 'NanumGothic Eco', 'NanumGothicCoding'),
    'LAT': ('Roboto', 'Roboto Condensed', 'Open Sans', 'Inter', 'Carlito',
            'Caladea', 'Linux Libertine O', 'URW Gothic',
            'P052', 'Nimbus Sans', 'URW Bookman', 'Comfortaa',
            'Andika', 'Charis SIL'),
}

#: Where each family comes from: a Debian package, or ``npm:`` and the
#: pinned npm package.
FONT_SOURCES: Dict[str, str] = {
    'Harmattan': 'fonts-sil-harmattan',
    'Lateef': 'fonts-sil-lateef',
    'Noto Sans Arabic UI': 'fonts-noto-ui-core',
    'Unikurd Web': 'fonts-unikurdweb',
    'Cairo': 'npm:@fontsource/cairo@5.3.0',
    'Tajawal': 'npm:@fontsource/tajawal@5.3.0',
    'Almarai': 'npm:@fontsource/almarai@5.3.0',
    'Noto Sans Bengali UI': 'fonts-noto-ui-core',
    'Hind Siliguri': 'npm:@fontsource/hind-siliguri@5.3.0',
    'Baloo Da 2': 'npm:@fontsource/baloo-da-2@5.3.0',
    'Tiro Bangla': 'npm:@fontsource/tiro-bangla@5.3.0',
    'Anek Bangla': 'npm:@fontsource/anek-bangla@5.0.18',
    'Droid Sans Fallback': 'fonts-droid-fallback',
    'HanaMinA': 'fonts-hanazono',
    'Smiley Sans': 'fonts-smiley-sans',
    'TW-Kai': 'fonts-cns11643-kai',
    'Annapurna SIL': 'fonts-sil-annapurna',
    'Lohit Marathi': 'fonts-lohit-deva-marathi',
    'Noto Sans Devanagari UI': 'fonts-noto-ui-core',
    'Mukta': 'npm:@fontsource/mukta@5.3.0',
    'Hind': 'npm:@fontsource/hind@5.3.0',
    'Tiro Devanagari Hindi': 'npm:@fontsource/tiro-devanagari-hindi@5.3.0',
    'Kalam': 'npm:@fontsource/kalam@5.3.0',
    'BIZ UDPGothic': 'fonts-morisawa-bizud-gothic',
    'BIZ UDPMincho': 'fonts-morisawa-bizud-mincho',
    'M PLUS 1': 'fonts-mplus',
    'M PLUS 2': 'fonts-mplus',
    'Komatuna P': 'fonts-komatuna',
    'Konatu': 'fonts-konatu',
    'BM HANNA Pro': 'fonts-woowa-bm',
    'BM JUA_TTF': 'fonts-woowa-bm',
    'BM DoHyeon': 'fonts-woowa-bm',
    'BM YEONSUNG': 'fonts-woowa-bm',
    'D2Coding': 'fonts-naver-d2coding',
    'NanumGothic Eco': 'fonts-nanum-eco',
    'NanumGothicCoding': 'fonts-nanum-coding',
    'Roboto': 'fonts-roboto-unhinted',
    'Roboto Condensed': 'fonts-roboto-unhinted',
    'Open Sans': 'fonts-open-sans',
    'Inter': 'fonts-inter',
    'Carlito': 'fonts-crosextra-carlito',
    'Caladea': 'fonts-crosextra-caladea',
    'Linux Libertine O': 'fonts-linuxlibertine',
    'URW Gothic': 'fonts-urw-base35',
    'P052': 'fonts-urw-base35',
    'Nimbus Sans': 'fonts-urw-base35',
    'URW Bookman': 'fonts-urw-base35',
    'Comfortaa': 'fonts-comfortaa',
    'Andika': 'fonts-sil-andika',
    'Charis SIL': 'fonts-sil-charis',
}

#: Debian packages the second renderer needs: the browser, ImageMagick's
#: library for STRAug's Wand-based ops, and the Debian font families.
BROWSER_PACKAGES: Tuple[str, ...] = ('chromium', 'libmagickwand-dev') + tuple(
    sorted({p for p in FONT_SOURCES.values() if not p.startswith('npm:')}))

#: Where the web fonts are unpacked when no other folder is given.
DEFAULT_WEB_FONT_DIR = osp.join('work_dirs', 'webfonts')


class BrowserFont(NamedTuple):
    """A family as Chromium draws it.

    ``css`` is the ``@font-face`` stylesheet of a web font ('' for a
    system font); ``weights`` the CSS weights to draw it in (700 and 900
    only where the family has a bold or a black face, so none is faked);
    ``codepoints`` the characters every one of its faces draws; ``names``
    the family and face names its fonts give (Chromium reports a drawn
    font by one of them, e.g. 'BM JUA' for the family 'BM JUA_TTF').
    """
    family: str
    css: str
    weights: Tuple[int, ...]
    codepoints: FrozenSet[int]
    names: FrozenSet[str]


def npm_package_dir(family: str, web_font_dir: str) -> str:
    """Absolute folder that :func:`fetch_web_fonts` unpacks a family's npm
    package into (``<web_font_dir>/<name>@<version>``)."""
    spec = FONT_SOURCES[family][len('npm:'):]
    return osp.abspath(
        osp.join(web_font_dir, spec.replace('@fontsource/', '')))


def fetch_web_fonts(langs: Sequence[str], web_font_dir: str) -> None:
    """Unpack the npm font packages of ``langs`` that are missing from
    ``web_font_dir`` with ``npm pack`` (the registry's own client).

    Raises:
        RuntimeError: npm is missing or a package cannot be fetched.
    """
    families = [f for lang in langs for f in BROWSER_FONTS[lang]
                if FONT_SOURCES[f].startswith('npm:')]
    for family in families:
        target = npm_package_dir(family, web_font_dir)
        if osp.isdir(target):
            continue
        spec = FONT_SOURCES[family][len('npm:'):]
        if shutil.which('npm') is None:
            raise RuntimeError(
                f'the web font {family!r} ({spec}) is not in {web_font_dir} '
                'and npm is not installed to fetch it (Debian: apt-get '
                'install npm)')
        print(f'fetching {spec} into {target}', flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run(['npm', 'pack', '-q', spec],
                                  cwd=tmp, capture_output=True, text=True)
            archives = glob.glob(osp.join(tmp, '*.tgz'))
            if done.returncode or len(archives) != 1:
                raise RuntimeError(f'npm pack {spec} failed: {done.stderr}')
            with tarfile.open(archives[0]) as archive:
                archive.extractall(tmp, filter='data')
            os.makedirs(web_font_dir, exist_ok=True)
            shutil.move(osp.join(tmp, 'package'), target)


def _drawable_codepoints(font: TTFont) -> Set[int]:
    """Code points whose glyph has an outline. Some fonts map characters to
    empty glyphs (WenQuanYi Micro Hei's U+2103), which draw nothing where
    the text has a letter; a TrueType glyph is empty when its ``loca``
    entry has no length (CFF fonts are taken at their cmap's word)."""
    cmap = font.getBestCmap() or {}
    if 'loca' not in font:
        return set(cmap)
    loca, order = font['loca'], font.getGlyphOrder()
    length = {name: loca[k + 1] - loca[k] for k, name in enumerate(order)}
    return {cp for cp, name in cmap.items()
            if length.get(name, 0) > 0 or chr(cp).isspace()}


def _weight_and_codepoints(path: str) -> Tuple[int, Set[int]]:
    font = TTFont(path, lazy=True)
    return font['OS/2'].usWeightClass, _drawable_codepoints(font)


def _draw_weights(face_weights: Sequence[int]) -> Tuple[int, ...]:
    """CSS weights drawn: normal always, bold where a face of weight 600 or
    more exists, 900 where one of 800 or more does."""
    heaviest = max(face_weights)
    return tuple(w for w, need in ((400, 0), (700, 600), (900, 800))
                 if heaviest >= need)


def _system_font(family: str) -> BrowserFont:
    faces = [f for f in scan_fonts() if f.family == family]
    if not faces:
        raise FileNotFoundError(
            f'font family {family!r} is not installed; install the Debian '
            f'package: apt-get install {FONT_SOURCES[family]}')
    weights, codepoints, names = [], [], {family}
    for face in faces:
        font = TTFont(face.path, fontNumber=face.index, lazy=True)
        weights.append(font['OS/2'].usWeightClass)
        codepoints.append(_drawable_codepoints(font))
        names.update(r.toUnicode() for r in font['name'].names
                     if r.nameID in (1, 4, 16) and r.langID in (0, 1033))
    return BrowserFont(family, '', _draw_weights(weights),
                       frozenset(set.intersection(*codepoints)),
                       frozenset(names))


def _web_font(family: str, web_font_dir: str) -> BrowserFont:
    package = npm_package_dir(family, web_font_dir)
    if not osp.isdir(package):
        raise FileNotFoundError(
            f'web font {family!r} is not in {web_font_dir}: run the tool '
            f'without --no-fetch, or npm pack {FONT_SOURCES[family][4:]} and '
            f'move the archive\'s package/ folder to {package}')
    sheets = sorted(glob.glob(osp.join(package, '[0-9]*.css')))
    weights = sorted({int(osp.basename(s).split('.')[0].split('-')[0])
                      for s in sheets})
    css = []
    for weight in _draw_weights(weights):
        # the nearest face at or below the drawn weight, as CSS would pick
        face = max(w for w in weights if w <= weight) if min(
            weights) <= weight else min(weights)
        with open(osp.join(package, f'{face}.css'), encoding='utf-8') as f:
            # the sheet's relative URLs name files next to it
            css.append(f.read().replace('url(./', f'url(file://{package}/')
                       .replace(f'font-weight: {face};',
                                f'font-weight: {weight};'))
    # A face's subsets (Latin, the script, ...) together make its cmap.
    by_weight: Dict[int, Set[int]] = {}
    for path in glob.glob(osp.join(package, 'files', '*-normal.woff')):
        weight, cps = _weight_and_codepoints(path)
        by_weight.setdefault(weight, set()).update(cps)
    return BrowserFont(family, '\n'.join(css), _draw_weights(weights),
                       frozenset(set.intersection(*by_weight.values())),
                       frozenset((family, )))


@functools.lru_cache(maxsize=None)
def load_browser_font(family: str,
                      web_font_dir: str = DEFAULT_WEB_FONT_DIR
                      ) -> BrowserFont:
    """The :class:`BrowserFont` of ``family`` (one of :data:`BROWSER_FONTS`).

    Raises:
        FileNotFoundError: The family is not installed; the message names
            the Debian package or npm package that provides it.
    """
    if family not in FONT_SOURCES:
        raise KeyError(f'unknown family {family!r}; expected one of '
                       f'{sorted(FONT_SOURCES)}')
    if FONT_SOURCES[family].startswith('npm:'):
        return _web_font(family, web_font_dir)
    return _system_font(family)


def browser_fonts(lang: str,
                  web_font_dir: str = DEFAULT_WEB_FONT_DIR
                  ) -> List[BrowserFont]:
    """Every :data:`BROWSER_FONTS` family of ``lang``, loaded.

    Raises:
        FileNotFoundError: A family is missing (the message names its
            package): the set is pinned to the whole list, so a missing
            family would silently change it.
    """
    return [load_browser_font(f, web_font_dir) for f in BROWSER_FONTS[lang]]


def unseen_by_training(family: str) -> bool:
    """Whether no script of the training generator uses ``family``."""
    return all(family not in families for families in SCRIPT_FONTS.values())


def covers(font: BrowserFont, text: str) -> bool:
    """Whether every character of ``text`` (but spaces and joiners) has a
    glyph in ``font``, so Chromium draws none in a fallback family."""
    return all(ord(c) in font.codepoints for c in text
               if c not in ' \u200c\u200d')
