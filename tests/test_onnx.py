"""The ONNX path: tools/deployment/export_onnx.py on the original-format
CLL-STR checkpoints (converted), ONNX Runtime's logits against the
original's and PyTorch's, and ONNXTextRecInferencer against the PyTorch
inferencer on the demo photos, alone and behind a detector."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from cllstr_model_helpers import CHECKPOINTS, logits, untrained_checkpoint
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS
from tool_utils import load_tool, run_tool

from cllstr_mm.apis import (RELEASED_CONFIG, RELEASED_WEIGHTS,
                            MultilingualOCRInferencer,
                            MultilingualTextRecInferencer, ONNXRecognizer,
                            ONNXTextRecInferencer, load_image)
from cllstr_mm.apis.onnx_recognizer import quantize_int8

REPO = Path(__file__).resolve().parents[1]
CONFIGS = dict(
    svtr=REPO / 'configs/textrecog/cllstr/svtr-tiny_1xb128-100k_mlt19-joint.py',
    crnn=REPO /
    'configs/textrecog/cllstr/crnn_vgg-bilstm_1xb128-100k_mlt19-joint.py')
DEMO_IMAGES = sorted(str(p) for p in (REPO / 'demo').glob('*.jpg'))


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    """name -> (config, converted checkpoint, exported ONNX file)."""
    folder = tmp_path_factory.mktemp('onnx')
    converter = load_tool('tools/model_converters/cllstr_to_mmocr.py')
    export = load_tool('tools/deployment/export_onnx.py')
    files = {}
    for name, config in CONFIGS.items():
        ckpt = folder / f'{name}.pth'
        converter.main(
            [str(CHECKPOINTS / f'cllstr_{name}_ctc4680.pth'),
             str(ckpt)])
        onnx_file = folder / f'{name}.onnx'
        export.main([str(config), str(ckpt), str(onnx_file)])
        files[name] = (config, ckpt, onnx_file)
    return files


def onnx_model(config, onnx_file):
    cfg = Config.fromfile(str(config))
    init_default_scope('mmocr')
    return ONNXRecognizer(
        str(onnx_file), cfg.model.data_preprocessor, cfg.model.decoder)


@pytest.mark.parametrize('name', ['svtr', 'crnn'])
def test_onnx_logits_match_original_and_pytorch(exported, name):
    config, ckpt, onnx_file = exported[name]
    io = torch.load(CHECKPOINTS / f'cllstr_{name}_ctc4680_io.pth')
    model = onnx_model(config, onnx_file)
    # the original code's own outputs on the fixture input
    out = model.logits(io['input'])
    assert out.shape == tuple(io['logits'].shape)
    assert np.abs(out - io['logits'].numpy()).max() < 1e-4

    cfg = Config.fromfile(str(config))
    torch_model = MODELS.build(cfg.model)
    load_checkpoint(torch_model, str(ckpt), map_location='cpu', strict=True)
    torch_model.eval()
    # dynamic batch: other sizes than the export's 2
    for batch in (1, 5):
        inputs = torch.rand(batch, 3, 32, 100) * 2 - 1
        with torch.no_grad():
            expected = logits(torch_model, inputs).numpy()
        assert np.abs(model.logits(inputs) - expected).max() < 1e-4


def test_onnx_inferencer_reads_as_pytorch(exported):
    config, ckpt, onnx_file = exported['svtr']
    kwargs = dict(batch_size=3, progress_bar=False)
    torch_inferencer = MultilingualTextRecInferencer(
        str(config), str(ckpt), device='cpu')
    onnx_inferencer = ONNXTextRecInferencer(str(config), str(onnx_file))
    assert len(DEMO_IMAGES) == 7
    torch_out = torch_inferencer(DEMO_IMAGES, **kwargs)['predictions']
    onnx_out = onnx_inferencer(DEMO_IMAGES, **kwargs)['predictions']
    for ours, theirs in zip(onnx_out, torch_out):
        assert set(ours) == {'text', 'scores', 'lang'}
        assert ours['text'] == theirs['text']
        assert ours['lang'] == theirs['lang']
        assert ours['scores'] == pytest.approx(theirs['scores'], abs=1e-5)
    # per character, and from BGR arrays as MMOCR takes them
    arrays = [load_image(p) for p in DEMO_IMAGES]
    ours = onnx_inferencer(arrays, return_datasamples=True, **kwargs)
    theirs = torch_inferencer(arrays, return_datasamples=True, **kwargs)
    for a, b in zip(ours['predictions'], theirs['predictions']):
        assert a.pred_text.item == b.pred_text.item
        np.testing.assert_allclose(a.pred_text.score, b.pred_text.score,
                                   atol=1e-5)


def test_int8_model_is_smaller_and_runs(exported, tmp_path):
    # SVTR-Tiny's weights are almost all in MatMuls, which become int8
    config, _, onnx_file = exported['svtr']
    int8_file = tmp_path / 'svtr_int8.onnx'
    quantize_int8(str(onnx_file), str(int8_file))
    assert int8_file.stat().st_size < 0.5 * onnx_file.stat().st_size
    assert list(tmp_path.iterdir()) == [int8_file]
    io = torch.load(CHECKPOINTS / 'cllstr_svtr_ctc4680_io.pth')
    out = onnx_model(config, int8_file).logits(io['input'])
    assert out.shape == tuple(io['logits'].shape)
    assert np.isfinite(out).all()


def test_bad_onnx_inputs_are_clear_errors(exported, tmp_path):
    config, ckpt, onnx_file = exported['svtr']
    model = onnx_model(config, onnx_file)
    with pytest.raises(ValueError, match=r'takes images of shape'):
        model.logits(torch.zeros(1, 3, 48, 160))
    cfg = Config.fromfile(str(config))
    dict_file = tmp_path / 'dict.txt'
    dict_file.write_text('a\nb\nc\n', encoding='utf-8')
    decoder = dict(
        cfg.model.decoder,
        dictionary=dict(type='MultilingualDictionary',
                        dict_file=str(dict_file)))
    init_default_scope('mmocr')
    with pytest.raises(ValueError, match='gives 4680 classes but the '
                       "config's dictionary has 7"):
        ONNXRecognizer(str(onnx_file), cfg.model.data_preprocessor, decoder)
    with pytest.raises(FileNotFoundError, match='export_onnx.py'):
        ONNXRecognizer(str(tmp_path / 'none.onnx'),
                       cfg.model.data_preprocessor, cfg.model.decoder)
    with pytest.raises(ValueError, match='must be an .onnx file'):
        ONNXTextRecInferencer(str(config), str(ckpt))
    with pytest.raises(ValueError, match='KIE needs the PyTorch recogniser'):
        MultilingualOCRInferencer(
            det='det.py', rec=str(config), rec_weights=str(onnx_file),
            kie='kie.py')
    export = load_tool('tools/deployment/export_onnx.py')
    with pytest.raises(SystemExit, match='not a CTC recogniser'):
        export.main([
            str(REPO / 'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_mlt19.py'),
            str(ckpt), str(tmp_path / 'x.onnx')
        ])
    assert not (tmp_path / 'x.onnx').exists()


def test_demo_runs_an_onnx_file(exported, tmp_path, monkeypatch):
    config, ckpt, onnx_file = exported['svtr']
    lines = {}
    for weights in (ckpt, onnx_file):
        out = tmp_path / f'{weights.suffix[1:]}.txt'
        status = run_tool(load_tool('tools/demo.py'),
                          [config, weights, '--out', out, '--device', 'cpu'],
                          monkeypatch)
        assert status == 0
        lines[weights.suffix] = [
            line.split('\t')[:3]
            for line in out.read_text(encoding='utf-8').splitlines()
        ]
    assert len(lines['.onnx']) == 7
    assert lines['.onnx'] == lines['.pth']


def test_infer_tool_detects_and_reads_with_an_onnx_file(
        exported, tmp_path, monkeypatch):
    config, ckpt, onnx_file = exported['svtr']
    dbnet = 'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py'
    det_weights = untrained_checkpoint(get_config(dbnet),
                                       tmp_path / 'dbnet.pth')
    preds = {}
    for weights in (ckpt, onnx_file):
        out_dir = tmp_path / weights.suffix[1:]
        status = run_tool(
            load_tool('tools/infer.py'),
            [REPO / 'demo' / 'LAT.jpg', '--rec', config, '--rec-weights',
             weights, '--det', dbnet, '--det-weights',
             det_weights, '--out-dir', out_dir, '--device', 'cpu'],
            monkeypatch)
        assert status == 0
        preds[weights.suffix] = json.loads(
            (out_dir / 'preds' / 'LAT.json').read_text(encoding='utf-8'))
        assert (out_dir / 'vis' / 'LAT.jpg').exists()
    # the seed-0 DBNet finds one region on this photo, which both
    # recognisers read alike
    assert len(preds['.onnx']['det_polygons']) >= 1
    assert preds['.onnx']['det_polygons'] == preds['.pth']['det_polygons']
    assert preds['.onnx']['rec_texts'] == preds['.pth']['rec_texts']
    assert preds['.onnx']['rec_langs'] == preds['.pth']['rec_langs']
    assert preds['.onnx']['rec_scores'] == pytest.approx(
        preds['.pth']['rec_scores'], abs=1e-5)


def test_release_config_with_its_ctc_decoding_exports(tmp_path):
    """The release's decoding (ExclusiveScriptCTCPostProcessor, built on
    CTCPostProcessor) runs after the graph, so its config exports; the
    ONNX model reads the demo crops as the PyTorch one does."""
    export = load_tool('tools/deployment/export_onnx.py')
    onnx_file = tmp_path / 'release.onnx'
    export.main([RELEASED_CONFIG, RELEASED_WEIGHTS, str(onnx_file)])
    kwargs = dict(batch_size=7, progress_bar=False)
    ours = ONNXTextRecInferencer(RELEASED_CONFIG, str(onnx_file))
    theirs = MultilingualTextRecInferencer(
        RELEASED_CONFIG, RELEASED_WEIGHTS, device='cpu')
    assert [p['text'] for p in ours(DEMO_IMAGES, **kwargs)['predictions']
            ] == [p['text']
                  for p in theirs(DEMO_IMAGES, **kwargs)['predictions']]
