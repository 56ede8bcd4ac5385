from .guidance_view import GuidanceView
from .lmim_pack_inputs import PackMultiViewInputs

__all__ = ['GuidanceView', 'PackMultiViewInputs']
