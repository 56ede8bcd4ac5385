"""benchmarks/peers.py on committed crops: the crop-folder loader, every
character counted, the dictionary's coverage, and the released model's
readings of the demo photos through the whole command."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'benchmarks'))

from _eval_common import Sample, load_crop_set, score, writable_share  # noqa

from cllstr_mm.datasets.labels import to_cllstr_label  # noqa: E402
from cllstr_mm.models.common.dictionary import \
    MultilingualDictionary  # noqa: E402

BLANK = np.zeros((4, 4, 3), np.uint8)


def samples(*pairs):
    return [Sample(lang, BLANK, to_cllstr_label(text, lang))
            for lang, text in pairs]


def test_scores_count_characters_the_dictionary_lacks():
    # MLT19 has no digits: '56Km' read as 'Km' is 2 of 4 characters wrong,
    # not a perfect read of 'Km' as the MLT19 protocol would score it.
    figures = score(samples(('LAT', '56Km'), ('KOR', '서울')), ['Km', '서울'])
    assert figures['LAT/1-NED'] == 50.0
    assert figures['LAT/word_acc'] == 0.0
    assert figures['KOR/1-NED'] == 100.0
    assert figures['1-NED'] == 75.0


def test_scores_compare_in_nfc():
    # Devanagari क़ typed as क + nukta, read as the one code point U+0958.
    figures = score(samples(('HIN', '\u0915\u093c')), ['\u0958'])
    assert figures['HIN/word_acc'] == 100.0


def test_writable_share_per_script():
    shares = writable_share(
        samples(('LAT', '56Km'), ('LAT', 'Km'), ('KOR', '서울'),
                ('CHI', '中国')), MultilingualDictionary())
    assert shares == {'CHI': 100.0, 'KOR': 100.0, 'LAT': 50.0,
                      'pooled': 75.0}


def test_crop_sets_load_with_their_scripts():
    demo = load_crop_set(str(REPO / 'demo'))
    assert len(demo) == 7
    hin = [s for s in demo if s.lang == 'HIN'][0]
    assert hin.label == to_cllstr_label('मंडप', 'HIN')
    assert hin.image.ndim == 3 and hin.image.dtype == np.uint8


def test_peers_command_scores_the_demo_crops(tmp_path):
    out = tmp_path / 'figures.json'
    config = 'configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7.py'
    done = subprocess.run(
        [sys.executable, 'benchmarks/peers.py', '--config', config,
         '--checkpoint', 'checkpoints/svtr-tiny_1xb64-stream_synth7_fp16.pth',
         '--peers', '--data', '--crops', 'demo', '--timed', '1',
         '--threads', '1', '--out', str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(out.read_text(encoding='utf-8'))['figures']['demo']
    ours = figures['ours']
    # docs/model_zoo.md: release 1 reads 4 of the 7 demo photos exactly
    # (ARA, KOR and LAT not; KOR's 냉면은 was read right until unlikely
    # readings were also read padded and inverted, which read 생면은 at
    # 0.72 against 0.71).
    assert ours['scores']['word_acc'] == pytest.approx(100 * 4 / 7)
    assert ours['writable']['pooled'] == 100.0
    assert '| ours |' in done.stdout and '4 of 7' in done.stdout
