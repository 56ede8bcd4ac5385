from . import (backbones, common, decoders, encoders, pretrainers,  # noqa: F401
               recognizers)
