"""Check the local web page (tools/webui.py) in a real browser: start the
server, and in Debian's headless Chromium (driven by Playwright) upload a
file that is not an image (an error must show), a word crop in word-crop
mode and a photo, check the texts the page shows, and save a screenshot of
the page with the photo read.

    python tools/misc/webui_browser_check.py [--photo PHOTO --expect TEXT]
        [--crop CROP --expect-crop TEXT] [--out docs/demo_outputs/webui.png]
        [--port 7870] [--threads N]

Needs Gradio, Playwright and Debian's ``chromium`` (no browser download);
too slow for the test suite (about a minute: the server builds its models,
the browser starts). Exit status 1, with what the page showed, when a check
fails. Prints the time from the upload to the result shown for each file.
"""
import argparse
import os.path as osp
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from cllstr_mm.datasets.synthesis.browser.chromium import open_browser

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: Longest wait, in seconds, for the server to build its models and for one
#: reading to show.
START_TIMEOUT = 300
READ_TIMEOUT = 120
#: The page's summary once an image is read ('3 words in 2 lines, ...').
READ_SUMMARY = 'lines, read in'
#: The page's elements (their elem_id in tools/webui.py).
UPLOAD = '#upload input[type=file]'
SUMMARY = '#summary [data-testid=markdown]'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--photo',
        default=osp.join(REPO, 'data', 'photo_dev', 'images',
                         'indic_img71.jpg'),
        help='photo to read (default: a sign in Hindi, Bengali and Latin)')
    parser.add_argument(
        '--expect',
        nargs='+',
        default=['पासपोर्ट', 'PASSPORT'],
        help='texts the photo\'s reading must contain')
    parser.add_argument('--crop', default=osp.join(REPO, 'demo', 'KOR.jpg'))
    parser.add_argument(
        '--expect-crop', default='냉면은', help='the word crop\'s reading')
    parser.add_argument(
        '--out', default=osp.join(REPO, 'docs', 'demo_outputs', 'webui.png'))
    parser.add_argument('--port', type=int, default=7870)
    parser.add_argument('--threads', type=int, default=None)
    return parser.parse_args()


def wait_for_server(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f'error: tools/webui.py exited with status '
                     f'{server.returncode} before serving')
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(1)
    sys.exit(f'error: no page at {url} after {START_TIMEOUT} s')


def upload(page, path: str) -> float:
    """Drop ``path`` on the page and wait for its reading; the seconds from
    the upload to the result shown."""
    before = page.locator(SUMMARY).inner_text()
    # the box shows the last file until it is cleared, as for a user
    clear = page.locator('#upload button[aria-label="Clear"]')
    if clear.count():
        clear.click()
    start = time.perf_counter()
    page.locator(UPLOAD).set_input_files(path)
    page.wait_for_function(
        '([selector, marker, before]) => { const text = document'
        '.querySelector(selector).innerText; return text.includes(marker) '
        '&& text !== before; }',
        arg=[SUMMARY, READ_SUMMARY, before],
        timeout=READ_TIMEOUT * 1000)
    return time.perf_counter() - start


def check(what: str, shown: str, expected) -> bool:
    missing = [text for text in expected if text not in shown]
    if missing:
        print(f'FAIL {what}: {missing} not in the page\'s text {shown!r}')
    else:
        print(f'ok   {what}: {shown!r}')
    return not missing


def run_checks(page, args) -> bool:
    text_box = page.locator('#text textarea')
    word_crop = page.locator('#word-crop input[type=checkbox]')
    ok = True

    with tempfile.TemporaryDirectory() as folder:
        not_image = osp.join(folder, 'notes.jpg')
        with open(not_image, 'w') as f:
            f.write('not an image')
        page.locator(UPLOAD).set_input_files(not_image)
        error = page.get_by_text("cannot read image 'notes.jpg'")
        error.wait_for(timeout=READ_TIMEOUT * 1000)
        ok &= check('not an image', error.first.inner_text(),
                    ['decode failed'])
    page.reload()

    word_crop.check()
    seconds = upload(page, args.crop)
    ok &= check(f'word crop {osp.basename(args.crop)} ({seconds:.1f} s)',
                text_box.input_value(), [args.expect_crop])

    word_crop.uncheck()
    seconds = upload(page, args.photo)
    ok &= check(f'photo {osp.basename(args.photo)} ({seconds:.1f} s)',
                text_box.input_value(), args.expect)
    # the table and the JSON file are shown too
    ok &= check('table', page.locator('#words').inner_text(), args.expect)
    name = osp.splitext(osp.basename(args.photo))[0]
    ok &= check('JSON file',
                page.locator('#json a[download]').get_attribute('download'),
                [f'{name}.json'])
    # the picture (a JPEG the page serves) has loaded
    page.wait_for_function(
        '() => { const i = document.querySelector("#picture img"); '
        'return i !== null && i.complete && i.naturalWidth > 0; }',
        timeout=READ_TIMEOUT * 1000)
    return ok


def main():
    args = parse_args()
    url = f'http://127.0.0.1:{args.port}/'
    command = [
        sys.executable,
        osp.join(REPO, 'tools', 'webui.py'), '--port',
        str(args.port)
    ]
    if args.threads:
        command += ['--threads', str(args.threads)]
    server = subprocess.Popen(command)
    try:
        wait_for_server(url, server)
        with open_browser() as browser:
            page = browser.new_page(
                viewport=dict(width=1280, height=900),
                device_scale_factor=1)
            # the page must work offline: nothing fetched from elsewhere
            elsewhere = []
            page.on(
                'request', lambda request: None
                if request.url.startswith((url, 'data:', 'blob:')) else
                elsewhere.append(request.url))
            page.goto(url)
            page.locator(UPLOAD).wait_for(state='attached')
            ok = run_checks(page, args)
            page.screenshot(path=args.out, full_page=True)
            print(f'screenshot: {args.out}')
            ok &= check('requests to other hosts', ' '.join(elsewhere) or
                        'none', ['none'])
    finally:
        # as Ctrl+C: the server removes its JSON files
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if not ok:
        sys.exit(1)


if __name__ == '__main__':
    main()
