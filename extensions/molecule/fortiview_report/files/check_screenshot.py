"""Check that a PNG screenshot of the report shows a page with charts, not a blank one.

Usage: python check_screenshot.py SHOT.png COLOUR [COLOUR...]   (colours as #rrggbb)
Decodes the PNG with zlib alone (8-bit RGB/RGBA, not interlaced: what Chromium writes), then
requires many distinct colours, a background that does not fill the page, and a good number of
pixels of each chart colour (the bars). Prints a JSON summary; exits 1 when the shot looks wrong.
"""

import json
import struct
import sys
import zlib

MIN_COLOURS = 16
MAX_BACKGROUND_SHARE = 0.97
MIN_BAR_PIXELS = 2000


def read_png(path):
    """(width, height, channels, rows of bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG file" % path)
    offset, header, idat = 8, None, []
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _compression, _filter, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError("unsupported PNG: depth %d, colour type %d, interlace %d" % (depth, colour_type, interlace))
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        unfilter(kind, line, previous, channels)
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def unfilter(kind, line, previous, bpp):
    """Undo one scanline's PNG filter in place (filter types 0-4)."""
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            upper_left = previous[i - bpp] if i >= bpp else 0
            estimate = left + up - upper_left
            distances = (abs(estimate - left), abs(estimate - up), abs(estimate - upper_left))
            nearest = (left, up, upper_left)[distances.index(min(distances))]
            line[i] = (line[i] + nearest) & 0xFF
        elif kind != 0:
            raise ValueError("unknown PNG filter type %d" % kind)


def main(path, colours):
    width, height, channels, rows = read_png(path)
    counts = {}
    for row in rows:
        for x in range(0, width * channels, channels):
            pixel = row[x:x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = width * height
    background, background_count = max(counts.items(), key=lambda item: item[1])
    wanted = {colour: bytes.fromhex(colour.lstrip("#")) for colour in colours}
    found = {colour: sum(count for pixel, count in counts.items()
                         if all(abs(a - b) <= 2 for a, b in zip(pixel, rgb)))
             for colour, rgb in wanted.items()}
    problems = []
    if len(counts) < MIN_COLOURS:
        problems.append("only %d distinct colours: the page looks blank" % len(counts))
    if background_count / total > MAX_BACKGROUND_SHARE:
        problems.append("the background colour covers %.1f%% of the page" % (100.0 * background_count / total))
    problems += ["only %d pixels of the chart colour %s" % (count, colour)
                 for colour, count in found.items() if count < MIN_BAR_PIXELS]
    print(json.dumps({"size": [width, height], "colours": len(counts), "background": "#" + background.hex(),
                      "background_share": round(background_count / total, 3), "chart_pixels": found,
                      "problems": problems}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
