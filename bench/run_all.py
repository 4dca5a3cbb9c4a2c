"""Run every benchmark in bench/ one after another (`make bench`)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import bench
from bench.harness import run

# Modules that are tools of the benchmarks, not benchmarks.
NOT_BENCHMARKS = {"harness", "bare", "run_all"}


def main() -> None:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(bench.__file__).parent)])
        if info.name not in NOT_BENCHMARKS and not info.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "main"):
            print(f"\n== bench.{name}")
            run(module.main)


if __name__ == "__main__":
    main()
