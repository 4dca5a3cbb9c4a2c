"""The discharge card's QR code: an SVG made by segno, for the card page to embed."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup, escape


@lru_cache(maxsize=512)  # a card is printed many times; segno's encoding is the page's main cost
def qr_svg(url: str, label: str) -> Markup:
    """The URL as a QR code in SVG (error correction M survives a worn, folded card).

    segno writes presentation attributes only (no style attributes), so the CSP's style-src
    'self' allows it inline; the SVG scales with the card through CSS.
    """
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=1, border=4, dark="#000", light="#fff", svgclass="qr", lineclass=None)
    # segno sets width and height; a viewBox lets CSS size it without blurring.
    size = qr.symbol_size(scale=1, border=4)[0]
    svg = svg.replace(
        "<svg ", f'<svg viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}" ', 1
    )
    return Markup(svg)  # noqa: S704 - segno's own output, from a URL we built
