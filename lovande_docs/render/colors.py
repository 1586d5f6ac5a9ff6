"""Colour arithmetic both editions share."""
from __future__ import annotations


def rgb(color: str) -> tuple[float, float, float]:
    """Hex RGB as channels from 0 to 1."""
    color = str(color)
    return tuple(int(color[i : i + 2], 16) / 255 for i in (0, 2, 4))


def tint_rgb(color: str, share: float) -> tuple[float, float, float]:
    """``share`` of ``color`` (hex RGB) over white, as channels from 0 to 1: the model figure's
    element boxes."""
    return tuple(1 - share + share * c for c in rgb(color))


def tint(color: str, share: float) -> str:
    """The same tint as hex RGB (Word)."""
    return "".join(f"{round(255 * c):02X}" for c in tint_rgb(color, share))
