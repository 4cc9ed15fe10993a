"""Errors a user can cause. Each message names the object and says how to fix it."""


class StudioError(Exception):
    """Base of every error the app reports to users as a message, never as a traceback."""


class ProjectFileError(StudioError):
    """A project folder or project.json that cannot be read or written."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class MediaError(StudioError):
    """A media file that is missing, unreadable or outside the project."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class EditError(StudioError):
    """An edit that cannot be applied to the document as it is (unknown shot, bad value)."""
