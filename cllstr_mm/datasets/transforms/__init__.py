from .guidance_view import GuidanceView
from .lmim_pack_inputs import PackMultiViewInputs
from .pack_multilingual_inputs import PackMultilingualTextRecogInputs

__all__ = [
    'GuidanceView', 'PackMultiViewInputs', 'PackMultilingualTextRecogInputs'
]
