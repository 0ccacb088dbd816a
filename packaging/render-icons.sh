#!/usr/bin/env bash
# Renders the committed icon files from resources/icons/lightfield-deals.svg, the one source:
#   packaging/linux/icons/hicolor/<N>x<N>/apps/app.lightfield.Deals.png   (hicolor PNG sizes)
#   packaging/windows/lightfield-deals.ico                                (16…256, PNG entries)
#   packaging/macos/lightfield-deals.icns                                 (16…1024, PNG entries)
# Run it after changing the SVG and commit the results; the build never runs it.
# Needs rsvg-convert (Debian: librsvg2-bin) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
svg=resources/icons/lightfield-deals.svg
app_id=app.lightfield.Deals
command -v rsvg-convert >/dev/null || { echo "render-icons: needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in 16 32 48 64 128 256 512 1024; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$svg" --output "$tmp/$size.png"
done
for size in 16 32 48 64 128 256; do
    dir="packaging/linux/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    cp "$tmp/$size.png" "$dir/$app_id.png"
done

# ICO and ICNS both accept PNG-compressed entries, so a few lines of Python write them.
python3 - "$tmp" <<'PY'
import struct, sys, pathlib
tmp = pathlib.Path(sys.argv[1])
png = lambda n: (tmp / f"{n}.png").read_bytes()

# ICO: ICONDIR, one ICONDIRENTRY per image (0 means 256), then the PNG data.
sizes = [16, 32, 48, 64, 128, 256]
data = [png(n) for n in sizes]
offset = 6 + 16 * len(sizes)
out = struct.pack("<HHH", 0, 1, len(sizes))
for n, blob in zip(sizes, data):
    out += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(blob), offset)
    offset += len(blob)
pathlib.Path("packaging/windows/lightfield-deals.ico").write_bytes(out + b"".join(data))

# ICNS: 'icns' + total length, then (type, length incl. header, PNG) chunks.
types = [("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512), ("ic10", 1024)]
chunks = b"".join(t.encode() + struct.pack(">I", 8 + len(png(n))) + png(n) for t, n in types)
pathlib.Path("packaging/macos/lightfield-deals.icns").write_bytes(b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks)
PY
echo "render-icons: wrote hicolor PNGs, packaging/windows/lightfield-deals.ico, packaging/macos/lightfield-deals.icns"
