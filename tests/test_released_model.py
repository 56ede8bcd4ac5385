"""The recogniser shipped in checkpoints/: checksum, strict fit, and the
demo that reads the real photos with it when no checkpoint is given."""
import hashlib
import json
import re
from pathlib import Path

import pytest
import torch
from tool_utils import load_tool, run_tool

from cllstr_mm.apis import (RELEASED_CONFIG, RELEASED_WEIGHTS, check_weights,
                            load_model_config, released_model,
                            resolve_recogniser, verify_checksum)
from cllstr_mm.utils.scripts import detect_script

REPO = Path(__file__).resolve().parents[1]


def test_released_weights_are_listed_fp16_and_fit_the_config():
    config, weights = released_model()
    assert (config, weights) == (RELEASED_CONFIG, RELEASED_WEIGHTS)
    listed = (REPO / 'checkpoints' / 'SHA256SUMS').read_text().split()
    assert hashlib.sha256(Path(weights).read_bytes()).hexdigest() in listed
    state = torch.load(weights, weights_only=True)['state_dict']
    floats = [v for v in state.values() if v.is_floating_point()]
    assert floats and all(v.dtype == torch.float16 for v in floats)
    # the one strict check: every key and shape of the model is there
    check_weights(load_model_config(config, 'recogniser'), weights)


def test_checksum_mismatch_and_missing_entry_are_errors(tmp_path):
    weights = tmp_path / 'w.pth'
    weights.write_bytes(b'abc')
    sums = tmp_path / 'SHA256SUMS'
    sums.write_text(hashlib.sha256(b'abc').hexdigest() + '  w.pth\n')
    verify_checksum(str(weights), str(sums))
    weights.write_bytes(b'abd')
    with pytest.raises(ValueError, match='is damaged or was replaced'):
        verify_checksum(str(weights), str(sums))
    sums.write_text('')
    with pytest.raises(ValueError, match='lists no checksum for w.pth'):
        verify_checksum(str(weights), str(sums))


def test_demo_without_checkpoint_reads_the_photos_with_the_release(
        tmp_path, monkeypatch, capsys):
    out = tmp_path / 'results.txt'
    demo = load_tool('tools/demo.py')
    assert run_tool(demo, ['--out', out, '--device', 'cpu'],
                    monkeypatch) == 0
    lines = out.read_text(encoding='utf-8').splitlines()
    gt = dict(
        line.split('\t')
        for line in (REPO / 'demo' / 'gt.txt').read_text(
            encoding='utf-8').splitlines())
    assert sorted(Path(line.split('\t')[0]).name for line in lines) == \
        sorted(gt)
    exact = 0
    for line in lines:
        path, text, lang, confidence = line.split('\t')
        assert lang == (detect_script(text) or '-')
        assert 0 <= float(confidence) <= 1
        # Arabic in the letters gt.txt is typed in, not the labels'
        # presentation forms
        assert not re.search('[\uFB50-\uFDFF\uFE70-\uFEFE]', text)
        exact += gt[Path(path).name] == text
    assert f'{exact} of 7 read exactly as gt.txt says' in \
        capsys.readouterr().err
    # a lone folder argument is the input, read with the released model
    folder = tmp_path / 'one'
    folder.mkdir()
    (folder / 'LAT.jpg').write_bytes((REPO / 'demo' / 'LAT.jpg').read_bytes())
    assert run_tool(demo, [folder, '--out', tmp_path / 'one.txt'],
                    monkeypatch) == 0
    texts = {Path(line.split('\t')[0]).name: line.split('\t')[1]
             for line in lines}
    assert (tmp_path / 'one.txt').read_text(
        encoding='utf-8').split('\t')[1] == texts['LAT.jpg']
    other = REPO / 'configs/textrecog/cllstr/svtr-tiny_1xb32-900it_cllstr-mini.py'
    status = run_tool(demo, [other], monkeypatch)
    assert 'only the released config has default weights' in str(status)


def test_infer_tool_defaults_to_the_release(tmp_path, monkeypatch):
    # whole-image reading (--det none) of one photo, as the demo reads it
    out_dir = tmp_path / 'infer'
    photo = REPO / 'demo' / 'KOR.jpg'
    assert run_tool(load_tool('tools/infer.py'),
                    [photo, '--det', 'none', '--out-dir', out_dir,
                     '--no-vis', '--device', 'cpu'], monkeypatch) == 0
    pred = json.loads(
        (out_dir / 'preds' / 'KOR.json').read_text(encoding='utf-8'))
    demo_out = tmp_path / 'demo.txt'
    assert run_tool(load_tool('tools/demo.py'),
                    [photo, '--out', demo_out], monkeypatch) == 0
    assert pred['rec_texts'] == [
        demo_out.read_text(encoding='utf-8').split('\t')[1]
    ]


def test_resolve_recogniser():
    assert resolve_recogniser(None, None) == released_model()
    assert resolve_recogniser(RELEASED_CONFIG, None) == released_model()
    assert resolve_recogniser('a.py', 'b.onnx') == ('a.py', 'b.onnx')
    with pytest.raises(ValueError, match='came without the config'):
        resolve_recogniser(None, 'b.pth')


def test_released_int8_onnx_is_listed_and_reads_as_the_release():
    """checkpoints/..._int8.onnx is the int8 export of the released
    weights (docs/model_zoo.md): listed in SHA256SUMS, its classes the
    config's, and on the demo photos it reads what the fp16 weights read
    but for at most one photo (int8 costs a letter of ARA's)."""
    from cllstr_mm.apis import (MultilingualTextRecInferencer,
                                ONNXTextRecInferencer)
    onnx_file = str(REPO / 'checkpoints' /
                    'svtr-tiny_1xb64-stream_synth7-release2_int8.onnx')
    verify_checksum(onnx_file)
    photos = sorted(str(p) for p in (REPO / 'demo').glob('*.jpg'))
    int8 = ONNXTextRecInferencer(RELEASED_CONFIG, onnx_file, num_threads=1)
    fp16 = MultilingualTextRecInferencer(*released_model(), device='cpu')
    read = [p['text'] for p in int8(photos, progress_bar=False)['predictions']]
    want = [p['text'] for p in fp16(photos, progress_bar=False)['predictions']]
    assert sum(a != b for a, b in zip(read, want)) <= 1
