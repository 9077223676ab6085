"""What every peer script prints for './covenant bench' to read (PeerRun in the coordinator's CLI).

Each figure is one line 'covenant-peer KEY VALUE' on standard output; anything else a script or its library prints goes
to standard error, so a chatty library cannot corrupt the figures.
"""

import sys
import time


def figure(key: str, value) -> None:
    if not key or any(c.isspace() for c in key):
        raise ValueError(f"a figure's key has no white space: {key!r}")
    print(f"covenant-peer {key} {value}", flush=True)


def millis_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
