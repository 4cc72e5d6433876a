"""`make bench`: runs every bench/bench_*.py module's `run()` and prints its figures.

Figures are ratios against a baseline measured in the same run (the machine is shared).
"""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")


def main() -> int:
    only = sys.argv[1:]
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        name = path.stem
        if only and name.removeprefix("bench_") not in only:
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
