"""Colour arithmetic both editions share."""
from __future__ import annotations


def tint(color: str, share: float) -> str:
    """``share`` of ``color`` (hex RGB) over white, as hex RGB: the model figure's element boxes."""
    channels = (int(str(color)[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(255 - share * (255 - c)):02X}" for c in channels)
