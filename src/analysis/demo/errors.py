"""The demo's error; messages are Dutch and name the gemeente, file or volume."""


class DemoError(ValueError):
    """The demo cannot be generated (unknown gemeente, unreadable boundary file, volume)."""
