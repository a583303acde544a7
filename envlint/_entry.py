"""Console-script entry: ``envlint --version`` answers before click and rich are imported."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from envlint import __version__

        sys.stdout.write(f"envlint, version {__version__}\n")
        raise SystemExit(0)
    import gc

    from envlint.parallel import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)
    from envlint.cli import main as cli_main

    cli_main()

