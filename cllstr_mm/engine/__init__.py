from .fileio import AtomicLocalBackend
from .hooks import AtomicCheckpointHook
from .optimizers import (CPUBF16OptimWrapper,
                         LayerDecayOptimWrapperConstructor)
from .runner import StreamResumeIterBasedTrainLoop
from .schedules import fit_param_schedulers, train_loop_length

__all__ = [
    'AtomicCheckpointHook', 'AtomicLocalBackend', 'CPUBF16OptimWrapper',
    'LayerDecayOptimWrapperConstructor', 'fit_param_schedulers',
    'train_loop_length', 'StreamResumeIterBasedTrainLoop'
]
