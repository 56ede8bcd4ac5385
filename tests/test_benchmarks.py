"""Smoke test of benchmarks/train_speed.py and benchmarks/infer_speed.py:
both run end to end at tiny sizes on the bundled data and print figures
that parse and agree with the overhead formula (bare - Runner) / bare."""
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TINY = ['--batch-size', '2', '--iters', '2', '--warmup', '0', '--threads', '1']
NUMBER = r'(\d+\.\d+)'
TRAIN_ROW = re.compile(
    rf'^(\S+) +Runner +{NUMBER} samples/s \| bare +{NUMBER} samples/s \| '
    r'Runner overhead ([-+]\d+\.\d) %$', re.M)
INFER_ROW = re.compile(
    rf'^(\S+) +tools/test\.py +{NUMBER} images/s \(with data loading +'
    rf'{NUMBER}\) \| bare +{NUMBER} images/s \| overhead ([-+]\d+\.\d) %$',
    re.M)


def assert_overhead(printed: str, runner: str, bare: str) -> None:
    """``printed`` is 100 * (bare - runner) / bare for some values that
    round to the printed ``runner`` and ``bare``."""
    half = {t: 0.5 * 10**-len(t.split('.')[1]) for t in (runner, bare)}
    values = [
        100 * (float(bare) + b * half[bare] - float(runner) - r * half[runner])
        / (float(bare) + b * half[bare])
        for r, b in itertools.product((-1, 1), repeat=2)
    ]
    assert min(values) - 0.05 <= float(printed) <= max(values) + 0.05


def test_speed_benchmarks_print_figures():
    # Both scripts at once: most of each run is importing torch and MMOCR.
    # One model each covers both recogniser configs.
    runs = dict(train='svtr-tiny', infer='crnn')
    procs = {
        name: subprocess.Popen(
            [
                sys.executable, '-W', 'ignore',
                str(REPO / 'benchmarks' / f'{name}_speed.py'), '--models',
                model, *TINY
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True)
        for name, model in runs.items()
    }
    outputs = {name: proc.communicate(timeout=300)
               for name, proc in procs.items()}
    for name, proc in procs.items():
        assert proc.returncode == 0, outputs[name][1][-3000:]
        assert re.search(r'^machine: .+ cores, torch \S+; 1 torch threads$',
                         outputs[name][0], re.M), outputs[name][0]

    train = TRAIN_ROW.findall(outputs['train'][0])
    assert [row[0] for row in train] == ['svtr-tiny'], outputs['train'][0]
    _, runner, bare, overhead = train[0]
    assert float(runner) > 0 and float(bare) > 0
    assert_overhead(overhead, runner, bare)

    infer = INFER_ROW.findall(outputs['infer'][0])
    assert [row[0] for row in infer] == ['crnn'], outputs['infer'][0]
    _, tool, with_loading, bare, overhead = infer[0]
    # the wall clock holds the timed model work plus data loading
    assert 0 < float(with_loading) <= float(tool)
    assert float(bare) > 0
    assert_overhead(overhead, tool, bare)


BF16_ROW = re.compile(
    rf'^(\S+) +fp32 +{NUMBER} samples/s \| bf16 +{NUMBER} samples/s \| '
    rf'x{NUMBER} \| first loss fp32 {NUMBER} bf16 {NUMBER} '
    rf'\(([-+]\d+\.\d+) %\) \| timed mean loss fp32 {NUMBER} bf16 {NUMBER}$',
    re.M)


def test_bf16_benchmark_prints_speed_and_losses():
    proc = subprocess.run(
        [sys.executable, '-W', 'ignore',
         str(REPO / 'benchmarks' / 'cpu_bf16.py'), '--models', 'crnn',
         *TINY],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = BF16_ROW.findall(proc.stdout)
    assert [row[0] for row in rows] == ['crnn'], proc.stdout
    _, fp32, bf16, gain, first32, first16, gap, _, _ = rows[0]
    assert float(gain) == pytest.approx(float(bf16) / float(fp32), abs=0.02)
    # the same weights and batch: bfloat16's rounding moves the CTC loss
    # by well under a percent
    assert abs(float(gap)) < 1
    assert float(first16) == pytest.approx(float(first32), rel=0.01)
