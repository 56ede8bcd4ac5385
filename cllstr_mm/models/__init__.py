from . import (backbones, common, decoders, encoders,  # noqa: F401
               postprocessors, pretrainers, recognizers)
