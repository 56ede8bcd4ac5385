"""MMEngine's CheckpointHook, safe against a kill at any moment, and the one
place where a configured partial ``load_from`` takes effect."""
import os.path as osp
from typing import Optional

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import find_latest_checkpoint
from mmocr.registry import HOOKS

from cllstr_mm.engine.fileio import AtomicLocalBackend
from cllstr_mm.utils.checkpoint import (atomic_write, check_state_dict,
                                        key_matches)

#: Top-level config key: ``fnmatch`` patterns of model keys that
#: ``load_from`` deliberately does not provide.
EXCLUDE_KEY = 'load_from_exclude_keys'


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` (same arguments) whose checkpoints survive a kill.

    MMEngine's hook writes a checkpoint in place and, with
    ``max_keep_ckpts``, removes the outdated one *before* writing the new
    one, so a run killed while saving (SIGKILL, out of memory, a pre-empted
    job) can be left with a torn checkpoint or none. Here:

    - every file is written through :class:`AtomicLocalBackend`
      (``backend_args=dict(backend='cllstr_atomic_local')``): a temporary
      file, flushed, then renamed over the destination;
    - ``last_checkpoint`` (what ``--resume`` reads) is written the same way,
      after the checkpoint it names;
    - outdated checkpoints and the previous best one are removed only after
      the new one is complete.

    A killed run therefore resumes from its last complete checkpoint.

    It also checks every checkpoint the Runner loads (``load_from``,
    ``resume``) against the model before MMEngine loads it (which would only
    warn), naming the file: see
    :func:`~cllstr_mm.utils.checkpoint.check_state_dict`. A deliberate
    partial load is declared in the config, next to ``load_from``::

        load_from = 'work_dirs/other_head/best_recog_1-NED_iter_*.pth'
        # not taken from load_from: the model keeps its initial values
        load_from_exclude_keys = ['decoder.classifier.*']

    Model keys matching a pattern (``fnmatch``) are not loaded, whether the
    checkpoint lacks them, holds them with other shapes or holds them as
    they are; checkpoint keys matching one are ignored. Every other key must
    fit. The patterns do not apply to ``resume``, which restores the whole
    run.
    """

    def __init__(self, *args, backend_args: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(
            *args,
            backend_args=backend_args or dict(backend='cllstr_atomic_local'),
            **kwargs)

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if not isinstance(self.file_backend, AtomicLocalBackend):
            raise ValueError(
                f'AtomicCheckpointHook writes local files atomically; got '
                f'backend_args={self.backend_args} ('
                f'{type(self.file_backend).__name__}). Leave backend_args '
                "unset, or use type='CheckpointHook' for other storage.")

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Check ``checkpoint`` against the model; fill in the excluded keys
        of a partial ``load_from`` with the model's own values."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        # Runner.load_checkpoint strips 'module.' after this hook; so here.
        state_dict = {
            key[len('module.'):] if key.startswith('module.') else key: value
            for key, value in checkpoint.get('state_dict', checkpoint).items()
        }
        # The Runner keeps what it loads in private attributes only.
        resuming = runner._resume
        exclude = () if resuming else tuple(runner.cfg.get(EXCLUDE_KEY, ()))
        source = runner._load_from or find_latest_checkpoint(
            runner.work_dir) or 'the checkpoint'
        check_state_dict(state_dict, model, source=source, exclude=exclude)
        if not exclude:
            return
        own = model.state_dict()
        kept = sorted(key for key in own if key_matches(key, exclude))
        ignored = sorted(key for key in state_dict
                         if key not in own or key_matches(key, exclude))
        checkpoint['state_dict'] = {
            key: own[key] if key_matches(key, exclude) else state_dict[key]
            for key in own
        }
        print_log(
            f'{EXCLUDE_KEY}={list(exclude)}: {len(kept)} model keys keep '
            f'their initial values {kept[:5]}, {len(ignored)} keys of '
            f'{source} are ignored {ignored[:5]}',
            logger='current')

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        # MMEngine's order is: remove the outdated checkpoint, save, point
        # last_checkpoint at it. Here the removal comes last.
        outdated = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir,
            ckpt_filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        with atomic_write(osp.join(runner.work_dir, 'last_checkpoint'),
                          'w') as f:
            f.write(self.last_ckpt)
        if outdated is not None:
            path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(outdated))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        # MMEngine removes the previous best before saving the new one.
        with self.file_backend.hold_removals():
            super()._save_best_checkpoint(runner, metrics)
