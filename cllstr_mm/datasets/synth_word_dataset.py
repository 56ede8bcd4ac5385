import os.path as osp
from collections import Counter
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Union

from mmengine.dataset import Compose
from mmengine.logging import print_log
from torch.utils.data import Dataset

from mmocr.registry import DATASETS
from cllstr_mm.utils.languages import LANGUAGES, split_label
from .image_decoder import CHANNEL_ORDERS, decode_image


@DATASETS.register_module()
class SynthWordDataset(Dataset):
    """Word crops rendered on the fly by the SynthMLT-style generator
    (:class:`~cllstr_mm.datasets.synthesis.WordImageSynthesizer`), one
    script after another: index ``i`` is sample ``i // len(langs)`` of
    language ``langs[i % len(langs)]``, so every batch holds the scripts in
    equal shares and no two indices give the same image. With
    ``lang_shares`` a script takes more than one slot of each cycle of
    indices (its extra slots after ``langs``), its samples numbered on
    across them.

    Rendering costs 3-5 ms of one core per crop, a tenth of what SVTR-Tiny
    spends training on it, and no sample is ever seen twice: a model trained
    this way cannot memorise its training images (pre-rendered LMDBs, which
    repeat, are the other way; ``docs/model_zoo.md`` compares the two).
    Each sample goes through JPEG encoding (the generator's quality range)
    and the project's image decoder, exactly like a stored LMDB sample.

    Args:
        langs: Scripts to draw, e.g. ``('ARA', 'BEN', ..., 'LAT')``.
        lang_shares: Slots per cycle of some scripts, e.g. ``{'CHI': 2}``
            (the others 1): CHI then draws 2 of every 8 samples; a script
            not in ``langs`` is left out. None: one each, the stream of
            earlier releases byte for byte.
        length: Number of indices (virtual: nothing is stored), e.g. far
            more than a run will draw. Use with
            :class:`~cllstr_mm.datasets.samplers.StreamSampler`; a shuffling
            sampler would build a permutation of all of them.
        vocab_size: Words per script, an int for all or a mapping
            ``{LANG: N}`` (missing scripts: 20,000); the N most frequent
            usable ``wordfreq`` words, of which ``word_split`` keeps a part.
        word_split, font_split: ``'train'`` (default), ``'heldout'`` or
            ``'all'``: which words and font families to draw from (see
            :func:`~cllstr_mm.datasets.synthesis.split_words` and
            :func:`~cllstr_mm.datasets.synthesis.split_fonts`).
        seed, stream: With the sample index they fix every random choice.
        height, jpeg_quality: Ranges of the rendered height (px) and JPEG
            quality, as in the generator.
        spaced_prob: Probability (0-1) that a CHI, JPN, KOR or LAT crop has
            its letters drawn widely apart, as on shop signs (the
            generator's ``spaced_prob``).
        dict_file: The model's charset file; None (the default) for MLT19's,
            to whose tokens words are then filtered as before. Given (e.g.
            the release charset), words are filtered to it and rare draws
            choose among its classes.
        number_prob, rare_prob, space_prob, punct_prob: Shares (0-1) of
            number strings (prices, dates, times, phone numbers, units,
            percentages), of samples around the classes the word draws show
            least, of multi-word crops joined by spaces and of words with
            punctuation (the generator's options of the same names). All 0
            by default: no random number is drawn for them, so data sets
            made before they existed are made again byte for byte.
        address_prob: Share (0-1) of the LAT samples that are web or
            e-mail addresses (the generator's option; other scripts draw
            none), 0 by default for the same reason.
        style: The generator's looks (None: the first release's, byte for
            byte): ``'release2'`` (photo backgrounds, clean born-digital
            words, text effects, more font families) or a dict of look
            probabilities (``Style`` in ``synthesis/effects.py``,
            ``docs/synthetic_data.md``).
        channel_order: ``'bgr'`` (MMOCR's convention, as
            :class:`LangLMDBDataset`) or ``'rgb'``.
        pipeline: MMOCR transforms applied to each sample.
        test_mode: Kept for the Runner's dataset interface.
    """

    def __init__(self,
                 langs: Sequence[str] = LANGUAGES,
                 length: int = 10**9,
                 vocab_size: Union[int, Mapping[str, int]] = 20000,
                 word_split: str = 'train',
                 font_split: str = 'train',
                 seed: int = 0,
                 stream: str = 'training',
                 height: Sequence[int] = (32, 64),
                 jpeg_quality: Sequence[int] = (40, 95),
                 spaced_prob: float = 0.0,
                 dict_file: Optional[str] = None,
                 number_prob: float = 0.0,
                 rare_prob: float = 0.0,
                 space_prob: float = 0.0,
                 punct_prob: float = 0.0,
                 address_prob: float = 0.0,
                 style: Optional[Union[str, Mapping]] = None,
                 lang_shares: Optional[Mapping[str, int]] = None,
                 channel_order: str = 'bgr',
                 pipeline: List[Union[dict, Callable]] = [],
                 test_mode: bool = False) -> None:
        # The generator needs wordfreq and system fonts, which reading
        # LMDBs does not: import it only when this dataset is used.
        from cllstr_mm.models.common.dictionary import read_charset
        from .synthesis import encode
        from .synthesis.styled import StyledWordImageSynthesizer
        self._encode = encode
        if channel_order not in CHANNEL_ORDERS:
            raise ValueError(
                f"channel_order={channel_order!r}; use 'bgr' or 'rgb'")
        unknown = [lang for lang in langs if lang not in LANGUAGES]
        if not langs or unknown:
            raise ValueError(f'langs={list(langs)}: expected a non-empty '
                             f'list of {list(LANGUAGES)}')
        shares = dict(lang_shares or {})
        if any(lang not in LANGUAGES or not isinstance(n, int) or n < 1
               for lang, n in shares.items()):
            raise ValueError(f'lang_shares={shares}: expected whole numbers '
                             f'>= 1 for scripts of {list(LANGUAGES)}')
        # (synth index, occurrence) of each slot of a cycle of indices
        self._slots = [(k, 0) for k in range(len(langs))] + [
            (k, n) for k, lang in enumerate(langs)
            for n in range(1, shares.get(lang, 1))
        ]
        self._shares = [shares.get(lang, 1) for lang in langs]
        if length < len(langs):
            raise ValueError(f'length={length} must be at least the number '
                             f'of languages ({len(langs)})')
        sizes: Dict[str, int] = {
            lang: vocab_size if isinstance(vocab_size, int) else
            vocab_size.get(lang, 20000)
            for lang in langs
        }
        self.langs = tuple(langs)
        self.length = length
        self.channel_order = channel_order
        self.test_mode = test_mode
        self.stream = stream
        charset = None if dict_file is None else read_charset(dict_file)
        self.synths = [
            StyledWordImageSynthesizer(
                lang,
                style=style,
                seed=seed,
                stream=stream,
                height=tuple(height),
                jpeg_quality=tuple(jpeg_quality),
                vocab_size=sizes[lang],
                word_split=word_split,
                font_split=font_split,
                spaced_prob=spaced_prob,
                charset=charset,
                number_prob=number_prob,
                rare_prob=rare_prob,
                space_prob=space_prob,
                punct_prob=punct_prob,
                address_prob=address_prob) for lang in self.langs
        ]
        self.pipeline = Compose(pipeline)
        self.log_statistics()

    @property
    def metainfo(self) -> dict:
        return dict(langs=self.langs)

    def __len__(self) -> int:
        return self.length

    def statistics(self) -> List[Dict[str, Union[str, int]]]:
        """Words and font faces drawn from, per script."""
        return [
            dict(lang=s.lang, words=len(s.words), faces=len(s.fonts),
                 families=len({f.family for f in s.fonts}))
            for s in self.synths
        ]

    def log_statistics(self) -> None:
        """Log what each script draws from (MMEngine logger ``'current'``),
        so a training log says which words and fonts its model saw."""
        lines = [
            f'SynthWordDataset {self.stream!r} ({len(self):,} indices):',
            f'{"lang":<6}{"words":>8}{"families":>10}{"faces":>7}'
        ]
        lines += [
            f'{row["lang"]:<6}{row["words"]:>8}{row["families"]:>10}'
            f'{row["faces"]:>7}' for row in self.statistics()
        ]
        print_log('\n'.join(lines), logger='current')

    def token_counts(self, num: int) -> Counter:
        """How often each dictionary token occurs in the labels of samples
        ``0 .. num-1``, read without rendering (the generator's ``label``:
        exact unless a crop came out empty and was drawn again, which is
        rare). Takes about 0.1 ms a sample, Arabic a few ms."""
        if not 0 < num <= self.length:
            raise ValueError(f'num={num} must be within 1..{self.length}')
        counts: Counter = Counter()
        for idx in range(num):
            synth, number = self._locate(idx)
            counts.update(split_label(synth.label(number)))
        return counts

    def _locate(self, idx: int):
        """The synthesizer of index ``idx`` and its sample number there."""
        k, occurrence = self._slots[idx % len(self._slots)]
        cycle = idx // len(self._slots)
        return self.synths[k], cycle * self._shares[k] + occurrence

    def get_data_info(self, idx: int) -> dict:
        """Render sample ``idx``: ``img`` ``[H, W, 3]`` uint8 in
        ``channel_order``, ``instances=[dict(text=label)]``, ``lang`` and an
        ``img_path`` naming the sample (``synth/<stream>/<LANG>/<n>``)."""
        if not 0 <= idx < self.length:
            raise IndexError(f'index {idx} out of range [0, {self.length})')
        synth, number = self._locate(idx)
        image_bytes, label = self._encode(synth.draw(number))
        return dict(
            img=decode_image(image_bytes, self.channel_order),
            instances=[dict(text=label)],
            lang=synth.lang,
            img_path=osp.join('synth', self.stream, synth.lang, str(number)))

    def __getitem__(self, idx: int) -> dict:
        return self.pipeline(self.get_data_info(idx))
