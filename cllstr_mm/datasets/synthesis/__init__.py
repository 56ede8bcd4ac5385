"""SynthMLT-style synthetic word images for the seven CLL-STR scripts.

Not imported by ``cllstr_mm.datasets``: it needs ``wordfreq`` and system
fonts, which training does not. Use ``tools/data/synth_text.py``.
"""
from .fonts import (FONT_PACKAGES, HELDOUT_FONT_FAMILIES, SCRIPT_FONTS,
                    FontFace, covers, find_fonts, require_shaping, scan_fonts,
                    split_fonts)
from .generate import (contact_sheet, iter_samples, output_dir,
                       write_synth_lmdb)
from .render import (SPACEABLE_SCRIPTS, SynthSample, WordImageSynthesizer,
                     encode)
from .words import (WORD_SOURCES, load_charset, load_words, respell_nukta,
                    split_words)

__all__ = [
    'FONT_PACKAGES', 'HELDOUT_FONT_FAMILIES', 'SCRIPT_FONTS', 'FontFace',
    'covers', 'find_fonts', 'require_shaping', 'scan_fonts', 'split_fonts',
    'contact_sheet', 'iter_samples', 'output_dir', 'write_synth_lmdb',
    'SPACEABLE_SCRIPTS', 'SynthSample', 'WordImageSynthesizer', 'encode',
    'WORD_SOURCES', 'load_charset', 'load_words', 'respell_nukta',
    'split_words'
]
