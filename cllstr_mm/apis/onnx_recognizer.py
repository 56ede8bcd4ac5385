"""The ONNX path of the CTC recognisers (SVTR-Tiny, CRNN): export the
network to ONNX, optionally quantise it to int8, and run it with ONNX
Runtime behind the same inferencer as the PyTorch model.

Only the network between the normalised image batch and the logits is in
the ONNX file. Everything around it is the config's own: the inferencer's
test pipeline (PIL decode, 100x32 bicubic resize), the model's data
preprocessor (BGR->RGB, ``(x - 127.5) / 127.5``) and the decoder's softmax
and CTC post-processor, so a reading differs from the PyTorch one only by
the network's numerics.

Needs ``onnx``, ``onnxscript`` (export) and ``onnxruntime`` (running,
quantising): ``pip install .[onnx]``.
"""
import logging
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config, ConfigDict
from mmengine.model import BaseModel
from mmocr.registry import MODELS, TASK_UTILS
from mmocr.structures import TextRecogDataSample

from cllstr_mm.utils.checkpoint import atomic_write
from .textrec_inferencer import MultilingualTextRecInferencer

#: Names of the exported graph's input and output.
INPUT_NAME, OUTPUT_NAME = 'inputs', 'logits'
_INSTALL_HINT = 'install the ONNX extras: pip install .[onnx]'


def _import(name: str):
    try:
        return __import__(name)
    except ImportError as error:
        raise ImportError(f'{name} is needed for the ONNX path '
                          f'({error}); {_INSTALL_HINT}') from None


def onnx_session(onnx_file: str,
                 device: str = 'cpu',
                 num_threads: Optional[int] = None):
    """An ONNX Runtime ``InferenceSession`` of ``onnx_file``: on the CPU,
    or CUDA first for a ``device`` such as ``'cuda'`` or ``'cuda:1'``;
    ``num_threads`` intra-op threads (None: ONNX Runtime's default)."""
    ort = _import('onnxruntime')
    options = ort.SessionOptions()
    if num_threads is not None:
        options.intra_op_num_threads = num_threads
    providers = ['CPUExecutionProvider']
    if str(device).startswith('cuda'):
        index = str(device).partition(':')[2] or '0'
        providers.insert(
            0, ('CUDAExecutionProvider', dict(device_id=int(index))))
    return ort.InferenceSession(
        onnx_file, sess_options=options, providers=providers)


class RecognizerLogits(nn.Module):
    """The exported part of a CTC recogniser: normalised images
    ``[N, 3, H, W]`` (float32) to pre-softmax logits ``[N, T, C]``, as the
    model's own ``extract_feat`` -> ``encoder`` -> ``decoder.forward_train``.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        feat = self.model.extract_feat(inputs)
        out_enc = self.model.encoder(feat) if self.model.with_encoder \
            else None
        return self.model.decoder.forward_train(feat, out_enc)


def pipeline_input_size(cfg: Config) -> Tuple[int, int]:
    """Image ``(H, W)`` the recogniser config's test pipeline resizes to,
    which is the size the exported network takes.

    Raises:
        ValueError: The config has no test pipeline, or no fixed-size
            ``Resize`` (``keep_ratio=False``) in it.
    """
    pipeline = cfg.get('test_dataloader', {}).get('dataset',
                                                   {}).get('pipeline')
    if not pipeline:
        raise ValueError('the config has no test_dataloader pipeline, '
                         'which the ONNX path runs; pass a full config, e.g. '
                         'configs/textrecog/cllstr/svtr-tiny_*.py')
    for step in pipeline:
        if step['type'] == 'Resize' and not step.get('keep_ratio', True):
            width, height = step['scale']
            return height, width
    raise ValueError("the config's test pipeline has no fixed-size Resize "
                     '(keep_ratio=False); only such recognisers export')


def export_onnx(model: nn.Module,
                out_file: str,
                input_size: Tuple[int, int] = (32, 100),
                opset_version: Optional[int] = None) -> None:
    """Write ``model``'s network (:class:`RecognizerLogits`) to
    ``out_file`` as one self-contained ONNX file with a dynamic batch size.

    Args:
        model: A CTC recogniser (``CLLSVTR``, ``CLLCRNN``) with its weights
            loaded; it is exported in eval mode.
        out_file: Where the ``.onnx`` file goes (written atomically).
        input_size: Image ``(H, W)`` the network takes, after the resize.
        opset_version: ONNX opset; None for the exporter's default.
    """
    _import('onnxscript')
    net = RecognizerLogits(model).eval()
    # Batch 2, so the exporter cannot specialise the batch to 1.
    example = torch.zeros(2, 3, *input_size)
    with torch.no_grad():
        program = torch.onnx.export(
            net, (example, ),
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_shapes={'inputs': {0: torch.export.Dim('batch')}},
            opset_version=opset_version,
            dynamo=True,
            verbose=False)
    proto = program.model_proto
    with atomic_write(out_file) as f:
        f.write(proto.SerializeToString())


def quantize_int8(onnx_file: str, out_file: str) -> None:
    """ONNX Runtime's dynamic int8 quantisation of ``onnx_file``: weights
    of MatMul/Gemm (and the LSTM) stored as int8, activations quantised per
    batch at run time; convolutions stay float."""
    _import('onnxruntime')
    from onnxruntime.quantization import QuantType, quantize_dynamic
    folder = osp.dirname(osp.abspath(out_file))
    os.makedirs(folder, exist_ok=True)
    # quantize_dynamic writes by path; write beside out_file, then rename.
    tmp = osp.join(folder, f'.{osp.basename(out_file)}.{os.getpid()}.tmp')
    # It advises its shape-inference pre-pass on the root logger; that
    # pass changes nothing in these graphs' quantised result.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(onnx_file, tmp, weight_type=QuantType.QInt8,
                         op_types_to_quantize=['MatMul', 'Gemm', 'LSTM'])
        os.replace(tmp, out_file)
    finally:
        root.setLevel(level)
        if osp.exists(tmp):
            os.remove(tmp)


class ONNXRecognizer(BaseModel):
    """A CTC recogniser whose network runs in ONNX Runtime.

    ``test_step`` / ``predict`` take and give what MMOCR's recognisers do:
    the config's data preprocessor normalises the batch, the ONNX network
    gives logits ``[N, T, C]``, and the decoder's post-processor turns
    their softmax into ``pred_text`` (text and per-character scores).

    Args:
        onnx_file: A file written by :func:`export_onnx` (or
            :func:`quantize_int8`).
        data_preprocessor: The recogniser config's ``data_preprocessor``.
        decoder: The recogniser config's ``decoder`` (its ``dictionary``,
            ``postprocessor`` and ``max_seq_len`` are used).
        device: 'cpu', or 'cuda[:N]' for ONNX Runtime's CUDA provider.
        num_threads: ONNX Runtime's intra-op threads; None for its default
            (one per physical core).

    Raises:
        FileNotFoundError: ``onnx_file`` does not exist.
        ValueError: The file was not exported from a model with this
            dictionary (other class count), or is not such an export.
    """

    def __init__(self,
                 onnx_file: str,
                 data_preprocessor: Dict,
                 decoder: Dict,
                 device: str = 'cpu',
                 num_threads: Optional[int] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor)
        _import('onnxruntime')  # its absence is told before the file's
        if not osp.isfile(onnx_file):
            raise FileNotFoundError(
                f'no such ONNX file: {onnx_file!r}; make one with '
                'tools/deployment/export_onnx.py CONFIG CKPT OUT.onnx')
        self.onnx_file = onnx_file
        self.dictionary = TASK_UTILS.build(decoder['dictionary'])
        self.postprocessor = MODELS.build(
            dict(
                decoder['postprocessor'],
                dictionary=self.dictionary,
                max_seq_len=decoder.get('max_seq_len', 40)))
        self.session = onnx_session(onnx_file, device, num_threads)
        inputs = [i.name for i in self.session.get_inputs()]
        outputs = self.session.get_outputs()
        if inputs != [INPUT_NAME] or [o.name for o in outputs] != [
                OUTPUT_NAME]:
            raise ValueError(
                f'{onnx_file}: inputs {inputs} and outputs '
                f'{[o.name for o in outputs]}, not [{INPUT_NAME!r}] -> '
                f'[{OUTPUT_NAME!r}]; export it with '
                'tools/deployment/export_onnx.py')
        num_classes = outputs[0].shape[-1]
        if num_classes != self.dictionary.num_classes:
            raise ValueError(
                f'{onnx_file} gives {num_classes} classes but the config\'s '
                f'dictionary has {self.dictionary.num_classes}: it was '
                'exported from another model; pass the config it was '
                'exported with')
        self.input_shape = tuple(self.session.get_inputs()[0].shape[1:])

    def logits(self, inputs: torch.Tensor) -> np.ndarray:
        """Pre-softmax logits ``[N, T, C]`` of normalised images
        ``[N, 3, H, W]``.

        Raises:
            ValueError: The images are not of the size the network was
                exported for.
        """
        if tuple(inputs.shape[1:]) != self.input_shape:
            raise ValueError(
                f'{self.onnx_file} takes images of shape {self.input_shape} '
                f'(C, H, W), got {tuple(inputs.shape[1:])}: use the config '
                'it was exported with, whose pipeline resizes to its size')
        array = inputs.detach().cpu().numpy().astype(np.float32, copy=False)
        return self.session.run([OUTPUT_NAME], {INPUT_NAME: array})[0]

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[TextRecogDataSample]] = None,
                mode: str = 'predict') -> Sequence[TextRecogDataSample]:
        if mode != 'predict':
            raise ValueError(f'ONNXRecognizer only predicts (mode '
                             f'"predict"), got mode {mode!r}')
        probs = torch.from_numpy(self.logits(inputs)).softmax(dim=-1)
        if data_samples is None:
            data_samples = [TextRecogDataSample() for _ in range(len(probs))]
        return self.postprocessor(probs, data_samples)


class ONNXTextRecInferencer(MultilingualTextRecInferencer):
    """The recognition inferencer (outputs ``text``, ``scores``, ``lang``)
    with the network in ONNX Runtime: called and answering exactly as
    :class:`~cllstr_mm.apis.MultilingualTextRecInferencer` (and MMOCR's
    ``TextRecInferencer``).

    Args:
        model: The recogniser config (file or Config) the ONNX file was
            exported from; its test pipeline, data preprocessor, dictionary
            and post-processor are used.
        weights: The ``.onnx`` file.
        device: 'cpu' (default) or 'cuda[:N]'.
        num_threads: ONNX Runtime's intra-op threads (None: its default).
        **kwargs: ``max_part_aspect`` (see the parent class).

    Example:
        >>> inferencer = ONNXTextRecInferencer(
        ...     'configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7.py',
        ...     'svtr.onnx')
        >>> inferencer(['demo/LAT.jpg'])['predictions'][0]
        {'text': ..., 'scores': ..., 'lang': 'LAT'}
    """

    def __init__(self,
                 model: Union[str, Config, ConfigDict],
                 weights: str,
                 device: Optional[str] = None,
                 num_threads: Optional[int] = None,
                 **kwargs) -> None:
        self.num_threads = num_threads
        super().__init__(model=model, weights=weights, device=device or 'cpu',
                         **kwargs)

    @property
    def unknown_token(self) -> str:
        return self.model.dictionary.unknown_token

    @property
    def postprocessor(self):
        return self.model.postprocessor

    def _init_model(self, cfg: ConfigDict, weights: str,
                    device: str = 'cpu') -> ONNXRecognizer:
        if not cfg:
            raise ValueError('ONNXTextRecInferencer needs the recogniser '
                             'config the ONNX file was exported from')
        if weights is None or not str(weights).endswith('.onnx'):
            raise ValueError(f'ONNXTextRecInferencer: weights must be an '
                             f'.onnx file, got {weights!r}')
        model = ONNXRecognizer(
            str(weights),
            data_preprocessor=cfg.model.data_preprocessor,
            decoder=cfg.model.decoder,
            device=device,
            num_threads=self.num_threads)
        model.cfg = cfg
        return model.to(device).eval()
