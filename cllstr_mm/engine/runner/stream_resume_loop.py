import logging

from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator

from mmocr.registry import LOOPS


@LOOPS.register_module()
class StreamResumeIterBasedTrainLoop(IterBasedTrainLoop):
    """MMEngine's iteration loop, except that a resumed run skips the data
    already trained by telling the sampler where to start.

    MMEngine's loop loads and discards every batch already trained; with
    data rendered on the fly (:class:`~cllstr_mm.datasets.SynthWordDataset`)
    that costs as much as rendering the whole run so far. The sampler must
    have ``set_start(samples_per_rank)``
    (:class:`~cllstr_mm.datasets.samplers.StreamSampler`); with any other
    sampler this loop behaves exactly like :class:`IterBasedTrainLoop`.
    """

    def run(self) -> None:
        sampler = self.dataloader.sampler
        if self._iter == 0 or not hasattr(sampler, 'set_start'):
            return super().run()
        skipped = self._iter * self.dataloader.batch_size
        print_log(
            f'Resuming at iteration {self._iter}: the sampler starts after '
            f'the {skipped} samples per rank already trained',
            logger='current',
            level=logging.INFO)
        sampler.set_start(skipped)
        # The iterator made before resuming already queued samples from 0.
        self.dataloader_iterator = _InfiniteDataloaderIterator(self.dataloader)
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter(next(self.dataloader_iterator))
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model
