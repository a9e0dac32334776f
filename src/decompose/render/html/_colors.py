"""One colour per service, the same on the map, the matrix and the charts."""

from __future__ import annotations

from collections.abc import Sequence

from decompose.model import ServiceKind

__all__ = ["SHARED_COLOR", "service_colors"]

SHARED_COLOR = "#7f7f7f"
# Distinct hues dark enough for white text on them and light enough to tell apart.
_PALETTE = (
    "#3366cc",
    "#e0782b",
    "#2a9d5c",
    "#c23b3b",
    "#8a5cc2",
    "#8c5a3c",
    "#d0559d",
    "#1f9bb0",
    "#9a9a1e",
    "#4f5fa8",
    "#c98a00",
    "#3f8f7f",
    "#a6466f",
    "#5c7f2e",
    "#b0602a",
    "#6a4c93",
    "#2f7fbf",
    "#b8453f",
    "#44803f",
    "#96608c",
)


def service_colors(names: Sequence[str], kinds: Sequence[ServiceKind]) -> list[str]:
    """A colour per service, by position; the shared kernel is grey. Past the palette,
    hues continue round the colour wheel by the golden angle."""
    colors = []
    index = 0
    for kind in kinds:
        if kind == ServiceKind.SHARED:
            colors.append(SHARED_COLOR)
            continue
        if index < len(_PALETTE):
            colors.append(_PALETTE[index])
        else:
            colors.append(_hsl_hex((index * 137.508) % 360, 0.5, 0.42))
        index += 1
    assert len(colors) == len(names)
    return colors


def _hsl_hex(hue: float, saturation: float, lightness: float) -> str:
    import colorsys

    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
