from .stream_sampler import StreamSampler

__all__ = ['StreamSampler']
