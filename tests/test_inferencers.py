"""MMOCR's inferencers on our recognisers (untrained weights, CPU), the
batch runner that never loses results, and bad inputs."""
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from data_utils import make_word_image
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.registry import init_default_scope
from mmocr.apis import MMOCRInferencer, TextRecInferencer
from mmocr.registry import MODELS, TRANSFORMS
from PIL import Image

from cllstr_mm.apis import (ImageReadError, MultilingualOCRInferencer,
                            MultilingualTextRecInferencer, infer_files,
                            list_images, load_image, load_model_config,
                            released_model)
from cllstr_mm.visualization import MultilingualTextSpottingVisualizer

REPO = Path(__file__).resolve().parents[1]
RECOGNISERS = {
    'svtr': 'configs/textrecog/cllstr/svtr-tiny_1xb128-100k_mlt19-joint.py',
    'crnn':
    'configs/textrecog/cllstr/crnn_vgg-bilstm_1xb128-100k_mlt19-joint.py',
    'lmim': 'configs/lmim/lmim-nrtr_vit-small_8xb64-10e_mlt19.py',
}
DBNET = 'mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py'


def write_checkpoint(config: str, out: Path) -> str:
    """An untrained checkpoint of ``config``'s model (no pretrained
    encoder is loaded)."""
    cfg = Config.fromfile(str(REPO / config))
    init_default_scope('mmocr')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, out)
    return str(out)


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp('ckpt')
    return {
        name: write_checkpoint(config, folder / f'{name}.pth')
        for name, config in RECOGNISERS.items()
    }


@pytest.fixture(scope='module')
def word_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp('words')
    paths = []
    for i, text in enumerate(['HELLO', 'WORLDS', 'AB', 'LONGERWORD']):
        path = folder / f'{i}.jpg'
        path.write_bytes(make_word_image(text))
        paths.append(str(path))
    return paths


def small_dbnet():
    """DBNet r18 at a small test scale, so that CPU tests stay fast."""
    cfg = get_config(DBNET)
    cfg.test_dataloader.dataset.pipeline[1]['scale'] = (256, 256)
    return cfg


@pytest.mark.parametrize('name', sorted(RECOGNISERS))
def test_text_rec_inferencer_takes_every_recogniser(name, checkpoints,
                                                    word_files):
    inferencer = TextRecInferencer(
        model=str(REPO / RECOGNISERS[name]),
        weights=checkpoints[name],
        device='cpu')
    loader = inferencer.pipeline.transforms[0]
    assert loader.from_file.imdecode_backend == 'pillow'
    batched = inferencer(
        word_files, batch_size=3, progress_bar=False)['predictions']
    single = inferencer(
        word_files, batch_size=1, progress_bar=False)['predictions']
    assert len(batched) == len(word_files)
    for one, many in zip(single, batched):
        assert isinstance(many['text'], str)
        assert 0 <= many['scores'] <= 1
        assert many['text'] == one['text']
        assert many['scores'] == pytest.approx(one['scores'], abs=1e-5)
    # arrays (BGR, as MMOCR takes them) read like the files they came from
    arrays = [load_image(path) for path in word_files]
    from_arrays = inferencer(
        arrays, batch_size=4, progress_bar=False)['predictions']
    assert [p['text'] for p in from_arrays] == [p['text'] for p in batched]


def test_the_packer_keeps_lang_when_the_sample_has_one():
    """LMDB samples keep their language for the per-language metric; an
    image given to an inferencer has none and is packed without it."""
    pack = TRANSFORMS.build(
        dict(
            type='PackMultilingualTextRecogInputs',
            meta_keys=('img_path', 'ori_shape', 'img_shape')))
    sample = dict(
        img=np.zeros((32, 100, 3), np.uint8),
        img_path='word.jpg',
        ori_shape=(32, 100),
        img_shape=(32, 100))
    assert 'lang' not in pack(dict(sample))['data_samples']
    packed = pack(dict(sample, lang='HIN'))['data_samples']
    assert packed.lang == 'HIN' and packed.img_path == 'word.jpg'
    assert packed.img_shape == (32, 100)


def test_custom_imports_alone_register_the_plugin(checkpoints, word_files):
    # a fresh interpreter that never imports cllstr_mm itself
    code = ('from mmocr.apis import TextRecInferencer\n'
            f'inf = TextRecInferencer(model={RECOGNISERS["svtr"]!r}, '
            f'weights={checkpoints["svtr"]!r}, device="cpu")\n'
            f'out = inf({word_files[:2]!r}, batch_size=2, '
            'progress_bar=False)\n'
            'print(type(inf.visualizer).__name__, '
            'len(out["predictions"]))\n')
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'MultilingualTextRecogVisualizer 2' in proc.stdout


def test_mmocr_inferencer_det_rec(checkpoints, word_files):
    scene = np.full((120, 200, 3), 230, np.uint8)
    scene[40:72, 20:80] = load_image(word_files[0])[:, :60]
    for cls, untrained in ((MMOCRInferencer, {}),
                           (MultilingualOCRInferencer,
                            dict(allow_untrained_det=True))):
        inferencer = cls(
            det=small_dbnet(),
            rec=str(REPO / RECOGNISERS['crnn']),
            rec_weights=checkpoints['crnn'],
            device='cpu',
            **untrained)
        out = inferencer([scene, scene], batch_size=2, return_vis=True)
        assert len(out['predictions']) == 2
        for pred in out['predictions']:
            assert len(pred['det_polygons']) == len(pred['rec_texts']) == len(
                pred['rec_scores']) == len(pred['det_scores'])
            assert all(isinstance(text, str) for text in pred['rec_texts'])
        assert out['visualization'][0].shape == (120, 400, 3)
    assert isinstance(inferencer.visualizer,
                      MultilingualTextSpottingVisualizer)


class _FailsOnWide:
    """Stands in for an inferencer that raises on any image wider than 200
    px, whichever batch it is in."""

    def __init__(self):
        self.calls = []

    def __call__(self, images, batch_size, return_vis, **kwargs):
        self.calls.append(len(images))
        if any(image.shape[1] > 200 for image in images):
            raise RuntimeError('too wide')
        return dict(
            predictions=[dict(text=str(image.shape)) for image in images],
            visualization=[])


def test_infer_files_keeps_results_of_a_failing_batch(tmp_path):
    paths = []
    for name, size in [('a', (40, 20)), ('b', (400, 20)), ('c', (60, 20)),
                       ('d', (80, 20))]:
        Image.new('RGB', size, 'white').save(tmp_path / f'{name}.png')
        paths.append(str(tmp_path / f'{name}.png'))
    (tmp_path / 'broken.jpg').write_bytes(b'not an image')
    paths.insert(1, str(tmp_path / 'broken.jpg'))
    fake = _FailsOnWide()
    results = list(infer_files(fake, paths, batch_size=3))
    assert [r.path for r in results] == paths
    assert [r.error is None for r in results] == [True, False, False, True,
                                                  True]
    assert 'broken.jpg' in results[1].error
    assert 'RuntimeError: too wide' in results[2].error
    assert results[0].prediction == dict(text='(20, 40, 3)')
    # the failed batch was rerun one image at a time
    assert fake.calls == [2, 1, 1, 2]
    with pytest.raises(ValueError, match='batch_size'):
        list(infer_files(fake, paths, batch_size=0))


def test_odd_images_are_read(tmp_path, checkpoints):
    gray = Image.fromarray(np.full((32, 100), 90, np.uint8))
    rgba = Image.new('RGBA', (100, 32), (0, 0, 0, 0))  # transparent black
    rgba.paste((0, 0, 0, 255), (40, 8, 60, 24))  # opaque black text
    inputs = dict(
        gray=gray,
        rgba=rgba,
        pixel=Image.new('RGB', (1, 1), 'red'),
        wide=Image.new('RGB', (6000, 16), 'white'),
        palette=Image.new('P', (50, 20)))
    paths = []
    for name, image in inputs.items():
        image.save(tmp_path / f'{name}.png')
        paths.append(str(tmp_path / f'{name}.png'))
    rgba_bgr = load_image(paths[1])
    assert rgba_bgr.shape == (32, 100, 3)
    assert (rgba_bgr[0, 0] == 255).all() and (rgba_bgr[16, 50] == 0).all()
    assert load_image(paths[0]).shape == (32, 100, 3)
    inferencer = TextRecInferencer(
        model=str(REPO / RECOGNISERS['svtr']),
        weights=checkpoints['svtr'],
        device='cpu')
    results = list(
        infer_files(inferencer, paths, batch_size=5, progress_bar=False))
    assert [r.error for r in results] == [None] * len(paths)
    assert all(isinstance(r.prediction['text'], str) for r in results)


def test_bad_paths_and_configs(tmp_path):
    with pytest.raises(FileNotFoundError, match='no such image'):
        list_images(str(tmp_path / 'missing'))
    (tmp_path / 'gt.txt').write_text('a.jpg\tA\n')
    with pytest.raises(ValueError, match='no images in folder'):
        list_images(str(tmp_path))
    with pytest.raises(ImageReadError, match='gt.txt'):
        load_image(str(tmp_path / 'gt.txt'))
    with pytest.raises(ValueError, match='DBNet, not a text recogniser'):
        load_model_config(DBNET, 'recogniser')
    with pytest.raises(ValueError, match='has no model'):
        load_model_config(
            str(REPO / 'configs/textrecog/cllstr/_base_mlt19.py'),
            'recogniser')
    with pytest.raises(ValueError, match='not a text detector'):
        load_model_config(str(REPO / RECOGNISERS['svtr']), 'detector')


def test_an_empty_reading_scores_zero_without_a_warning():
    """A blank crop reads as no text; MMOCR would average no character
    scores into NaN and warn once per image."""
    inferencer = MultilingualTextRecInferencer(*released_model(),
                                               device='cpu')
    blank = np.full((32, 100, 3), 255, np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter('error', RuntimeWarning)
        pred = inferencer([blank], progress_bar=False)['predictions'][0]
    assert pred == dict(text='', scores=0.0, lang=None)


def test_long_crops_are_read_in_parts_and_joined(tmp_path):
    """A crop longer than ``max_part_aspect`` heights is read as the parts
    ``part_columns`` cuts it into, joined in order; short crops and the
    order of crops in mixed batches are kept."""
    from cllstr_mm.apis.word_split import part_columns
    crops = [load_image(str(REPO / 'demo' / f'{lang}.jpg'))
             for lang in ('CHI', 'JPN', 'KOR')]
    height = 48
    crops = [
        np.asarray(Image.fromarray(c).resize(
            (int(c.shape[1] * height / c.shape[0]), height)))
        for c in crops
    ]
    gap = np.full((height, height // 2, 3), 255, np.uint8)
    line = np.concatenate([crops[0], gap, crops[1], gap, crops[2]], axis=1)
    assert line.shape[1] > 4.5 * height
    path = tmp_path / 'line.png'
    Image.fromarray(line[..., ::-1]).save(path)

    inferencer = MultilingualTextRecInferencer(*released_model(),
                                               device='cpu', retry_below=None,
                                               max_whole_aspect=None)
    whole = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                          retry_below=None,
                                          max_part_aspect=None)
    columns = part_columns(line, 4.5)
    assert len(columns) == 2
    parts = whole([line[:, a:b] for a, b in columns], progress_bar=False,
                  return_datasamples=True)['predictions']
    part_texts = [p.pred_text.item for p in parts]
    short = crops[2]
    out = inferencer([str(path), short, line], batch_size=2,
                     progress_bar=False, return_datasamples=True)
    preds = out['predictions']
    assert [p.pred_text.item for p in preds] == [
        ''.join(part_texts), whole([short], progress_bar=False)
        ['predictions'][0]['text'], ''.join(part_texts)
    ]
    assert preds[0].img_path == str(path)
    # batched with other crops, scores move in the last float digits
    assert preds[0].pred_text.score == pytest.approx(
        [s for p in parts for s in p.pred_text.score], abs=1e-4)
    # read whole, the same line is one crop and one reading
    assert len(whole([line], progress_bar=False)['predictions']) == 1


def test_a_crop_of_two_parts_is_read_whole_too_the_likelier_kept():
    """A crop of 4.5 to 9 heights is read in parts and whole, and keeps
    the reading of the higher mean character score; a longer one is read
    only in parts."""
    from cllstr_mm.apis.textrec_inferencer import MAX_WHOLE_ASPECT
    assert MAX_WHOLE_ASPECT == 9
    word = load_image(str(REPO / 'demo' / 'LAT.jpg'))  # CUISINE, 8.1
    line = np.concatenate([word, word], axis=1)         # 16.2 heights
    both = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                         retry_below=None)
    whole = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                          retry_below=None,
                                          max_part_aspect=None)
    parts = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                          retry_below=None,
                                          max_whole_aspect=None)
    read_whole, read_parts = (reader([word], progress_bar=False)
                              ['predictions'][0] for reader in (whole, parts))
    assert read_whole != read_parts
    likelier = max((read_parts, read_whole), key=lambda p: p['scores'])
    kept = both([word], progress_bar=False)['predictions'][0]
    # batched with the other reading, scores move in the last float digits
    assert kept['text'] == likelier['text']
    assert kept['scores'] == pytest.approx(likelier['scores'], abs=1e-4)
    assert both([line], progress_bar=False)['predictions'][0]['text'] == \
        parts([line], progress_bar=False)['predictions'][0]['text']


def test_the_likeliest_reading_keeps_the_spaces_of_the_same_letters():
    """Of a crop's readings the highest mean score wins, unless another
    writes the same letters with more spaces (a line read whole, where
    its parts were joined without one); other letters do not count."""
    from mmengine.structures import LabelData
    from mmocr.structures import TextRecogDataSample

    from cllstr_mm.apis.textrec_inferencer import likeliest

    def reading(text, scores):
        sample = TextRecogDataSample()
        sample.pred_text = LabelData(item=text, score=scores)
        return sample

    parts = reading('ALLYEAR', [.9] * 7)
    whole = reading('ALL YEAR', [.9] * 3 + [.2] + [.9] * 4)
    other = reading('ALL YFAR', [.95] * 8)
    assert likeliest([parts, whole]) is whole
    assert likeliest([whole, parts]) is whole
    assert likeliest([parts, other]) is other
    assert likeliest([parts, reading('ALLYEAR', [.8] * 7)]) is parts


def test_a_column_of_characters_is_read_top_to_bottom():
    """A sign written top to bottom: the demo's 北京西 cut at the blank
    columns between its characters (hand-found: 295, 577) and stacked.
    Read as it is, the column is a mess; with its characters side by side
    it reads as the line does. Other crops keep their one reading."""
    import cv2
    line = load_image(str(REPO / 'demo' / 'CHI.jpg'))
    cells = [line[:, a:b] for a, b in ((0, 295), (295, 577), (577, 877))]
    width = max(cell.shape[1] for cell in cells)
    stacked = np.concatenate([
        cv2.copyMakeBorder(cell, 0, 0, 0, width - cell.shape[1],
                           cv2.BORDER_REPLICATE) for cell in cells
    ])
    inferencer = MultilingualTextRecInferencer(*released_model(),
                                               device='cpu', retry_below=None)
    as_is = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                          retry_below=None,
                                          stacked_aspect=None)
    read, line_read = inferencer([stacked, line],
                                 progress_bar=False)['predictions']
    assert read['text'] == line_read['text'] == '北京西'
    assert read['lang'] == 'CHI'
    assert as_is([stacked], progress_bar=False)['predictions'][0][
        'text'] != '北京西'
    # read alone rather than beside another crop, the same up to the
    # rounding of batched arithmetic
    alone = as_is([line], progress_bar=False)['predictions'][0]
    assert (alone['text'], alone['lang']) == (line_read['text'],
                                              line_read['lang'])
    assert alone['scores'] == pytest.approx(line_read['scores'], abs=1e-4)


def test_unlikely_readings_are_read_again_in_other_views():
    """A crop whose reading scores under ``retry_below`` is read again
    trimmed by each of ``retry_trims`` of its height, padded by each of
    ``retry_pads`` and inverted, and keeps the likeliest of its readings:
    the same as reading those crops alone and keeping the highest score.
    A likely reading is not read again."""
    from cllstr_mm.apis.textrec_inferencer import inverted, padded, trimmed
    once = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                         retry_below=None)
    again = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                          retry_below=1.01,
                                          retry_trims=(0.05, 0.08),
                                          retry_pads=(0.15, ),
                                          retry_inverted=True)
    crops = [load_image(str(REPO / 'demo' / f'{lang}.jpg'))
             for lang in ('LAT', 'ARA', 'KOR')]
    kept = again(crops, batch_size=3, progress_bar=False)['predictions']
    for crop, reading in zip(crops, kept):
        views = [crop, trimmed(crop, 0.05), trimmed(crop, 0.08),
                 padded(crop, 0.15), inverted(crop)]
        assert [view.shape for view in again.retry_views(crop)] == \
            [view.shape for view in views[1:]]
        alone = once(views, batch_size=1, progress_bar=False)['predictions']
        likeliest = max(alone, key=lambda p: p['scores'])
        assert reading['text'] == likeliest['text']
        assert reading['scores'] == pytest.approx(likeliest['scores'],
                                                  abs=1e-4)
    # under a threshold no reading reaches, nothing is read again
    never = MultilingualTextRecInferencer(*released_model(), device='cpu',
                                          retry_below=0.0)
    assert [p['text'] for p in never(crops, progress_bar=False)
            ['predictions']] == [p['text'] for p in once(
                crops, progress_bar=False)['predictions']]
    # views switched off: only the crop's trims
    trims_only = MultilingualTextRecInferencer(
        *released_model(), device='cpu', retry_pads=(),
        retry_inverted=False)
    assert len(trims_only.retry_views(crops[0])) == 2


def test_trimmed():
    from cllstr_mm.apis.textrec_inferencer import trimmed
    image = np.arange(40 * 200).reshape(40, 200)
    # 5 % of 40 rows: 2 pixels from each side
    assert (trimmed(image, 0.05) == image[2:38, 2:198]).all()
    assert trimmed(image, 0.0).shape == (40, 200)
    small = np.zeros((12, 30, 3))
    assert trimmed(small, 0.25) is small  # 12 - 2 * 3 < 8


def test_padded_and_inverted():
    """Padding in the median colour of the crop's outer rows and columns
    (hand-made: a red ground, one blue border pixel), inversion of uint8."""
    from cllstr_mm.apis.textrec_inferencer import inverted, padded
    image = np.zeros((20, 50, 3), np.uint8)
    image[:] = (0, 0, 200)  # red ground (BGR)
    image[8:12, 10:40] = (255, 255, 255)  # white text
    image[0, 0] = (255, 0, 0)  # a blue speck on the border
    out = padded(image, 0.15)  # 3 pixels of 20 on each side
    assert out.shape == (26, 56, 3)
    assert (out[3:23, 3:53] == image).all()
    assert (out[0] == (0, 0, 200)).all() and (out[:, -1] == (0, 0, 200)).all()
    assert padded(image, 0.0) is image
    assert (inverted(image)[10, 20] == (0, 0, 0)).all()
    assert (inverted(image)[15, 5] == (255, 255, 55)).all()


def test_grey_and_bgra_arrays_read_as_bgr():
    """Arrays as users hold them: grey (H, W) or (H, W, 1), BGRA; MMOCR's
    pipeline would stop at the colour swap of a one-channel array."""
    inferencer = MultilingualTextRecInferencer(*released_model(),
                                               device='cpu')
    bgr = load_image(str(REPO / 'demo' / 'KOR.jpg'))
    grey = bgr.mean(axis=2).round().astype(np.uint8)
    bgra = np.concatenate([bgr, np.full(bgr.shape[:2] + (1, ), 255,
                                        np.uint8)], axis=2)
    texts = [p['text'] for p in inferencer(
        [grey, grey[..., None], bgra, bgr], batch_size=4,
        progress_bar=False)['predictions']]
    assert texts[2] == texts[3] == '냉면은'
    assert texts[0] == texts[1] and texts[0]


def test_parts_of_an_arabic_price_join_as_typed():
    # 'سعر 15 ريال' read in two parts, left to right in the image: the
    # left part holds the last word; each part's reading is in the label's
    # form (presentation forms, the number reversed)
    from mmengine.structures import LabelData
    from mmocr.structures import TextRecogDataSample

    from cllstr_mm.apis.textrec_inferencer import join_parts
    parts = []
    for reading, scores in (('\u0631\ufef3\ufe8e\u0644', [.9] * 4),
                            ('\ufeb3\ufecc\ufeae 51 ', [.8] * 7)):
        part = TextRecogDataSample()
        part.pred_text = LabelData(item=reading, score=scores)
        parts.append(part)
    joined = join_parts(parts)
    assert joined.pred_text.item == 'سعر 15 ريال'
    # the scores in reading order too
    assert joined.pred_text.score == [.8] * 7 + [.9] * 4


def test_mean_score_of_one_or_several_readings():
    """The mean over every character written, hand-computed."""
    from mmengine.structures import LabelData
    from mmocr.structures import TextRecogDataSample

    from cllstr_mm.apis.textrec_inferencer import mean_score

    def reading(scores):
        sample = TextRecogDataSample()
        sample.pred_text = LabelData(item='x' * len(scores), score=scores)
        return sample

    first, second, empty = reading([0.2, 0.4]), reading([0.9]), reading([])
    assert mean_score(first) == pytest.approx(0.3)
    assert mean_score(first, second) == pytest.approx(0.5)  # 1.5 / 3
    assert mean_score(empty) == 0.0 and mean_score() == 0.0
    assert mean_score(empty, second) == pytest.approx(0.9)
