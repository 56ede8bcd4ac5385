"""tools/experiments/run_findings.py --scale paper: the original CLL-STR
schedule as dry-run commands, the paper's tables side by side, and two paper
recipes run for a few iterations on a slice of the bundled data, so that the
paper-scale set cannot rot (the CPU-scale plan: test_experiments.py)."""
import io
import json
import sys
from pathlib import Path

import pytest
from data_utils import make_cllstr_tree
from PIL import Image
from tool_utils import (SMALL_LOADERS, cfg_option, dry_run_commands,
                        flag_value, load_tool)

from cllstr_mm.datasets.lmdb_reader import LMDBReader

REPO = Path(__file__).resolve().parents[1]
# the runners' package, as run_findings.py imports it
sys.path.insert(0, str(REPO / 'tools' / 'experiments'))
from experiment import cllstr_paper  # noqa: E402
LANGS7 = ('CHI', 'BEN', 'HIN', 'JPN', 'ARA', 'KOR', 'LAT')


@pytest.fixture(scope='module')
def findings():
    return load_tool('tools/experiments/run_findings.py')


def test_paper_dry_run_is_the_original_schedule(findings, capsys):
    findings.main(['--scale', 'paper', '--dry-run', '--data-root', 'data/'])
    cmds = dry_run_commands(capsys.readouterr().out)
    trains = {k[len('# train '):]: v for k, v in cmds.items()
              if k.startswith('# train')}
    assert len(trains) == 2 * 13
    root = REPO / 'configs' / 'textrecog' / 'cllstr'
    for key, cmd in trains.items():
        model, recipe = key.split('/')
        assert (REPO / cmd[2]).is_file()
        assert Path(cmd[2]).parent == Path('configs/textrecog/cllstr')
        assert flag_value(cmd, '--work-dir') == \
            f'work_dirs/experiments/paper/{model}/{recipe}'
        assert cfg_option(cmd, 'train_dataloader.dataset.data_root') == 'data/'
        assert cfg_option(cmd, 'train_cfg.max_iters') is None  # 100k / 10k
        if recipe.startswith('mono-'):
            lang = recipe[len('mono-'):]
            assert cmd[2] == str(Path('configs/textrecog/cllstr') /
                                 f'{model}_1xb128-100k_mlt19-lang-L.py')
            for loader in ('train', 'val'):
                assert cfg_option(cmd, f'{loader}_dataloader.dataset.'
                               'select_data') == f'lang_{lang[0]}'
        else:
            assert cfg_option(cmd, 'train_dataloader.dataset.select_data') \
                is None
    assert {Path(c[2]).name for c in trains.values()} >= {
        p.name for p in root.glob('*_1xb128-*_mlt19-*.py')}
    assert cfg_option(trains['crnn_vgg-bilstm/cascade-lat-hin'], 'load_from') \
        == 'work_dirs/experiments/paper/crnn_vgg-bilstm/mono-LAT/' \
        'best_recog_1-NED_iter_*.pth'

    findings.main(['--scale', 'paper', '--dry-run', '--iters', '4',
                   '--only', 'svtr-tiny/cascade-*'])
    cmds = dry_run_commands(capsys.readouterr().out)
    trains = [v for k, v in cmds.items() if k.startswith('# train')]
    assert [Path(c[4]).name for c in trains] == ['mono-LAT',
                                                 'cascade-lat-hin']
    assert all(cfg_option(c, 'train_cfg.max_iters') == '4' for c in trains)


def test_paper_tables_side_by_side(findings):
    counts = dict(zip(LANGS7, (1, 1, 1, 1, 1, 1, 4)))
    svtr = {}
    for i, lang in enumerate(LANGS7):
        svtr[f'mono-{lang}'] = {
            'recog/1-NED': 0.0, f'recog/{lang}/1-NED': 10.0 * (i + 1),
            f'recog/{lang}/num_samples': counts[lang]}
    svtr['joint'] = {'recog/1-NED': 33.33, **{
        f'recog/{lang}/1-NED': 5.0 for lang in LANGS7}}
    text = cllstr_paper.format_paper_tables({'svtr-tiny': svtr})
    lines = text.splitlines()
    t2 = lines.index('Table 2: monolingual vs joint learning')
    banner, head = lines[t2 + 1], lines[t2 + 2]
    assert head.split()[:3] == ['1-NED,', 'evaluation', 'CHI']
    assert head.split()[2:] == (list(LANGS7) + ['total']) * 2
    # each model's name starts over its block's first column
    assert banner.index('[SVTR-Tiny]') == head.index('CHI')
    assert banner.index('[CRNN]') == head.index('CHI', head.index('total'))
    mono = lines[t2 + 3].split()
    # (10 + 20 + ... + 60 + 70 * 4) / 10 = 49
    assert mono[-16:] == ['10.00', '20.00', '30.00', '40.00', '50.00',
                          '60.00', '70.00', '49.00'] + ['-'] * 8
    joint = lines[t2 + 4].split()
    assert joint[-16:-8] == ['5.00'] * 7 + ['33.33']
    assert joint[-8:] == ['-'] * 8
    t4 = lines.index('Table 4: Base + SynthMLT KOR')
    assert lines[t4 + 6].startswith('joint (all LAT)')
    assert lines[t4 + 6].split()[-16:] == joint[-16:]


def _bundled_slice(root, per_folder=4):
    """The first images of every bundled folder, plus training/KOR again
    as SynthMLT_KOR, as a CLL-STR data tree."""
    tree = {}
    bundled = REPO / 'data' / 'cllstr_mini'
    for split in ('training', 'validation', 'evaluation'):
        for lang in LANGS7:
            samples = []
            with LMDBReader(str(bundled / split / lang)) as reader:
                for index, label in list(reader.labels())[:per_folder]:
                    buf = io.BytesIO()
                    Image.fromarray(reader.image(index, 'rgb')).save(
                        buf, format='JPEG')
                    samples.append((buf.getvalue(), label))
            tree.setdefault(split, {})[lang] = samples
    tree['training']['SynthMLT_KOR'] = tree['training']['KOR']
    return make_cllstr_tree(str(root), tree)


def test_paper_recipes_run_on_the_bundled_data(findings, tmp_path, capsys):
    """--iters 4 of two paper recipes (SVTR-Tiny Base + 2K SynthMLT KOR,
    CRNN on HIN alone) on a slice of data/cllstr_mini: trained, tested and
    tabled; the same command again runs nothing."""
    data = _bundled_slice(tmp_path / 'data')
    argv = ['--scale', 'paper', '--data-root', data, '--iters', '4',
            '--work-dir', str(tmp_path / 'paper'), '--only',
            'svtr-tiny/base-synthmlt-kor2k', 'crnn_vgg-bilstm/mono-HIN',
            '--cfg-options', *SMALL_LOADERS]
    findings.main(argv)
    capsys.readouterr()
    for run in ('svtr-tiny/base-synthmlt-kor2k', 'crnn_vgg-bilstm/mono-HIN'):
        work = tmp_path / 'paper' / run
        assert (work / 'iter_4.pth').is_file()
        results = json.loads((work / 'test_results.json').read_text())
        assert results['num_images'] == 28  # 4 per script, all seven
    log = (tmp_path / 'paper' / 'crnn_vgg-bilstm' / 'mono-HIN' /
           'run.log').read_text()
    assert "select_data='lang_H'" in log
    assert 'SynthMLT_KOR' in (tmp_path / 'paper' / 'svtr-tiny' /
                              'base-synthmlt-kor2k' / 'run.log').read_text()

    findings.main(argv)
    out = capsys.readouterr().out
    assert '$ ' not in out  # finished runs are not run again
    lines = out.splitlines()
    t4 = lines.index('Table 4: Base + SynthMLT KOR')
    row = lines[t4 + 4].split()
    assert lines[t4 + 4].startswith('Base + 2K SynthMLT KOR')
    assert len(row) == 5 + 16 and row[-8:] == ['-'] * 8
    assert all(0 <= float(v) <= 100 for v in row[5:13])
    t2 = lines.index('Table 2: monolingual vs joint learning')
    mono = lines[t2 + 3].split()
    assert mono[-8:-6] == ['-', '-'] and mono[-5:] == ['-'] * 5
    assert 0 <= float(mono[-6]) <= 100  # HIN, from CRNN on HIN alone
    assert mono[-16:-8] == ['-'] * 8
    assert (tmp_path / 'paper' / 'paper_tables.txt').read_text().startswith(
        'Table 2')
