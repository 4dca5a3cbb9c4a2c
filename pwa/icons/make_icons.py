"""Draw Fotfeste's app icons as PNG files with the standard library only.

The mark is two footprints stepping upwards on a calm teal ground: a foothold.
Run `python3 pwa/icons/make_icons.py` from the repository root; it rewrites the PNGs beside it.
Shapes are described in a 0..1 square and sampled 4x4 per pixel for smooth edges.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

TEAL = (15, 110, 106)  # the theme colour (--brand in styles.css)
CREAM = (246, 241, 228)
SAMPLES = 4  # per axis, so 16 samples per pixel

Shape = Callable[[float, float], bool]


def ellipse(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0) -> Shape:
    cos_a, sin_a = math.cos(angle), math.sin(angle)

    def inside(x: float, y: float) -> bool:
        dx, dy = x - cx, y - cy
        u = dx * cos_a + dy * sin_a
        v = -dx * sin_a + dy * cos_a
        return (u / rx) ** 2 + (v / ry) ** 2 <= 1.0

    return inside


def footprint(cx: float, cy: float, scale: float, mirror: bool) -> list[Shape]:
    """A foot seen from above: heel, sole and ball as ellipses, five toes as small ones."""
    side = -1.0 if mirror else 1.0
    tilt = 0.18 * side

    def at(dx: float, dy: float) -> tuple[float, float]:
        # rotate the foot slightly outwards, like a natural step
        x = dx * math.cos(tilt) - dy * math.sin(tilt)
        y = dx * math.sin(tilt) + dy * math.cos(tilt)
        return cx + x * scale, cy + y * scale

    shapes: list[Shape] = []
    for dx, dy, rx, ry in (
        (0.0, 0.28, 0.165, 0.20),
        (0.02 * side, 0.06, 0.165, 0.22),
        (0.03 * side, -0.17, 0.21, 0.17),
    ):
        x, y = at(dx, dy)
        shapes.append(ellipse(x, y, rx * scale, ry * scale, tilt))
    toes = (
        (-0.16, -0.40, 0.070),
        (-0.06, -0.45, 0.060),
        (0.03, -0.46, 0.055),
        (0.11, -0.44, 0.050),
        (0.18, -0.39, 0.045),
    )
    for dx, dy, r in toes:
        x, y = at(dx * side, dy)
        shapes.append(ellipse(x, y, r * scale, r * 1.15 * scale, tilt))
    return shapes


def mark(scale: float) -> list[Shape]:
    """Two footprints, left lower and right higher, centred in the unit square."""
    left = footprint(0.5 - 0.15 * scale, 0.5 + 0.15 * scale, 0.5 * scale, mirror=True)
    right = footprint(0.5 + 0.15 * scale, 0.5 - 0.15 * scale, 0.5 * scale, mirror=False)
    return left + right


def rounded_square(radius: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        qx = max(abs(x - 0.5) - (0.5 - radius), 0.0)
        qy = max(abs(y - 0.5) - (0.5 - radius), 0.0)
        return qx * qx + qy * qy <= radius * radius

    return inside


def render(size: int, ground: Shape | None, shapes: list[Shape]) -> bytes:
    """RGBA rows: teal where the ground is, cream where the mark is, transparent elsewhere."""
    rows = bytearray()
    step = 1.0 / (size * SAMPLES)
    for py in range(size):
        rows.append(0)  # PNG filter type 0 for this row
        for px in range(size):
            ground_hits = mark_hits = 0
            for sy in range(SAMPLES):
                y = (py * SAMPLES + sy + 0.5) * step
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    if ground is None or ground(x, y):
                        ground_hits += 1
                        if any(shape(x, y) for shape in shapes):
                            mark_hits += 1
            total = SAMPLES * SAMPLES
            if ground_hits == 0:
                rows += b"\0\0\0\0"
                continue
            f = mark_hits / ground_hits
            rgb = bytes(round(t + (c - t) * f) for t, c in zip(TEAL, CREAM, strict=True))
            rows += rgb + bytes([round(255 * ground_hits / total)])
    return bytes(rows)


def png(size: int, rgba_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rgba_rows, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    here = Path(__file__).resolve().parent
    # "any" icons: a rounded tile with a large mark.
    for size, name in (
        (192, "icon-192.png"),
        (512, "icon-512.png"),
        (180, "apple-touch-icon.png"),
        (32, "favicon-32.png"),
    ):
        ground = None if name == "apple-touch-icon.png" else rounded_square(0.22)
        (here / name).write_bytes(png(size, render(size, ground, mark(0.85))))
    # maskable: full bleed, the mark kept inside the central safe circle (80 % diameter).
    (here / "icon-maskable-512.png").write_bytes(png(512, render(512, None, mark(0.62))))


if __name__ == "__main__":
    main()
