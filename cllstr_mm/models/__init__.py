from . import backbones, common, decoders, encoders, recognizers  # noqa: F401
