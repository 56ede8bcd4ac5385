"""A one-layer model and an MMEngine Runner around it, for tests of
checkpointing and resuming that need no real network."""
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner


class ToyModel(BaseModel):
    """``linear(inputs)``; counts its loss calls in ``loss_calls``."""
    loss_calls = 0

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, inputs, targets=None, mode='tensor'):
        inputs = torch.stack(inputs) if isinstance(inputs, list) else inputs
        out = self.linear(inputs)
        if mode == 'loss':
            ToyModel.loss_calls += 1
            targets = torch.stack(targets) if isinstance(targets, list) \
                else targets
            return {'loss': ((out - targets)**2).mean()}
        return out


def toy_runner(work_dir, dataset, max_iters, resume=False,
               sampler=dict(type='DefaultSampler', shuffle=False),
               loop='IterBasedTrainLoop', batch_size=4, **kwargs) -> Runner:
    """A Runner training :class:`ToyModel` for ``max_iters`` iterations with
    SGD, checkpointing every 2 iterations into ``work_dir``; ``kwargs`` go
    to the Runner (e.g. ``param_scheduler``, ``default_scope``)."""
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=dataset,
            sampler=sampler,
            collate_fn=dict(type='default_collate'),
            batch_size=batch_size,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        train_cfg=dict(type=loop, max_iters=max_iters),
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=2,
                            by_epoch=False),
            logger=dict(type='LoggerHook', interval=1)),
        resume=resume,
        experiment_name=f'toy-{loop}-{max_iters}-{resume}',
        **kwargs)
