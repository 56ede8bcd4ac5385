from .compat import MissingMMCVOpError, mmcv_ops_available

__all__ = ['MissingMMCVOpError', 'mmcv_ops_available']
