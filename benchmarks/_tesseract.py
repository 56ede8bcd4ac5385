"""libtesseract through its C API (ctypes), as ``peers.py`` (word crops,
one line each) and ``photos.py`` (whole images) run it: engines kept per
traineddata, images passed in memory, no pytesseract and no files."""
import atexit
import ctypes
import ctypes.util

import numpy as np

#: Tesseract's traineddata of each script.
TESSERACT_LANGS = dict(
    ARA='ara', BEN='ben', CHI='chi_sim', HIN='hin', JPN='jpn', KOR='kor',
    LAT='eng')


class Tesseract:
    """The loaded library, and its engines: one per traineddata string
    (e.g. ``'ara+eng'``), created on first use and freed at exit, before
    the library's caches are torn down. Set ``OMP_THREAD_LIMIT`` before
    making one: the library reads it when it loads.

    Args:
        psm (int): page segmentation mode of the engines (3: whole page,
            7: one text line).
    """

    def __init__(self, psm: int) -> None:
        path = ctypes.util.find_library('tesseract')
        if path is None:
            raise SystemExit(
                'error: libtesseract not found; apt-get install tesseract-ocr '
                'tesseract-ocr-{ara,ben,chi-sim,hin,jpn,kor,eng}')
        lib = ctypes.CDLL(path)
        void = ctypes.c_void_p
        lib.TessBaseAPICreate.restype = void
        lib.TessBaseAPIInit3.argtypes = [void, ctypes.c_char_p,
                                         ctypes.c_char_p]
        lib.TessBaseAPISetPageSegMode.argtypes = [void, ctypes.c_int]
        lib.TessBaseAPISetImage.argtypes = [void, void] + [ctypes.c_int] * 4
        lib.TessBaseAPISetSourceResolution.argtypes = [void, ctypes.c_int]
        lib.TessBaseAPIRecognize.argtypes = [void, void]
        lib.TessBaseAPIGetUTF8Text.argtypes = [void]
        lib.TessBaseAPIGetUTF8Text.restype = void
        lib.TessBaseAPIGetTsvText.argtypes = [void, ctypes.c_int]
        lib.TessBaseAPIGetTsvText.restype = void
        lib.TessDeleteText.argtypes = [void]
        lib.TessBaseAPIDelete.argtypes = [void]
        lib.TessVersion.restype = ctypes.c_char_p
        self.lib, self.psm = lib, psm
        #: The library's version, e.g. '5.3.0'.
        self.version = lib.TessVersion().decode()
        self._engines = {}
        atexit.register(
            lambda: [lib.TessBaseAPIDelete(e) for e in self._engines.values()])

    def engine(self, langs: str):
        """The engine of traineddata ``langs`` (``'+'``-joined), or None
        where Tesseract lacks one of them (the caller says which package
        to install)."""
        if langs not in self._engines:
            api = self.lib.TessBaseAPICreate()
            if self.lib.TessBaseAPIInit3(api, None, langs.encode()) != 0:
                return None
            self.lib.TessBaseAPISetPageSegMode(api, self.psm)
            self._engines[langs] = api
        return self._engines[langs]

    def _set_image(self, api, image: np.ndarray) -> None:
        rgb = np.ascontiguousarray(image[..., ::-1])
        height, width = rgb.shape[:2]
        self.lib.TessBaseAPISetImage(api, rgb.ctypes.data, width, height, 3,
                                     3 * width)
        # what the tesseract command assumes for images without dpi
        self.lib.TessBaseAPISetSourceResolution(api, 70)

    def _take_text(self, text) -> str:
        """A string the library allocated, decoded, then freed."""
        decoded = ctypes.string_at(text).decode('utf-8')
        self.lib.TessDeleteText(text)
        return decoded

    def text(self, api, image: np.ndarray) -> str:
        """What ``api`` reads in BGR ``image`` (uint8 ``[H, W, 3]``)."""
        self._set_image(api, image)
        return self._take_text(self.lib.TessBaseAPIGetUTF8Text(api))

    def tsv(self, api, image: np.ndarray) -> str:
        """Tesseract's TSV of BGR ``image`` (uint8 ``[H, W, 3]``): a row per
        page, block, paragraph, line and word, with its box and text."""
        self._set_image(api, image)
        self.lib.TessBaseAPIRecognize(api, None)
        return self._take_text(self.lib.TessBaseAPIGetTsvText(api, 0))
