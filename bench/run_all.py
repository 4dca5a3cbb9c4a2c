"""Run every benchmark in bench/ one after another (`make bench`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import bench
from bench.harness import run

# Modules that are tools of the benchmarks, not benchmarks.
NOT_BENCHMARKS = {"harness", "bare", "run_all", "server_process"}


def main() -> None:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(bench.__file__).parent)])
        if info.name not in NOT_BENCHMARKS and not info.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        entry = getattr(module, "main", None)
        if entry is None:
            continue
        print(f"\n== bench.{name}", flush=True)
        # Some benchmarks drive their own event loops (in-process servers); the rest are async.
        if inspect.iscoroutinefunction(entry):
            run(entry)
        else:
            entry()


if __name__ == "__main__":
    main()
