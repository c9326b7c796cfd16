#!/usr/bin/env bash
# Build the Linux bundle of NetSketch Studio with PyInstaller:
#   OUT/netsketch-studio/                      the runnable folder (netsketch-studio, studio)
#   OUT/netsketch-studio-VERSION-linux-ARCH.tar.gz
#   OUT/netsketch-studio_VERSION_DEBARCH.deb   (installs to /opt/netsketch-studio, with a
#                                              .desktop entry, icon and .nslesson MIME type)
#
# Usage: installer/build-linux.sh [OUT]     (default OUT: ${TMPDIR:-/tmp}/netsketch-build/dist)
# Env:   PYTHON     the Python with the project and `.[build]` installed (default: python3)
#        WORK       PyInstaller's work folder (default: OUT/../work)
#        NO_DEB=1   skip the .deb (e.g. where dpkg-deb is missing)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PYTHON="${PYTHON:-python3}"
OUT="$(mkdir -p "${1:-${TMPDIR:-/tmp}/netsketch-build/dist}" && cd "${1:-${TMPDIR:-/tmp}/netsketch-build/dist}" && pwd)"
WORK="${WORK:-$(dirname "$OUT")/work}"

VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/studio/__init__.py")"
ARCH="$(uname -m)"
case "$ARCH" in x86_64) DEBARCH=amd64 ;; aarch64) DEBARCH=arm64 ;; *) DEBARCH="$ARCH" ;; esac

echo "== NetSketch Studio $VERSION: PyInstaller build into $OUT"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT" --workpath "$WORK" "$HERE/netsketch.spec"
APPDIR="$OUT/netsketch-studio"
test -x "$APPDIR/netsketch-studio" && test -x "$APPDIR/studio"
echo "== PyInstaller done in $(( $(date +%s) - start )) s; folder: $(du -sh "$APPDIR" | cut -f1)"

# -- .tar.gz ------------------------------------------------------------------------------------
TARBALL="$OUT/netsketch-studio-$VERSION-linux-$ARCH.tar.gz"
tar -C "$OUT" -czf "$TARBALL" netsketch-studio
echo "== $TARBALL ($(du -sh "$TARBALL" | cut -f1))"

# -- .deb ---------------------------------------------------------------------------------------
if [ "${NO_DEB:-0}" = 1 ] || ! command -v dpkg-deb >/dev/null; then
    echo "== .deb skipped (NO_DEB=1 or no dpkg-deb)"
    exit 0
fi
PKG="$(dirname "$OUT")/deb-root"
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
         "$PKG/usr/share/icons/hicolor/256x256/apps" "$PKG/usr/share/icons/hicolor/scalable/apps" \
         "$PKG/usr/share/mime/packages"
cp -a "$APPDIR" "$PKG/opt/netsketch-studio"
ln -s /opt/netsketch-studio/netsketch-studio "$PKG/usr/bin/netsketch-studio"
ln -s /opt/netsketch-studio/studio "$PKG/usr/bin/netsketch-studio-cli"
install -m 644 "$HERE/linux/netsketch-studio.desktop" "$PKG/usr/share/applications/"
install -m 644 "$ROOT/resources/icons/netsketch.png" \
    "$PKG/usr/share/icons/hicolor/256x256/apps/netsketch-studio.png"
install -m 644 "$ROOT/resources/icons/netsketch.svg" \
    "$PKG/usr/share/icons/hicolor/scalable/apps/netsketch-studio.svg"
install -m 644 "$HERE/linux/netsketch-studio-mime.xml" \
    "$PKG/usr/share/mime/packages/netsketch-studio.xml"
SIZE_KB="$(du -sk "$PKG" | cut -f1)"
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: netsketch-studio
Version: $VERSION
Section: education
Priority: optional
Architecture: $DEBARCH
Installed-Size: $SIZE_KB
Maintainer: NetSketch Studio <netsketch-studio@users.noreply.github.com>
Depends: libc6, libgl1, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3
Recommends: libxcb-cursor0
Description: draw, train and evaluate neural networks on tabular data
 NetSketch Studio is a desktop app for classrooms: students draw a Keras
 network, train it on a bundled or their own CSV and evaluate it, offline.
 The command line is installed as netsketch-studio-cli.
CONTROL
cat > "$PKG/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q || true
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
exit 0
POST
cp "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
chmod 755 "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
DEB="$OUT/netsketch-studio_${VERSION}_${DEBARCH}.deb"
# gzip rather than the default zstd/xz: faster to build and readable by every dpkg
dpkg-deb --root-owner-group -Zgzip --build "$PKG" "$DEB" >/dev/null
rm -rf "$PKG"
echo "== $DEB ($(du -sh "$DEB" | cut -f1))"
echo "== total $(( $(date +%s) - start )) s"
