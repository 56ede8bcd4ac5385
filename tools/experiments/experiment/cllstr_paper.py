"""``run_findings.py --scale paper``: the recipes of configs/textrecog/
cllstr behind the paper's Tables 2-4 (SVTR-Tiny and CRNN) on the CLL-STR
data with the original schedule, and the paper's tables from their
tests."""
import json
import os.path as osp
from dataclasses import dataclass
from typing import Dict, Mapping, Optional

from cllstr_mm.utils.checkpoint import atomic_write
from cllstr_mm.utils.languages import TABLE_ORDER
from . import REPO
from .cllstr import CONFIG_ROOT
from .records import read_metrics
from .runner import run_tasks, stop_if_failed
from .summary import lang_scores
from .tables import column_widths, render_table
from .tasks import BEST, Task, data_root_options, print_tasks, select

PAPER_MODELS = {'svtr-tiny': 'SVTR-Tiny', 'crnn_vgg-bilstm': 'CRNN'}


@dataclass(frozen=True)
class Recipe:
    """A paper recipe: ``<model>_<config>.py`` of configs/textrecog/cllstr,
    the select_data of a monolingual run (train and validation) and the
    recipe whose best checkpoint a cascade starts from."""
    id: str
    config: str
    select: Optional[str] = None
    source: Optional[str] = None


PAPER_RECIPES = tuple(
    Recipe(f'mono-{lang}', '1xb128-100k_mlt19-lang-L', f'lang_{lang[0]}')
    for lang in TABLE_ORDER) + (
        Recipe('joint', '1xb128-100k_mlt19-joint'),
        Recipe('joint-no-lat', '1xb128-100k_mlt19-joint-no-lat'),
        Recipe('cascade-lat-hin', '1xb128-10k_mlt19-cascade-lat-hin',
               source='mono-LAT'),
        Recipe('base', '1xb128-100k_mlt19-base'),
        Recipe('base-synthmlt-kor2k', '1xb128-100k_mlt19-base-synthmlt-kor2k'),
        Recipe('base-synthmlt-kor', '1xb128-100k_mlt19-base-synthmlt-kor'),
    )
#: The paper's tables: (title, ((row label, recipe id), ...)); 'mono' is the
#: row of each script read by the model trained on it alone.
PAPER_TABLES = (
    ('Table 2: monolingual vs joint learning',
     (('mono (each script alone)', 'mono'), ('joint (lang_CBHJAKL)', 'joint'),
      ('joint without LAT (lang_CBHJAK)', 'joint-no-lat'))),
    ('Table 3: cascade learning LAT -> HIN',
     (('LAT alone', 'mono-LAT'), ('HIN alone', 'mono-HIN'),
      ('cascade LAT -> HIN', 'cascade-lat-hin'))),
    ('Table 4: Base + SynthMLT KOR',
     (('Base (LAT capped at 2K)', 'base'),
      ('Base + 2K SynthMLT KOR', 'base-synthmlt-kor2k'),
      ('Base + all SynthMLT KOR', 'base-synthmlt-kor'),
      ('joint (all LAT)', 'joint'))),
)


def paper_task(model: str, recipe: Recipe, args) -> Task:
    """``recipe`` for ``model`` on the data at ``args.data_root``, with the
    config's schedule unless ``--iters`` shortens it."""
    data = data_root_options(args.data_root)
    opts = list(data)
    if recipe.select:
        opts += [
            f'{loader}_dataloader.dataset.select_data={recipe.select}'
            for loader in ('train', 'val')
        ]
    if args.iters is not None:
        opts += [
            f'train_cfg.max_iters={args.iters}',
            f'train_cfg.dynamic_intervals=[(3,{args.iters})]',
            f'default_hooks.checkpoint.interval={args.iters}'
        ]
    after = None
    if recipe.source:
        opts.append('load_from=' +
                    osp.join(args.work_dir, model, recipe.source, BEST))
        after = f'{model}/{recipe.source}'
    return Task(f'{model}/{recipe.id}',
                osp.join(CONFIG_ROOT, f'{model}_{recipe.config}.py'),
                osp.join(args.work_dir, model, recipe.id),
                tuple(opts + args.cfg_options), tuple(data + args.cfg_options),
                after)


def paper_row(results: Mapping[str, Mapping[str, float]],
              recipe: str) -> Dict[str, float]:
    """1-NED per language and total of a recipe's test; for 'mono', each
    language from the model trained on it alone, total pooled by the
    evaluation sizes."""
    if recipe != 'mono':
        return lang_scores(results[recipe], TABLE_ORDER) \
            if recipe in results else {}
    row, weights = {}, {}
    for lang in TABLE_ORDER:
        metrics = results.get(f'mono-{lang}')
        if metrics and f'recog/{lang}/1-NED' in metrics:
            row[lang] = metrics[f'recog/{lang}/1-NED']
            weights[lang] = metrics.get(f'recog/{lang}/num_samples', 1)
    if len(row) == len(TABLE_ORDER):
        row['total'] = sum(row[k] * weights[k]
                           for k in row) / sum(weights.values())
    return row


def format_paper_tables(results: Mapping[str, Mapping[str, dict]]) -> str:
    """The paper's Tables 2-4 with one block of columns (CHI BEN HIN JPN
    ARA KOR LAT total) per model, side by side under the model's name; '-'
    where a run is missing."""
    cols = list(TABLE_ORDER) + ['total']
    lines = []
    for title, rows in PAPER_TABLES:
        body = []
        for label, recipe in rows:
            cells = [label]
            for model in PAPER_MODELS:
                row = paper_row(results.get(model, {}), recipe)
                cells += [f'{row[c]:.2f}' if c in row else '-' for c in cols]
            body.append(cells)
        head = ['1-NED, evaluation'] + cols * len(PAPER_MODELS)
        widths = column_widths(head, body)
        banner = ''
        for k, name in enumerate(PAPER_MODELS.values()):
            # over the first heading of the model's block (right-aligned)
            col = 1 + k * len(cols)
            start = sum(widths[:col]) + 2 * col + widths[col] - len(head[col])
            banner = banner.ljust(start) + f'[{name}]'
        lines += ['', title, banner, *render_table(head, body)]
    return '\n'.join(lines)


def paper_main(args) -> None:
    if args.images is not None:
        raise SystemExit('--images applies to the synthetic scales only')
    order = [f'{m}/{r.id}' for m in PAPER_MODELS for r in PAPER_RECIPES]
    source_of = {
        f'{m}/{r.id}': f'{m}/{r.source}' if r.source else None
        for m in PAPER_MODELS for r in PAPER_RECIPES
    }
    keys = set(select(args.only, source_of, order))
    tasks = [
        paper_task(m, r, args) for m in PAPER_MODELS for r in PAPER_RECIPES
        if f'{m}/{r.id}' in keys
    ]
    if args.dry_run:
        print_tasks(tasks)
        return
    failed = [] if args.collect else run_tasks(tasks, args.jobs)
    results: Dict[str, Dict[str, dict]] = {}
    for task in tasks:
        metrics = read_metrics(task.work_dir)
        if metrics is not None:
            model, recipe = task.key.split('/')
            results.setdefault(model, {})[recipe] = metrics
    text = format_paper_tables(results)
    print(text, flush=True)
    out = osp.join(REPO, args.report_dir)
    with atomic_write(osp.join(out, 'paper_tables.txt'), 'w') as f:
        f.write(text.lstrip('\n') + '\n')
    with atomic_write(osp.join(out, 'paper_results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    print(f'tables: {osp.join(args.report_dir, "paper_tables.txt")}')
    stop_if_failed(failed)
