"""Fonts for synthetic word images: discovery, glyph coverage, raqm check.

Fonts are found by family name among the font files under the system font
folders (read with fontTools, so fontconfig is not needed). A script gets
several families; which of them exist depends on the Debian packages that are
installed, listed in :data:`FONT_PACKAGES`. Output is reproducible only with
the same set of font files (and the same Pillow/FreeType/HarfBuzz).
"""
import functools
import os
import os.path as osp
from typing import (Dict, Iterable, List, NamedTuple, Optional, Sequence,
                    Set, Tuple)

from fontTools.ttLib import TTCollection, TTFont
from PIL import ImageFont, features

#: Family names used for each script, by the typographic family name
#: (name ID 16, else 1). Decorative and symbol families are left out.
SCRIPT_FONTS: Dict[str, Sequence[str]] = {
    'ARA': ('Noto Sans Arabic', 'Noto Naskh Arabic', 'Noto Kufi Arabic',
            'Amiri', 'Scheherazade', 'KacstBook', 'KacstOffice',
            'KacstNaskh', 'KacstTitle', 'KacstPoster', 'KacstLetter',
            'KacstOne', 'KacstPen', 'KacstFarsi', 'KacstScreen', 'KacstArt',
            'Thabit', 'Lemonada', 'AlArabiya', 'AlBattar', 'AlHor',
            'AlManzomah', 'AlYarmook', 'Arab', 'Cortoba', 'Dimnah', 'Furat',
            'Granada', 'Hani', 'Haramain', 'Kayrawan', 'Khalid', 'Mashq',
            'Nada', 'Nagham', 'Nice', 'Ostorah', 'Ouhod', 'Petra', 'Rasheeq',
            'Rehan', 'Salem', 'Sharjah', 'Sindbad', 'Tarablus', 'Tholoth'),
    'BEN': ('Noto Sans Bengali', 'Noto Serif Bengali', 'Lohit Bengali',
            'Lohit Assamese', 'Mukti', 'Ani', 'Likhan', 'Jamrul', 'Mitra'),
    'CHI': ('Noto Sans CJK SC', 'Noto Serif CJK SC', 'WenQuanYi Zen Hei',
            'WenQuanYi Micro Hei', 'AR PL UKai CN', 'AR PL UMing CN',
            'AR PL KaitiM GB', 'AR PL SungtiL GB', 'LXGW WenKai'),
    'HIN': ('Noto Sans Devanagari', 'Noto Serif Devanagari',
            'Lohit Devanagari', 'Chandas', 'Kalimati', 'Samanata',
            'Aksharyogini2', 'Gargi', 'Nakula', 'Sahadeva',
            'Samyak Devanagari', 'Sarai'),
    'JPN': ('Noto Sans CJK JP', 'Noto Serif CJK JP', 'IPAGothic',
            'IPAMincho', 'IPAPGothic', 'IPAPMincho', 'IPAexGothic',
            'IPAexMincho', 'MigMix 1P', 'MigMix 2P', 'Migu 1P',
            'MotoyaLCedar', 'MotoyaLMaru', 'Sawarabi Gothic',
            'Sawarabi Mincho', 'TakaoGothic', 'TakaoMincho', 'Ume Gothic',
            'Ume Mincho', 'VL Gothic'),
    'KOR': ('Noto Sans CJK KR', 'Noto Serif CJK KR', 'UnDotum', 'UnBatang',
            'UnGraphic', 'UnDinaru', 'UnPilgi', 'UnGungseo', 'UnShinmun',
            'UnYetgul', 'UnTaza', 'UnVada', 'UnPen', 'UnPenheulim',
            'NanumGothic', 'NanumMyeongjo', 'NanumBarunGothic', 'NanumSquare',
            'NanumSquareRound', 'NanumBarunpen', 'Nanum Pen Script',
            'Nanum Brush Script', 'Baekmuk Batang', 'Baekmuk Dotum',
            'Baekmuk Gulim', 'Baekmuk Headline', 'Bandal', 'Bangwool',
            'Eunjin', 'Guseul', 'LexiGulim', 'LexiSaebomR'),
    'LAT': ('Noto Sans', 'Noto Serif', 'Noto Sans Mono', 'Noto Sans Display',
            'DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono',
            'Liberation Sans', 'Liberation Serif', 'Liberation Sans Narrow',
            'FreeSans', 'FreeSerif', 'Lato', 'Cantarell', 'Gentium Plus',
            'EB Garamond'),
}

#: One family per script that the released model never trains on
#: (``split_fonts``), so its evaluation can score unseen typefaces.
HELDOUT_FONT_FAMILIES: Dict[str, str] = {
    'ARA': 'Noto Naskh Arabic',
    'BEN': 'Mukti',
    'CHI': 'AR PL UMing CN',
    'HIN': 'Kalimati',
    'JPN': 'MotoyaLCedar',
    'KOR': 'NanumMyeongjo',
    'LAT': 'Liberation Serif',
}

#: Debian packages that provide the families above.
FONT_PACKAGES: Dict[str, Sequence[str]] = {
    'ARA': ('fonts-noto-core', 'fonts-noto-extra', 'fonts-hosny-amiri',
            'fonts-sil-scheherazade', 'fonts-kacst', 'fonts-kacst-one',
            'fonts-hosny-thabit', 'fonts-lemonada', 'fonts-arabeyes'),
    'BEN': ('fonts-noto-core', 'fonts-noto-extra', 'fonts-lohit-beng-bengali',
            'fonts-lohit-beng-assamese', 'fonts-beng-extra'),
    'CHI': ('fonts-noto-cjk', 'fonts-wqy-zenhei', 'fonts-wqy-microhei',
            'fonts-arphic-ukai', 'fonts-arphic-uming', 'fonts-arphic-gkai00mp',
            'fonts-arphic-gbsn00lp', 'fonts-lxgw-wenkai'),
    'HIN': ('fonts-noto-core', 'fonts-noto-extra', 'fonts-lohit-deva',
            'fonts-deva-extra', 'fonts-aksharyogini2', 'fonts-gargi',
            'fonts-nakula', 'fonts-sahadeva', 'fonts-samyak-deva',
            'fonts-sarai'),
    'JPN': ('fonts-noto-cjk', 'fonts-ipafont-gothic', 'fonts-ipafont-mincho',
            'fonts-ipaexfont-gothic', 'fonts-ipaexfont-mincho',
            'fonts-migmix', 'fonts-motoya-l-cedar', 'fonts-motoya-l-maruberi',
            'fonts-sawarabi-gothic', 'fonts-sawarabi-mincho',
            'fonts-takao-gothic', 'fonts-takao-mincho', 'fonts-horai-umefont',
            'fonts-vlgothic'),
    'KOR': ('fonts-noto-cjk', 'fonts-unfonts-core', 'fonts-unfonts-extra',
            'fonts-nanum', 'fonts-nanum-extra', 'fonts-baekmuk', 'fonts-alee',
            'fonts-lexi-gulim', 'fonts-lexi-saebom'),
    'LAT': ('fonts-noto-core', 'fonts-noto-extra', 'fonts-dejavu-core',
            'fonts-dejavu-extra', 'fonts-liberation', 'fonts-freefont-ttf',
            'fonts-lato', 'fonts-cantarell', 'fonts-sil-gentiumplus',
            'fonts-ebgaramond'),
}

#: Families added for the second release's training data: ``font_set=
#: 'release2'`` draws :data:`SCRIPT_FONTS` plus these, so data made with the
#: default ``'release1'`` does not change. Each was checked to shape its
#: script, to draw every glyph its cmap maps (no blank glyphs) and to be
#: neither the held-out family nor a copy of it, and none comes from
#: :data:`EVALUATION_FONT_PACKAGES`. BEN and HIN get none: Debian's other
#: families that map their letters (FreeSans, FreeSerif, SetoFont, TW-Sung)
#: draw conjuncts with a visible virama or not at all.
SCRIPT_FONTS_EXTRA: Dict[str, Sequence[str]] = {
    'ARA': ('Alkalami', 'FreeFarsi', 'PakType Naskh Basic', 'PakType Naqsh',
            'PakType Tehreer', 'Nafees', 'Noto Nastaliq Urdu',
            'KacstDecorative', 'KacstDigital', 'KacstQurn', 'Electron',
            'Graph', 'Japan', 'Metal', 'DejaVu Sans', 'FreeSerif'),
    'BEN': (),
    'CHI': ('BabelStone Han', ),
    'HIN': (),
    'JPN': ('BabelStone Han', 'Dejima', 'IPAmjMincho', 'KouzanBrushFont',
            'LXGW WenKai', 'Oradano-mincho-GSRR', 'Reggae One',
            'Yusei Magic', 'kiloji', 'YOzS', 'YOzC'),
    'KOR': ('Eunjin Nakseo', 'UnJamoBatang', 'UnJamoDotum', 'UnJamoNovel',
            'UnJamoSora', 'UnPilgia', 'NanumSquare_ac', 'WenQuanYi Zen Hei',
            'LXGW WenKai'),
    'LAT': ('Cabin', 'Karla', 'Manrope', 'League Spartan', 'Quicksand',
            'Dosis', 'Play', 'Jura', 'Yanone Kaffeesatz', 'Gillius ADF',
            'Universalis ADF Std', 'Averia Sans GWF', 'Baskervald ADF Std',
            'Accanthis ADF Std', 'Berenis ADF Pro', 'Libris ADF Std',
            'Vollkorn', 'Old Standard TT', 'Fanwood Text',
            'Goudy Bookletter 1911', 'Averia Serif GWF', 'Noto Serif Display',
            'JetBrains Mono', 'Inconsolata', 'Anonymous Pro', 'FreeMono',
            'Liberation Mono', 'Comic Neue', 'Dancing Script',
            'Kaushan Script', 'Lobster Two'),
}

#: Debian packages that provide :data:`SCRIPT_FONTS_EXTRA`.
FONT_PACKAGES_EXTRA: Dict[str, Sequence[str]] = {
    'ARA': ('fonts-sil-alkalami', 'fonts-freefarsi', 'fonts-paktype',
            'fonts-nafees', 'fonts-noto-core', 'fonts-kacst',
            'fonts-arabeyes', 'fonts-dejavu-core', 'fonts-freefont-ttf'),
    'BEN': (),
    'CHI': ('fonts-babelstone-han', ),
    'HIN': (),
    'JPN': ('fonts-babelstone-han', 'fonts-dejima-mincho',
            'fonts-ipamj-mincho', 'fonts-kouzan-mouhitsu',
            'fonts-lxgw-wenkai', 'fonts-oradano-mincho-gsrr', 'fonts-reggae',
            'fonts-yusei-magic', 'fonts-kiloji',
            'fonts-yozvox-yozfont-standard-kana',
            'fonts-yozvox-yozfont-cute'),
    'KOR': ('fonts-alee', 'fonts-unfonts-extra', 'fonts-nanum-extra',
            'fonts-wqy-zenhei', 'fonts-lxgw-wenkai'),
    'LAT': ('fonts-cabin', 'fonts-karla', 'fonts-manrope',
            'fonts-league-spartan', 'fonts-quicksand', 'fonts-dosis',
            'fonts-play', 'fonts-jura', 'fonts-yanone-kaffeesatz',
            'fonts-adf-gillius', 'fonts-adf-universalis',
            'fonts-averia-sans-gwf', 'fonts-adf-baskervald',
            'fonts-adf-accanthis', 'fonts-adf-berenis', 'fonts-adf-libris',
            'fonts-vollkorn', 'fonts-oldstandard', 'fonts-fanwood',
            'fonts-goudybookletter', 'fonts-averia-serif-gwf',
            'fonts-noto-core', 'fonts-jetbrains-mono', 'fonts-inconsolata',
            'fonts-anonymous-pro', 'fonts-freefont-ttf', 'fonts-liberation',
            'fonts-comic-neue', 'fonts-dancingscript', 'fonts-kaushanscript',
            'fonts-lobster'),
}

#: Debian packages whose families only the second, evaluation-only renderer
#: draws (``synthesis/browser``): training never draws from them, so its
#: scores measure typefaces the model has not seen.
EVALUATION_FONT_PACKAGES = (
    'fonts-noto-ui-core', 'fonts-noto-ui-extra', 'fonts-sil-lateef',
    'fonts-sil-harmattan', 'fonts-farsiweb', 'fonts-unikurdweb',
    'fonts-droid-fallback', 'fonts-hanazono', 'fonts-smiley-sans',
    'fonts-cns11643-kai', 'fonts-mplus', 'fonts-komatuna', 'fonts-konatu',
    'fonts-morisawa-bizud-gothic', 'fonts-morisawa-bizud-mincho',
    'fonts-annapurna', 'fonts-sil-annapurna', 'fonts-lohit-deva-marathi',
    'fonts-lohit-deva-nepali', 'fonts-woowa-bm', 'fonts-naver-d2coding',
    'fonts-nanum-eco', 'fonts-nanum-coding', 'fonts-noto-cjk-extra',
    'fonts-roboto', 'fonts-roboto-unhinted', 'fonts-open-sans',
    'fonts-inter', 'fonts-crosextra-carlito', 'fonts-crosextra-caladea',
    'fonts-linuxlibertine', 'fonts-texgyre', 'fonts-urw-base35',
    'fonts-comfortaa', 'fonts-sil-andika', 'fonts-sil-charis')

#: Font sets a generator draws from: ``'release1'`` is :data:`SCRIPT_FONTS`
#: (the data of the paper, the findings and the first release),
#: ``'release2'`` adds :data:`SCRIPT_FONTS_EXTRA`.
FONT_SETS = ('release1', 'release2')


def script_families(lang: str, font_set: str = 'release1') -> List[str]:
    """Family names drawn for ``lang`` in ``font_set``."""
    if font_set not in FONT_SETS:
        raise ValueError(f'font_set={font_set!r}; use one of {FONT_SETS}')
    extra = SCRIPT_FONTS_EXTRA[lang] if font_set == 'release2' else ()
    return list(SCRIPT_FONTS[lang]) + list(extra)


def font_packages(lang: str, font_set: str = 'release1') -> List[str]:
    """Debian packages that provide :func:`script_families`."""
    extra = FONT_PACKAGES_EXTRA[lang] if font_set == 'release2' else ()
    return list(dict.fromkeys(list(FONT_PACKAGES[lang]) + list(extra)))

#: Scripts that are unreadable without complex shaping (joining, reordering,
#: conjuncts), which Pillow only does with libraqm.
SHAPED_SCRIPTS = ('ARA', 'BEN', 'HIN')

#: Folders searched when none are given. Per-user folders are left out so that
#: the same packages give the same output on every machine.
DEFAULT_FONT_DIRS = ('/usr/share/fonts', '/usr/local/share/fonts')

#: Styles too thin to survive a 32 px crop.
_THIN_STYLES = ('thin', 'hairline', 'extralight', 'extra light', 'ultralight')
_FONT_EXTENSIONS = ('.ttf', '.otf', '.ttc', '.otc')
#: Format characters that shape text but need no glyph of their own.
_NO_GLYPH_NEEDED = frozenset({0x200C, 0x200D})


class FontFace(NamedTuple):
    """One face of a font file (``index`` selects a face of a collection)."""
    path: str
    index: int
    family: str
    style: str


def _name(font: TTFont, *name_ids: int) -> str:
    table = font['name']
    for name_id in name_ids:
        value = (table.getDebugName(name_id) or '').strip()
        if value:
            return value
    return ''


@functools.lru_cache(maxsize=None)
def scan_fonts(font_dirs: Sequence[str] = DEFAULT_FONT_DIRS
               ) -> List[FontFace]:
    """All faces of the font files under ``font_dirs``, sorted.

    Symlinks to the same file are listed once; unreadable files are skipped.
    """
    faces = set()
    for font_dir in font_dirs:
        for root, _, files in os.walk(font_dir):
            for name in files:
                if not name.lower().endswith(_FONT_EXTENSIONS):
                    continue
                path = osp.realpath(osp.join(root, name))
                try:
                    if name.lower().endswith(('.ttc', '.otc')):
                        fonts = TTCollection(path, lazy=True).fonts
                    else:
                        fonts = [TTFont(path, lazy=True)]
                    for index, font in enumerate(fonts):
                        faces.add(
                            FontFace(path, index, _name(font, 16, 1),
                                     _name(font, 17, 2)))
                except Exception:  # not a font fontTools can read
                    continue
    return sorted(faces, key=lambda f: (f.family, f.style, f.path, f.index))


def find_fonts(lang: str,
               font_dirs: Optional[Iterable[str]] = None,
               font_set: str = 'release1') -> List[FontFace]:
    """Faces of the families of ``lang`` in ``font_set``
    (:func:`script_families`).

    Thin styles are dropped. Raises ``FileNotFoundError`` naming the Debian
    packages to install when none of the script's families is found.
    """
    if lang not in SCRIPT_FONTS:
        raise KeyError(f'unknown language {lang!r}; expected one of '
                       f'{sorted(SCRIPT_FONTS)}')
    dirs = tuple(font_dirs) if font_dirs is not None else DEFAULT_FONT_DIRS
    families = script_families(lang, font_set)
    faces = [
        face for face in scan_fonts(dirs) if face.family in set(families)
        and not any(thin in face.style.lower() for thin in _THIN_STYLES)
    ]
    if not faces:
        raise FileNotFoundError(
            f'no font for {lang} under {list(dirs)} (looked for the families '
            f'{families}); install the Debian packages: apt-get install '
            f'{" ".join(font_packages(lang, font_set))}')
    return faces


#: Parts of a script's fonts or words: what the model trains on, what only
#: its evaluation sees, or everything.
SPLIT_PARTS = ('all', 'train', 'heldout')


def split_fonts(faces: Sequence[FontFace], lang: str,
                part: str) -> List[FontFace]:
    """The faces of ``part``: ``'heldout'`` keeps the family of
    :data:`HELDOUT_FONT_FAMILIES`, ``'train'`` every other one, ``'all'``
    everything. Raises ``ValueError`` when the part is empty (e.g. the
    held-out family's package is not installed)."""
    if part not in SPLIT_PARTS:
        raise ValueError(f'font split {part!r}; use one of {SPLIT_PARTS}')
    if part == 'all':
        return list(faces)
    heldout = HELDOUT_FONT_FAMILIES[lang]
    kept = [f for f in faces if (f.family == heldout) == (part == 'heldout')]
    if not kept:
        raise ValueError(
            f'no {lang} face left for font split {part!r} (held-out family '
            f'{heldout!r}); install the Debian packages: apt-get install '
            f'{" ".join(FONT_PACKAGES[lang])}')
    return kept


#: Ranges of the OS/2 weight class (100-1000) that
#: :func:`faces_of_weight` calls regular, bold and heavy.
WEIGHT_RANGES: Dict[str, Tuple[int, int]] = {
    'regular': (350, 550),
    'bold': (600, 750),
    'heavy': (800, 1000),
}


@functools.lru_cache(maxsize=None)
def face_weight(face: FontFace) -> int:
    """The face's OS/2 weight class (400 regular, 700 bold, 900 black);
    400 when the font has no OS/2 table."""
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    return font['OS/2'].usWeightClass if 'OS/2' in font else 400


def faces_of_weight(faces: Sequence[FontFace],
                    weight: str) -> List[FontFace]:
    """The upright (not italic or oblique) ``faces`` whose weight class is
    in ``WEIGHT_RANGES[weight]``."""
    low, high = WEIGHT_RANGES[weight]
    return [
        f for f in faces if low <= face_weight(f) <= high
        and not any(s in f.style.lower() for s in ('italic', 'oblique'))
    ]


@functools.lru_cache(maxsize=None)
def font_codepoints(face: FontFace) -> Set[int]:
    """Code points the face's cmap maps to a glyph."""
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    return set(font.getBestCmap() or ())


def covers(face: FontFace, text: str) -> bool:
    """Whether ``face`` has a glyph for every character of ``text``.

    A missing character would be drawn as the .notdef box (tofu).
    """
    codepoints = font_codepoints(face)
    return all(
        ord(char) in codepoints or ord(char) in _NO_GLYPH_NEEDED
        for char in text)


@functools.lru_cache(maxsize=512)
def load_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """Pillow font for ``face`` at ``size`` px, laid out with raqm when
    Pillow has it."""
    layout = (ImageFont.Layout.RAQM
              if features.check('raqm') else ImageFont.Layout.BASIC)
    return ImageFont.truetype(
        face.path, size, index=face.index, layout_engine=layout)


def require_shaping(lang: str) -> None:
    """Raise ``RuntimeError`` if ``lang`` needs raqm and Pillow lacks it.

    Without shaping, Arabic comes out unjoined and left to right and Indic
    conjuncts and vowel signs fall apart: such images would teach a model
    wrong glyphs, so none are written.
    """
    if lang in SHAPED_SCRIPTS and not features.check('raqm'):
        raise RuntimeError(
            f'{lang} text needs complex shaping, but this Pillow has no raqm '
            'support (PIL.features.check("raqm") is False). Install libraqm '
            'and its dependencies (Debian: apt-get install libraqm0 '
            'libfribidi0 libharfbuzz0b; Pillow wheels bundle raqm and only '
            'need libfribidi0), then check again.')
