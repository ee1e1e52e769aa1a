"""One table of the kinds of place: each kind's layer, label, colour and map symbol.

Every view (map, legend, article tints, popups, the page's table, the exports) reads a kind's
attributes from here, and nowhere else:

    KINDS_TABLE["city"].colour      # '#E69F00'
    kind_of("border").layer         # 'borders'
    feature_glyph("AIRP")           # '✈'
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.models import KINDS

__all__ = [
    "Kind",
    "KINDS_TABLE",
    "LAYERS",
    "LAYER_TITLES",
    "KIND_LAYER",
    "KIND_COLOURS",
    "KIND_LABELS",
    "FEATURE_GLYPHS",
    "DEFAULT_GLYPH",
    "kind_of",
    "feature_glyph",
]


@dataclass(frozen=True, slots=True)
class Kind:
    """What a kind of place looks like and where it goes.

    `layer`: the map layer and GeoPackage layer. `label`: the reader's word for it.
    `colour`: Okabe–Ito (distinguishable with the common colour-vision deficiencies).
    `symbol`: how the map draws it (area, line, dot, icon). `label_rank`: which names the map
    places first when labels compete for room (lower first: points before the areas around them).
    """

    name: str
    layer: str
    label: str
    colour: str
    symbol: str
    label_rank: int


_TABLE = (
    Kind("city", "cities", "City", "#E69F00", "dot", 0),
    Kind("facility", "facilities", "Facility", "#6A3D9A", "icon", 1),
    Kind("border", "borders", "Border", "#D55E00", "line", 2),
    Kind("region", "regions", "Region", "#009E73", "area", 3),
    Kind("historical", "regions", "Historical region", "#CC79A7", "area", 4),
    Kind("other", "regions", "Other place", "#666666", "area", 3),  # rivers; streets found online
    Kind("country", "countries", "Country", "#0072B2", "area", 5),
)
# Display order of the legend and the table of kinds: countries first, as a reader scans a map.
_ORDER = ("country", "region", "historical", "border", "city", "facility", "other")
KINDS_TABLE: dict[str, Kind] = {name: next(k for k in _TABLE if k.name == name) for name in _ORDER}
assert set(KINDS_TABLE) == set(KINDS), "every kind of geo.models.KINDS has one row"

LAYERS = ("countries", "regions", "borders", "cities", "facilities")
LAYER_TITLES = {"countries": "Countries", "regions": "Regions", "borders": "Borders",
                "cities": "Cities", "facilities": "Facilities"}
KIND_LAYER: dict[str, str] = {k.name: k.layer for k in KINDS_TABLE.values()}
KIND_COLOURS: dict[str, str] = {k.name: k.colour for k in KINDS_TABLE.values()}
KIND_LABELS: dict[str, str] = {k.name: k.label for k in KINDS_TABLE.values()}

# Icons of facilities by gazetteer feature code (the map's markers and the sheet's list).
FEATURE_GLYPHS = {"AIRP": "✈", "NUCLEAR_PLANT": "☢", "LANDMARK": "★"}
DEFAULT_GLYPH = "◆"


def kind_of(name: str) -> Kind:
    """The row of a kind; unknown kinds read as 'other' (an online source's odd type)."""
    return KINDS_TABLE.get(name, KINDS_TABLE["other"])


def feature_glyph(feature: str) -> str:
    return FEATURE_GLYPHS.get(feature, DEFAULT_GLYPH)
