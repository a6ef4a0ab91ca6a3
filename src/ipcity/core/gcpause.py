"""Pausing Python's cyclic garbage collector around bulk work (imports, index building).

A bulk import allocates millions of short-lived containers (rows, tuples, model instances, tokens). Each allocation
past the collector's threshold triggers a collection, and the older generations' collections walk every live object
of a Django process: in the patent import that was 20–40 % of the importer's CPU (bench/bench_import.py, 50,000
rows: 27.9 s of CPU with automatic collection, 17.3 s without). Nearly all of that garbage is freed by reference
counting; what forms cycles is collected by ``collect()`` at a chunk boundary, so memory stays bounded.

The collector's switch is process-wide. Pauses nest and may overlap across threads: the first pause turns automatic
collection off and the last one to end turns it back on (only if it was on before the first).
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Automatic cyclic collection off inside the block (reference counting goes on); one full collection at exit."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
        gc.collect()


# A full collection walks every live object — in an importing Django process about 0.1 s each time, an eighth of the
# importer's CPU when done after every 2,000-row chunk. The young generations hold what was allocated since the last
# collection, which is where a chunk's garbage is; the oldest is swept every FULL_EVERY-th call.
FULL_EVERY = 50
_collections = 0


def collect() -> None:
    """Collect cyclic garbage now (at a chunk boundary inside a pause): the objects made since the last collection,
    and every FULL_EVERY-th time all of them."""
    global _collections
    _collections += 1
    gc.collect(2 if _collections % FULL_EVERY == 0 else 1)


def paused() -> bool:
    return _depth > 0
