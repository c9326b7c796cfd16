#!/usr/bin/env bash
# Smoke test of the frozen Linux build. Slow (a TensorFlow bundle: minutes, > 1 GB), so it is
# not part of pytest or CI; run it by hand before a release:
#
#     installer/smoke-test.sh                       # a clean clone of HEAD (the default)
#     SMOKE_SOURCE=worktree installer/smoke-test.sh # the working tree, uncommitted files too
#
# Steps: clone HEAD into a temp folder -> a fresh venv -> `pip install .[build]` from the
# project's own files -> installer/build-linux.sh (folder, .tar.gz, .deb) -> run the frozen
# binaries headless with a clean HOME:
#   studio --version / samples
#   studio train sample:iris --target species --epochs 2 --out DIR   (metrics.json, accuracy)
#   studio snapshot sample:iris --target species -o shot.png          (a real PNG)
#   netsketch-studio (windowed) started with stdout/stderr closed: still running after 20 s,
#   and it wrote its log file.
# Exits non-zero on the first failure.
#
# Env: SMOKE_SOURCE=head|worktree  what to build (default head)
#      SMOKE_DIR=DIR               where to work (default: a new mktemp -d under $TMPDIR)
#      SMOKE_VENV=DIR              reuse a venv that already has the project and .[build]
#                                  (skips creating one; for iterating on the spec only)
#      SMOKE_DIST=DIR              skip cloning and building: test the build in DIR
#                                  (DIR/netsketch-studio from an earlier run)
#      SMOKE_KEEP=1                keep SMOKE_DIR afterwards (it is removed on success)
#      PYTHON=python3.11           the Python to create the venv with
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SOURCE="${SMOKE_SOURCE:-head}"
WORKDIR="${SMOKE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/netsketch-smoke.XXXXXX")}"
mkdir -p "$WORKDIR"
T0=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - T0 ))s] $*"; }
fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "(work folder kept: $WORKDIR)" >&2; fi' EXIT

if [ -n "${SMOKE_DIST:-}" ]; then   # reuse a finished build: only step 4
  step "reusing the build in $SMOKE_DIST"
  WORKDIR_DIST="$SMOKE_DIST"; BUILD_S="(reused)"; VENV="${SMOKE_VENV:-$WORKDIR/venv}"
else
# -- 1. the source ------------------------------------------------------------------------------
SRC="$WORKDIR/src"
rm -rf "$SRC"
case "$SOURCE" in
  head)
    step "clean clone of HEAD ($(git -C "$REPO" rev-parse --short HEAD)) into $SRC"
    git clone --quiet --no-hardlinks "$REPO" "$SRC" ;;
  worktree)
    step "copy of the working tree (tracked + untracked, not ignored) into $SRC"
    mkdir -p "$SRC"
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
        | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$SRC" -xf - ;;
  *) fail "SMOKE_SOURCE must be head or worktree" ;;
esac
test -f "$SRC/installer/netsketch.spec" || fail "no installer/netsketch.spec in the source"

# -- 2. a venv with the project and its build tools ---------------------------------------------
if [ -n "${SMOKE_VENV:-}" ]; then
  VENV="$SMOKE_VENV"
  step "reusing venv $VENV"
else
  VENV="$WORKDIR/venv"
  step "fresh venv $VENV; pip install .[build]"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet "$SRC[build]"
fi
"$VENV/bin/python" -m PyInstaller --version >/dev/null || fail "PyInstaller is not installed"

# -- 3. the Linux bundle ------------------------------------------------------------------------
step "installer/build-linux.sh"
B0=$(date +%s)
PYTHON="$VENV/bin/python" WORK="$WORKDIR/work" bash "$SRC/installer/build-linux.sh" "$WORKDIR/dist"
BUILD_S=$(( $(date +%s) - B0 ))
APP="$WORKDIR/dist/netsketch-studio"
ls "$WORKDIR"/dist/*.tar.gz >/dev/null || fail "no .tar.gz"
if command -v dpkg-deb >/dev/null; then
  DEB=$(ls "$WORKDIR"/dist/*.deb) || fail "no .deb"
  dpkg-deb --contents "$DEB" > "$WORKDIR/deb-contents.txt" || fail "dpkg-deb --contents"
  grep -q "usr/share/applications/netsketch-studio.desktop" "$WORKDIR/deb-contents.txt" \
    || fail ".deb has no .desktop entry"
  grep -q "opt/netsketch-studio/studio$" "$WORKDIR/deb-contents.txt" || fail ".deb has no app"
fi
rm -rf "$WORKDIR/work"
WORKDIR_DIST="$WORKDIR/dist"
fi

APP="$WORKDIR_DIST/netsketch-studio"
test -x "$APP/studio" || fail "no $APP/studio"

# -- 4. run the frozen binaries headless, away from the checkout and the venv ---------------------
RUN="$WORKDIR/run"
rm -rf "$RUN"; mkdir -p "$RUN/home"
cd "$RUN"
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share"
export QT_QPA_PLATFORM=offscreen
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
PATH="/usr/bin:/bin"
CHECK_PY="$(command -v python3 || echo "$VENV/bin/python")"

step "studio --version / samples"
"$APP/studio" --version | tee version.txt
grep -q "NetSketch Studio" version.txt || fail "--version"
"$APP/studio" samples | tee samples.txt
grep -q iris samples.txt || fail "samples: iris not listed (bundled datasets not found)"

step "studio train sample:iris --target species --epochs 2"
"$APP/studio" train sample:iris --target species --epochs 2 --out "$RUN/train" \
  || fail "train exited $?"
"$CHECK_PY" - "$RUN/train/metrics.json" <<'PY' || fail "metrics.json"
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
acc = m.get("accuracy", m.get("metrics", {}).get("accuracy"))
assert isinstance(acc, (int, float)) and 0.0 <= acc <= 1.0, m
assert m.get("epochs_run") == 2, m.get("epochs_run")
print(f"metrics.json: accuracy={acc:.3f} epochs_run={m['epochs_run']} device={m.get('device')}")
PY

step "studio snapshot sample:iris --target species -o shot.png"
"$APP/studio" snapshot sample:iris --target species -o "$RUN/shot.png" || fail "snapshot exited $?"
"$CHECK_PY" - "$RUN/shot.png" <<'PY' || fail "shot.png"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert w >= 400 and h >= 300 and len(data) > 10_000, (w, h, len(data))
print(f"shot.png: {w}x{h}, {len(data)} bytes")
PY

step "netsketch-studio (windowed) with stdout/stderr closed, 20 s"
set +e
timeout 20 "$APP/netsketch-studio" >&- 2>&-
rc=$?
set -e
[ $rc -eq 124 ] || fail "the window exited by itself (status $rc) instead of running"
LOG="$XDG_DATA_HOME/netsketch-studio/logs/studio.log"
test -s "$LOG" || fail "no log file at $LOG"
grep -q "frozen=True" "$LOG" || fail "the log does not say the build is frozen"
if grep -q "Traceback" "$LOG"; then sed -n '1,80p' "$LOG" >&2; fail "a traceback in the log"; fi
echo "log: $LOG ($(wc -l < "$LOG") lines)"

step "sizes"
du -sh "$APP" "$WORKDIR_DIST"/*.tar.gz "$WORKDIR_DIST"/*.deb 2>/dev/null || true
echo
echo "SMOKE TEST PASSED in $(( $(date +%s) - T0 )) s (build $BUILD_S s)"
trap - EXIT
cd /
if [ "${SMOKE_KEEP:-0}" != 1 ] && [ -z "${SMOKE_DIR:-}" ]; then rm -rf "$WORKDIR"; fi
