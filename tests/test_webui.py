"""The local web page (tools/webui.py): what it shows for an upload
(cllstr_mm.apis.webui), and its HTTP API on a running server, called as a
browser's page calls it."""
import json
import socket

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image, ImageDraw, ImageFont
from tool_utils import REPO, load_tool

from cllstr_mm.apis import PhotoReader
from cllstr_mm.apis.webui import TABLE_HEADERS, read_upload, save_json

WORD_CROP = str(REPO / 'demo' / 'KOR.jpg')
#: The keys tools/infer.py writes for a photo (its module docstring).
PHOTO_KEYS = {
    'det_polygons', 'det_scores', 'rec_texts', 'rec_scores', 'rec_langs',
    'dropped_boxes', 'lines', 'text'
}
#: ... and for a word crop (--det none).
WORD_KEYS = {'rec_texts', 'rec_scores', 'rec_langs'}


@pytest.fixture(scope='module')
def reader():
    return PhotoReader(num_threads=1)


@pytest.fixture
def two_words(tmp_path):
    """A PNG screenshot: white, two black words drawn by PIL far apart."""
    image = Image.new('RGB', (480, 240), 'white')
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    draw.text((30, 30), 'HELLO', fill='black', font=font)
    draw.text((250, 150), 'WORLD', fill='black', font=font)
    path = tmp_path / 'two_words.png'
    image.save(path)
    return str(path)


@pytest.fixture
def not_an_image(tmp_path):
    path = tmp_path / 'notes.jpg'
    path.write_text('not an image')
    return str(path)


def test_a_word_crop_is_read_as_one_word(reader):
    reading = read_upload(reader, WORD_CROP, word_crop=True)
    assert reading.text == '냉면은'
    assert set(reading.prediction) == WORD_KEYS
    assert reading.prediction['rec_langs'] == ['KOR']
    line, text, script, confidence = reading.rows[0]
    assert (line, text, script) == (1, '냉면은', 'KOR')
    assert len(reading.rows) == 1
    assert confidence == round(reading.prediction['rec_scores'][0], 3)
    # the crop above its text
    crop_height, crop_width = 415, 826
    height, width, channels = reading.picture.shape
    assert channels == 3 and reading.picture.dtype.name == 'uint8'
    assert height > width * crop_height / crop_width


def test_a_photo_is_read_into_boxes_lines_and_json(reader, two_words,
                                                   tmp_path):
    reading = read_upload(reader, two_words)
    prediction = reading.prediction
    assert set(prediction) == PHOTO_KEYS
    assert len(prediction['det_polygons']) == 2
    assert len(prediction['rec_texts']) == 2
    # one word per line, top first; every word in the table once
    assert len(prediction['lines']) == 2
    assert reading.text == '\n'.join(line['text']
                                     for line in prediction['lines'])
    assert [row[0] for row in reading.rows] == [1, 2]
    assert sorted(prediction['lines'][0]['words'] +
                  prediction['lines'][1]['words']) == [0, 1]
    assert reading.text.upper().split() == ['HELLO', 'WORLD']
    # the photo beside a white copy with the boxes and texts
    assert reading.picture.shape == (240, 960, 3)
    json_file = save_json(reading, two_words, str(tmp_path / 'out'))
    assert json_file.endswith('preds/two_words.json')
    with open(json_file, encoding='utf-8') as f:
        assert json.load(f) == json.loads(json.dumps(prediction))


def test_a_file_that_is_not_an_image_is_named_in_the_error(
        reader, not_an_image):
    with pytest.raises(ValueError) as error:
        read_upload(reader, not_an_image)
    message = str(error.value)
    assert message.startswith("decode failed: cannot read image 'notes.jpg'")
    assert 'upload an image' in message and str(REPO) not in message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_the_page_answers_http_calls(reader, two_words, not_an_image,
                                     tmp_path):
    webui = load_tool('tools/webui.py')
    app = webui.build_app(reader, str(tmp_path))
    port = free_port()
    app.queue().launch(
        server_name='127.0.0.1',
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        ssr_mode=False)
    try:
        client = Client(
            f'http://127.0.0.1:{port}/',
            verbose=False,
            download_files=str(tmp_path / 'client'))
        picture, text, table, json_file, summary = client.predict(
            handle_file(WORD_CROP), True, api_name='/read')
        assert text == '냉면은'
        assert table['headers'] == list(TABLE_HEADERS)
        assert [row[1:3] for row in table['data']] == [['냉면은', 'KOR']]
        assert summary.startswith('1 words in 1 lines, read in')
        with open(json_file, encoding='utf-8') as f:
            assert set(json.load(f)) == WORD_KEYS
        assert Image.open(picture).mode == 'RGB'

        _, text, table, json_file, _ = client.predict(
            handle_file(two_words), False, api_name='/read')
        assert text.upper().split() == ['HELLO', 'WORLD']
        assert len(table['data']) == 2
        with open(json_file, encoding='utf-8') as f:
            prediction = json.load(f)
        assert set(prediction) == PHOTO_KEYS
        assert len(prediction['det_polygons']) == 2

        with pytest.raises(AppError, match="cannot read image 'notes.jpg'"):
            client.predict(
                handle_file(not_an_image), False, api_name='/read')
    finally:
        app.close()
