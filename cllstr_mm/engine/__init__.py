from .optimizers import LayerDecayOptimWrapperConstructor
from .schedules import fit_param_schedulers, train_loop_length

__all__ = [
    'LayerDecayOptimWrapperConstructor', 'fit_param_schedulers',
    'train_loop_length'
]
