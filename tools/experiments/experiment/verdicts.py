"""Verdicts on a claim from two runs' seeds, and the hinge rule that asks
for another seed.

The rule: ``diff`` = mean(second run) - mean(first run) of the target's
evaluation 1-NED over seeds, ``noise`` = twice the standard error of that
difference from the seeds' spread, at least ``noise_floor`` points. With a
margin of ``margin`` points:

- "not worse": held when diff - noise >= -margin, did not hold when
  diff + noise < -margin;
- "better": held when diff - noise > 0, did not hold when
  diff + noise < margin;
- otherwise, with one seed, or while a run (or a validated run it starts
  from) has not plateaued: cannot tell at this scale;
- and, where the experiment sets ``min_word_acc``, also when the
  recognisers of both runs read fewer words exactly than that (mean over
  seeds): two recognisers that have not learned to read say nothing of
  what their encoders' pretraining gives. Where one of the two reads, the
  difference is judged by the rule above. Such a verdict asks for no extra
  seed.
"""
import math
import statistics
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple


@dataclass(frozen=True)
class Finding:
    """A published finding and the two runs (ids) that test it on the
    target: ``expect='not worse'``: ``runs[1]`` is at most the margin
    below ``runs[0]``; ``'better'``: ``runs[1]`` is above ``runs[0]``.
    ``shown``: runs also put in its table and chart, for reference."""
    title: str
    claim: str
    runs: Tuple[str, str]
    expect: str
    shown: Tuple[str, ...] = ()


def mean_sd(values: Sequence[float]) -> Tuple[float, Optional[float]]:
    sd = statistics.stdev(values) if len(values) > 1 else None
    return statistics.fmean(values), sd


def converging(run_ids: Sequence[str], summary: Mapping[str, dict],
               source_of: Mapping[str, Optional[str]]) -> List[str]:
    """The runs that must have plateaued for a verdict on ``run_ids``:
    they and the validated runs (those in ``summary``) they start from."""
    sources = [
        source_of[r] for r in run_ids
        if source_of.get(r) and source_of[r] in summary
    ]
    return list(run_ids) + sources


def judge(finding: Finding,
          summary: Mapping[str, dict],
          margin: float,
          noise_floor: float,
          target: str,
          source_of: Mapping[str, Optional[str]],
          min_word_acc: Optional[float] = None) -> Optional[dict]:
    """The verdict on ``finding`` from the ``target`` evaluation 1-NED of
    its two runs (the module's rule), or None while one has no finished
    seed. ``source_of``: the run each run starts from; ``min_word_acc``:
    the word accuracy (%, on ``target``) below which a run has not learned
    to read (None: no such floor)."""
    first, second = finding.runs
    if first not in summary or second not in summary:
        return None
    values = [[s['scores'][target] for s in summary[r]['seeds'].values()]
              for r in finding.runs]
    diff = statistics.fmean(values[1]) - statistics.fmean(values[0])
    seeds = [len(v) for v in values]
    unconverged = [
        f'{summary[r]["name"]} seed {seed} (+{s["plateau_gain"]:.2f})'
        if s['plateau_gain'] is not None else
        f'{summary[r]["name"]} seed {seed} (no curve)'
        for r in converging(finding.runs, summary, source_of)
        for seed, s in summary[r]['seeds'].items() if not s['plateaued']
    ]
    word_acc = {} if min_word_acc is None else {
        r: statistics.fmean(s['word_acc'][target]
                            for s in summary[r]['seeds'].values())
        for r in finding.runs
    }
    # only where neither run reads: one reading against one not is a
    # difference the rule below can judge
    unread = [
        f'{summary[r]["name"]} {acc:.1f} %' for r, acc in word_acc.items()
    ] if word_acc and max(word_acc.values()) < min_word_acc else []
    noise = None
    if min(seeds) > 1:
        se = math.sqrt(sum(
            statistics.variance(v) / len(v) for v in values))
        noise = max(2 * se, noise_floor)
    if unread:
        verdict = 'cannot tell at this scale'
        why = (f'not read: word accuracy under {min_word_acc:g} %: ' +
               ', '.join(unread))
    elif unconverged:
        verdict = 'cannot tell at this scale'
        why = 'not plateaued: ' + ', '.join(unconverged)
    elif noise is None:
        verdict, why = 'cannot tell at this scale', 'one seed: no spread'
    elif finding.expect == 'not worse':
        if diff - noise >= -margin:
            verdict = 'held'
            why = (f'at least {diff - noise:.2f} points above'
                   if diff - noise >= 0 else
                   f'at worst {noise - diff:.2f} points below')
        elif diff + noise < -margin:
            verdict = 'did not hold'
            why = f'at least {-(diff + noise):.2f} points below'
        else:
            verdict = 'cannot tell at this scale'
            why = f'the noise band straddles -{margin:g}'
    else:
        if diff - noise > 0:
            verdict = 'held'
            why = f'at least {diff - noise:.2f} points above'
        elif diff + noise < margin:
            verdict = 'did not hold'
            why = f'no gain of {margin:g} points or more'
        else:
            verdict = 'cannot tell at this scale'
            why = 'the noise band straddles the gain'
    names = [summary[r]['name'] for r in finding.runs]
    band = f' +- {noise:.2f}' if noise is not None else ''
    # the runs that read no words, where the experiment has the floor
    floor = {} if min_word_acc is None else dict(unread=unread)
    return dict(
        title=finding.title,
        claim=finding.claim,
        runs=list(finding.runs),
        expect=finding.expect,
        seeds=seeds,
        diff=diff,
        noise=noise,
        **floor,
        verdict=verdict,
        text=(f'{target}: {names[1]} - {names[0]} = {diff:+.2f}{band} '
              f'1-NED ({"/".join(map(str, seeds))} seeds) -> {verdict} '
              f'({why})'))


def needs_extra_seed(verdict: Optional[dict], summary: Mapping[str, dict],
                     hinge: float,
                     source_of: Mapping[str, Optional[str]]) -> bool:
    """Whether a finding's verdict hinges on a few points: its runs have
    plateaued and they differ by less than ``hinge`` points, or the noise
    alone leaves it open; never where a run has not learned to read."""
    if verdict is None or verdict['noise'] is None or verdict.get('unread'):
        return False
    if not all(s['plateaued']
               for r in converging(verdict['runs'], summary, source_of)
               for s in summary[r]['seeds'].values()):
        return False
    return abs(verdict['diff']) < hinge or \
        verdict['verdict'] == 'cannot tell at this scale'
