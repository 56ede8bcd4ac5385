"""Draw many samples across processes, write them as an LMDB, and make a
contact sheet for eyeballing them."""
import multiprocessing
import os.path as osp
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from cllstr_mm.datasets.lmdb_writer import write_lmdb
from cllstr_mm.utils.languages import split_label
from .fonts import FontFace, covers, load_font, scan_fonts
from .render import WordImageSynthesizer, encode

#: (JPEG bytes, label, font family) of one sample.
Item = Tuple[bytes, str, str]

_worker_synth: Optional[WordImageSynthesizer] = None


def _init_worker(synth: WordImageSynthesizer) -> None:
    global _worker_synth
    _worker_synth = synth
    cv2.setNumThreads(1)  # one process per core already


def _worker_item(index: int) -> Item:
    return _item(_worker_synth, index)


def _item(synth: WordImageSynthesizer, index: int) -> Item:
    sample = synth.draw(index)
    image, label = encode(sample)
    return image, label, sample.font.family


def _context() -> multiprocessing.context.BaseContext:
    """Workers must not be forked from a process that has used OpenCV: a
    fork copies its thread pool's locks in whatever state they are, and the
    child can hang on them. A fork server is a fresh process (it imports this
    module once, so workers start fast); spawn where there is none."""
    if 'forkserver' not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context('spawn')
    context = multiprocessing.get_context('forkserver')
    context.set_forkserver_preload([__name__])
    return context


def iter_samples(synth: WordImageSynthesizer,
                 num: int,
                 workers: int = 1,
                 chunksize: int = 16) -> Iterator[Item]:
    """Samples ``0 .. num-1`` of ``synth`` in order, drawn by ``workers``
    processes. The output does not depend on ``workers``.

    With ``workers > 1`` the workers re-import the calling script, so a
    script must call this under ``if __name__ == '__main__':``.
    """
    if workers <= 1:
        for index in range(num):
            yield _item(synth, index)
        return
    with _context().Pool(
            workers, initializer=_init_worker, initargs=(synth, )) as pool:
        yield from pool.imap(_worker_item, range(num), chunksize)


def write_synth_lmdb(out_dir: str,
                     synth: WordImageSynthesizer,
                     num: int,
                     workers: int = 1,
                     overwrite: bool = False,
                     sheet_path: Optional[str] = None,
                     sheet_size: int = 40,
                     on_sample: Optional[Callable[[], None]] = None) -> int:
    """Write ``num`` samples of ``synth`` to a new LMDB at ``out_dir``.

    Args:
        out_dir: LMDB folder, e.g. ``data/training/SynthMLT_KOR``.
        synth: The synthesizer (its seed and stream fix the content).
        num: Number of samples.
        workers: Processes drawing samples.
        overwrite: Replace an existing ``out_dir``.
        sheet_path: Where to save a contact sheet PNG of the first
            ``sheet_size`` samples; None for none.
        on_sample: Called once per written sample (e.g. a progress bar).

    Returns:
        int: Number of samples written.
    """
    shown: List[Item] = []

    def pairs() -> Iterator[Tuple[bytes, str]]:
        for item in iter_samples(synth, num, workers):
            if len(shown) < sheet_size:
                shown.append(item)
            if on_sample is not None:
                on_sample()
            yield item[0], item[1]

    count = write_lmdb(out_dir, pairs(), overwrite=overwrite)
    if sheet_path is not None:
        # A 256-colour palette: a third of the size, no loss visible here.
        contact_sheet(shown, synth.fonts).quantize(256).save(
            sheet_path, optimize=True)
    return count


def _label_font(fonts: Sequence[FontFace], text: str,
                size: int) -> ImageFont.FreeTypeFont:
    for face in fonts:
        if covers(face, text):
            return load_font(face, size)
    return ImageFont.load_default(size)


def _caption_font(size: int) -> ImageFont.FreeTypeFont:
    for face in scan_fonts():
        if face.family == 'DejaVu Sans' and face.style == 'Book':
            return load_font(face, size)
    return ImageFont.load_default(size)


def contact_sheet(items: Sequence[Item],
                  fonts: Sequence[FontFace],
                  columns: int = 4,
                  cell: Tuple[int, int] = (300, 120)) -> Image.Image:
    """A grid of sample images, each over its label and font family.

    The label is drawn as stored (tabs removed) with one of ``fonts``: for
    ARA it is in reading order, so it must read like the image.
    """
    rows = max(1, -(-len(items) // columns))
    cw, ch = cell
    sheet = Image.new('RGB', (columns * cw, rows * ch), 'white')
    draw = ImageDraw.Draw(sheet)
    caption_font = _caption_font(12)
    for k, (image_bytes, label, family) in enumerate(items):
        x, y = (k % columns) * cw, (k // columns) * ch
        image = Image.fromarray(
            cv2.cvtColor(
                cv2.imdecode(np.frombuffer(image_bytes, np.uint8),
                             cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
        scale = min(48 / image.height, (cw - 10) / image.width)
        image = image.resize((max(1, round(image.width * scale)),
                              max(1, round(image.height * scale))))
        sheet.paste(image, (x + 5, y + 5))
        text = label.replace('\t', '')
        draw.text((x + 5, y + 56),
                  text,
                  fill='black',
                  font=_label_font(fonts, text, 24))
        num_tokens = len(split_label(label))
        draw.text((x + 5, y + 100),
                  f'{num_tokens} token{"s" * (num_tokens != 1)}, {family}',
                  fill=(110, 110, 110),
                  font=caption_font)
        draw.rectangle((x, y, x + cw - 1, y + ch - 1), outline=(200, 200, 200))
    return sheet


def output_dir(data_root: str, split: str, lang: str, synthmlt: bool) -> str:
    """Folder of a CLL-STR LMDB: ``<root>/<split>/<LANG>`` or
    ``<root>/training/SynthMLT_<LANG>``."""
    if synthmlt:
        if split != 'training':
            raise ValueError('SynthMLT sets are training data only; got '
                             f'split={split!r} with synthmlt')
        return osp.join(data_root, 'training', f'SynthMLT_{lang}')
    return osp.join(data_root, split, lang)
