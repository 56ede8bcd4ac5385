from .abinet_color_jitter import ABINetColorJitter
from .abinet_deterioration import ABINetDeterioration
from .abinet_geometry import ABINetGeometry
from .drop_long_words import DropLongWords
from .guidance_view import GuidanceView
from .lmim_pack_inputs import PackMultiViewInputs
from .pack_multilingual_inputs import PackMultilingualTextRecogInputs
from .straug_augment import STRAugment

__all__ = [
    'ABINetColorJitter', 'ABINetDeterioration', 'ABINetGeometry',
    'DropLongWords', 'GuidanceView', 'PackMultiViewInputs',
    'PackMultilingualTextRecogInputs', 'STRAugment'
]
