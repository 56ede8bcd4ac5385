from typing import Iterator, Optional, Sized

from mmengine.dist import get_dist_info
from torch.utils.data import Sampler

from mmocr.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class StreamSampler(Sampler):
    """Indices ``start, start + 1, ...`` without end (wrapping at the
    dataset's length), split between ranks: for datasets whose every index
    is a new sample (:class:`~cllstr_mm.datasets.SynthWordDataset`), where
    shuffling adds nothing and a permutation of ``len(dataset)`` indices
    would not fit in memory.

    Resuming does not reload what was trained: a loop calls
    :meth:`set_start` with the number of samples each rank has already
    drawn (:class:`~cllstr_mm.engine.runner.StreamResumeIterBasedTrainLoop`).

    Args:
        dataset: The dataset (only its length is used).
        start: Samples per rank to skip.
        seed: Unused; kept for MMEngine's sampler interface.
    """

    def __init__(self,
                 dataset: Sized,
                 start: int = 0,
                 seed: Optional[int] = None) -> None:
        self.rank, self.world_size = get_dist_info()
        self.size = len(dataset)
        self.start = start

    def set_start(self, start: int) -> None:
        """Skip the first ``start`` samples of each rank."""
        if start < 0:
            raise ValueError(f'start must be >= 0, got {start}')
        self.start = start

    def set_epoch(self, epoch: int) -> None:
        """Epochs change nothing: the stream never repeats."""

    def __iter__(self) -> Iterator[int]:
        index = self.start * self.world_size + self.rank
        while True:
            yield index % self.size
            index += self.world_size

    def __len__(self) -> int:
        return self.size // self.world_size
