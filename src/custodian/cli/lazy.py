"""Command groups whose commands are imported only when they run.

A `LazyCommand` names a command, where it lives ("module:attribute", a Typer app or a plain function)
and its one-line help. The group lists those lines for `--help` without importing anything, and imports
one command's module when that command is invoked (or its own `--help` is asked for). A group may also
be *extended by* other modules' Typer apps: their commands load the first time a name is not found among
the group's own, or when the group lists its commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

COMPLETION_OPTIONS = ("install_completion", "show_completion")


@dataclass(frozen=True)
class LazyCommand:
    """A command of a lazy group: its name, "module:attribute", and the line `--help` lists it by."""

    name: str
    target: str
    help: str

    def load(self) -> TyperCommand | TyperGroup:
        """Import the target and turn it into a click command named `name`."""
        module_name, attribute = self.target.split(":")
        obj = getattr(importlib.import_module(module_name), attribute)
        if isinstance(obj, typer.Typer):
            command = typer.main.get_command(obj)
            command.help = self.help
            # Completion belongs to the root only (which has none); a sub-app built alone would offer it.
            command.params = [p for p in command.params if p.name not in COMPLETION_OPTIONS]
        else:
            single = typer.Typer(add_completion=False)
            single.command(self.name)(obj)
            command = typer.main.get_command(single)
        command.name = self.name
        _plain_help(command)
        return command


def _plain_help(command: Any) -> None:
    """Help as plain text, like the root's: Rich's help formatter costs a tenth of a second to import."""
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class _Listed(TyperCommand):
    """What `--help` shows of a command that is not loaded: its name and its line."""


class LazyGroup(TyperGroup):
    """A Typer group whose commands come from `lazy` and are imported on first use."""

    lazy: ClassVar[dict[str, LazyCommand]] = {}
    extensions: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def of(cls, commands: Iterable[LazyCommand]) -> type[LazyGroup]:
        """A LazyGroup class over `commands`, in the order given."""
        return type("CustodianGroup", (cls,), {"lazy": {c.name: c for c in commands}})

    @classmethod
    def extended_by(cls, *apps: str) -> type[LazyGroup]:
        """A LazyGroup class whose commands include those of the Typer apps "module:attribute"."""
        return type("ExtendedGroup", (cls,), {"extensions": apps})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False
        self._extended = False

    def _extend(self) -> None:
        if self._extended:
            return
        self._extended = True
        for target in self.extensions:
            module_name, attribute = target.split(":")
            extension: typer.Typer = getattr(importlib.import_module(module_name), attribute)
            for name, command in typer.main.get_command(extension).commands.items():  # type: ignore[attr-defined]
                _plain_help(command)
                self.add_command(command, name)

    def list_commands(self, ctx: typer.Context) -> list[str]:
        self._extend()
        return [*self.lazy, *super().list_commands(ctx)]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        entry = self.lazy.get(cmd_name)
        if entry is None:
            found = super().get_command(ctx, cmd_name)
            if found is None and not self._extended:
                self._extend()
                found = super().get_command(ctx, cmd_name)
            return found
        if self._listing:
            return _Listed(entry.name, help=entry.help)
        if cmd_name not in self.commands:
            self.add_command(entry.load(), cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_app(group: type[LazyGroup], *, name: str, help: str) -> typer.Typer:
    """A Typer app over a lazy group (the entry point and the test runner both take a Typer app)."""
    app = typer.Typer(name=name, help=help, cls=group, no_args_is_help=True, add_completion=False,
                      rich_markup_mode=None)

    app.callback()(_no_options)

    return app


def _no_options() -> None:
    # The root takes no options of its own; a callback makes Typer build a group.
    return None
