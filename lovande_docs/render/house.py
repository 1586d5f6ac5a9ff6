"""The house symbol ("back to the model"), one shape for both editions.

The PDF draws it as a vector path (render/pdf/figures.py); the Word edition embeds it as a small
PNG drawn here from the same outline, pixel by pixel, so two builds give the same bytes.
Coordinates are shares of the symbol's size, origin bottom left.
"""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache

# A square body under a triangular roof (eaves wider than the body), and a door.
OUTLINE = ((0.5, 1.0), (0.0, 0.55), (0.15, 0.55), (0.15, 0.0), (0.85, 0.0), (0.85, 0.55), (1.0, 0.55))
DOOR = (0.42, 0.0, 0.16, 0.3)  # x, y, width, height
SAMPLES = 3  # per pixel and axis: the edges' coverage becomes the alpha


def _inside_outline(x: float, y: float) -> bool:
    inside = False
    points = OUTLINE
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def covers(x: float, y: float) -> bool:
    """Whether the point (shares of the size) is ink: inside the outline and not in the door."""
    dx, dy, dw, dh = DOOR
    return _inside_outline(x, y) and not (dx <= x <= dx + dw and dy <= y <= dy + dh)


@lru_cache(maxsize=8)
def png(size_px: int, color: str) -> bytes:
    """The symbol as an RGBA PNG, ``size_px`` square, in ``color`` (hex RGB) on transparent."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    rows = []
    total = SAMPLES * SAMPLES
    for row in range(size_px):
        line = bytearray([0])  # filter type 0
        for column in range(size_px):
            hits = sum(covers((column + (i + 0.5) / SAMPLES) / size_px, 1 - (row + (j + 0.5) / SAMPLES) / size_px)
                       for i in range(SAMPLES) for j in range(SAMPLES))
            line += bytes((red, green, blue, round(255 * hits / total)))
        rows.append(bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size_px, size_px, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))
