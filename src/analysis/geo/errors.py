"""Errors of the geo package; messages are Dutch and name the URL, file or gemeente."""


class GeoError(ValueError):
    """Boundaries that cannot be fetched or used."""


class BoundariesMissing(GeoError):
    """No boundary file where the settings point: the maps fall back to the tile grid."""
