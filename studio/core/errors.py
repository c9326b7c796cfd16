"""User errors: things the user can fix, reported as one clear line, never as a traceback.

Anything that is not a :class:`StudioError` reaching the CLI or the GUI is a bug.
"""


class StudioError(Exception):
    """Base class of every error caused by the user's input (files, settings, designs)."""


class DataError(StudioError):
    """A CSV that cannot be read, or data that cannot be used as asked."""


class ProjectError(StudioError):
    """A project file that is malformed, from a newer version, or inconsistent."""


class DesignError(StudioError):
    """A design or settings that the doctor rejects (errors block training)."""


class TrainingError(StudioError):
    """Training stopped for a reason the user must act on (e.g. NaN loss, out of memory)."""
