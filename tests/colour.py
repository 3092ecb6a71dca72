"""Colour arithmetic for accessibility checks: WCAG contrast, colour-vision deficiency, colour difference.

Test tooling: tests/test_palette.py uses it (as can anyone choosing a colour) to show that the RAG and rating colours
can be read against the page and told apart by people with the common colour-vision deficiencies.

Sources:
- WCAG 2.2, "relative luminance" and "contrast ratio" definitions (W3C Recommendation, 2023).
- IEC 61966-2-1 (sRGB): transfer function, D65 primaries and the sRGB to XYZ matrix.
- G. M. Machado, M. M. Oliveira, L. A. F. Fernandes, "A Physiologically-based Model for Simulation
  of Color Vision Deficiency", IEEE Transactions on Visualization and Computer Graphics 15(6),
  2009, pp. 1291-1298: the severity 1.0 matrices (protanopia, deuteranopia, tritanopia), applied to
  linear RGB.
- G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 Color-Difference Formula: Implementation Notes,
  Supplementary Test Data, and Mathematical Observations", Color Research and Application 30(1),
  2005: CIEDE2000 as implemented here, checked against their test pairs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

RGB = tuple[float, float, float]
Matrix = tuple[RGB, RGB, RGB]

# Machado et al. (2009), severity 1.0, for linear RGB.
CVD_MATRICES: dict[str, Matrix] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}

_SRGB_TO_XYZ: Matrix = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_D65_WHITE = (0.95047, 1.0, 1.08883)


def parse_hex(colour: str) -> RGB:
    """`#B2182B` or `#b2182b` → (0.698, 0.094, 0.169), each channel 0 to 1."""
    text = colour.strip().removeprefix("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"{colour!r} is not a colour written as #RRGGBB or #RGB")
    return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in rgb)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _encoded(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _apply(matrix: Matrix, v: Sequence[float]) -> RGB:
    return tuple(sum(m * x for m, x in zip(row, v)) for row in matrix)  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (same) to 21 (black on white). Text needs 4.5, graphics 3."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def simulate(colour: str, deficiency: str) -> str:
    """The colour as a person with the named deficiency sees it (Machado et al. 2009, severity 1)."""
    try:
        matrix = CVD_MATRICES[deficiency]
    except KeyError:
        raise ValueError(f"unknown deficiency {deficiency!r}; expected one of {', '.join(CVD_MATRICES)}") from None
    linear = [_linear(c) for c in parse_hex(colour)]
    return to_hex([_encoded(c) for c in _apply(matrix, linear)])


def to_lab(colour: str) -> RGB:
    """CIELAB (D65) of an sRGB colour."""
    x, y, z = _apply(_SRGB_TO_XYZ, [_linear(c) for c in parse_hex(colour)])

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip((x, y, z), _D65_WHITE))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: Sequence[float], lab2: Sequence[float]) -> float:
    """CIEDE2000 colour difference between two CIELAB colours (kL = kC = kH = 1).
    About 1 is just noticeable; categories in a chart want 10 or more."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))

    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dc / s_c) * (dH / s_h))


def difference(colour1: str, colour2: str, deficiency: str | None = None) -> float:
    """CIEDE2000 between two sRGB colours, as seen with normal vision or the named deficiency."""
    if deficiency:
        colour1, colour2 = simulate(colour1, deficiency), simulate(colour2, deficiency)
    return ciede2000(to_lab(colour1), to_lab(colour2))
