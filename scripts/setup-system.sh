#!/usr/bin/env bash
# Installs the system parts baodao needs (LibreOffice, poppler, CJK fonts, PostgreSQL for the store tests,
# Chromium for the workbench's browser tests)
# when they are missing; idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# Fandol faces go to a font folder fontconfig already searches, so an installed baodao finds them anywhere.
if [ "$(id -u)" -eq 0 ]; then fontdir=/usr/local/share/fonts/baodao; else fontdir="$HOME/.local/share/fonts/baodao"; fi
# chromium: the workbench's browser tests (Playwright drives it; no browser is downloaded).
# libgl1 and libglib2.0-0: OpenCV, which RapidOCR (scan intake) imports, links against them.
# tesseract-ocr-chi-sim: the OCR fallback when RapidOCR cannot be imported.
# python3-uno: LibreOffice's Python bridge, which a job worker's warm soffice is driven through (office/warm.py).
packages=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk postgresql chromium
  libgl1 libglib2.0-0 tesseract-ocr tesseract-ocr-chi-sim python3-uno)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
updated=0
apt_update() { [ "$updated" -eq 1 ] || { $sudo apt-get update -qq; updated=1; }; }

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# FandolFang/FandolKai cover all of GB2312; take only their OTF files from Debian's TeX package.
if [ ! -f "$fontdir/FandolFang-Regular.otf" ] || [ ! -f "$fontdir/FandolKai-Regular.otf" ]; then
  echo "setup: extracting Fandol fonts from texlive-lang-chinese"
  apt_update
  work=$(mktemp -d)
  chmod 755 "$work"  # apt-get download drops privileges to _apt
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq texlive-lang-chinese >/dev/null)
  deb=$(ls "$work"/texlive-lang-chinese_*.deb)
  mkdir -p "$fontdir"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards '*/fandol/*.otf'
  find "$work" \( -name 'FandolFang-*.otf' -o -name 'FandolKai-*.otf' \) -exec cp {} "$fontdir/" \;
  chmod a+r "$fontdir"/*.otf
  command -v fc-cache >/dev/null && fc-cache -f "$fontdir" >/dev/null 2>&1 || true
fi
# Noto Sans Symbols 2 prints the ticked box ☑, which no CJK face has; take only that file from Debian's
# fonts-noto-core (the whole package would put hundreds of faces in every program's font fallback).
if [ ! -f "$fontdir/NotoSansSymbols2-Regular.ttf" ]; then
  echo "setup: extracting Noto Sans Symbols 2 from fonts-noto-core"
  apt_update
  symbols=$(mktemp -d)
  chmod 755 "$symbols"
  (cd "$symbols" && apt-get download -qq fonts-noto-core >/dev/null)
  deb=$(ls "$symbols"/fonts-noto-core_*.deb)
  mkdir -p "$fontdir"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$symbols" --wildcards '*/NotoSansSymbols2-Regular.ttf'
  find "$symbols" -name 'NotoSansSymbols2-Regular.ttf' -exec cp {} "$fontdir/" \;
  chmod a+r "$fontdir"/*.ttf
  rm -rf "$symbols"
  command -v fc-cache >/dev/null && fc-cache -f "$fontdir" >/dev/null 2>&1 || true
fi
echo "setup: system packages and fonts ready"
