"""Colours of the house style: Okabe–Ito (Okabe & Ito 2008), safe for the
common colour-vision deficiencies, with named roles so that every figure uses
the same colour for the same meaning."""
from __future__ import annotations

from matplotlib.colors import LinearSegmentedColormap, to_rgb

#: The eight Okabe–Ito colours.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colour roles.
BASE = OKABE_ITO["sky_blue"]          # base year (e.g. 2020 actual)
COMPARE = OKABE_ITO["blue"]           # compare year (e.g. 2021 target)
ACTUAL = OKABE_ITO["bluish_green"]    # actual results set against a target
HIGHLIGHT = OKABE_ITO["vermillion"]   # binding criteria, the finding of the figure
MET = OKABE_ITO["bluish_green"]
NOT_MET = OKABE_ITO["vermillion"]
ABOVE = OKABE_ITO["blue"]             # above the province figure
BELOW = OKABE_ITO["orange"]           # below the province figure
NEUTRAL = "#9A9A9A"                   # connectors, reference lines, other bars
NEUTRAL_LIGHT = "#E6E6E6"             # missing cells, backgrounds
TEXT = "#222222"
TEXT_MUTED = "#555555"

#: Who pays (keys of reference/funding_payers.csv): public budgets in blues and
#: green, integrated programmes purple, non-state money in warm colours.
PAYERS: dict[str, str] = {
    "central": OKABE_ITO["blue"],
    "provincial": OKABE_ITO["sky_blue"],
    "district": OKABE_ITO["bluish_green"],
    "commune": "#7FCDBB",
    "integrated": OKABE_ITO["reddish_purple"],
    "enterprises": OKABE_ITO["orange"],
    "people": OKABE_ITO["vermillion"],
    "credit": OKABE_ITO["yellow"],
}


def payer_colour(payer: str) -> str:
    """Colour of a payer key; unknown payers are neutral grey."""
    return PAYERS.get(payer, NEUTRAL)


def text_on(face: object) -> str:
    """White or dark text, whichever reads on a fill of colour ``face``."""
    r, g, b = to_rgb(face)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else TEXT


#: Below (orange) - white - above (blue): for "district vs province" heat tables.
DIVERGING = LinearSegmentedColormap.from_list("ntm_diverging", [BELOW, "#FFFFFF", ABOVE])
