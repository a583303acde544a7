"""Reporters: one module per output format, each ``render(report, options) -> str``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envlint.report import Report

__all__ = ["FORMATS", "RenderOptions", "get_renderer"]


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False  # ANSI colour (only on a TTY, never with NO_COLOR)
    hyperlinks: bool = False  # OSC 8 links from codes to rule pages
    width: int = 100
    statistics: bool = False
    quiet: bool = False
    show_source: bool = True


Renderer = Callable[["Report", RenderOptions], str]

# format name -> module under envlint.reporters (imported lazily: rich only for text)
FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
}


def get_renderer(fmt: str) -> Renderer:
    module = importlib.import_module(f"envlint.reporters.{FORMATS[fmt]}")
    render: Renderer = module.render
    return render
