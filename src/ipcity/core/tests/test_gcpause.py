"""core.gcpause: pauses nest and overlap across threads, and the collector's switch comes back as it was."""
from __future__ import annotations

import gc
import threading

from ipcity.core import gcpause


def test_a_pause_turns_automatic_collection_off_and_back_on():
    assert gc.isenabled()
    with gcpause.collection_paused():
        assert not gc.isenabled() and gcpause.paused()
        with gcpause.collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled() and not gcpause.paused()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with gcpause.collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_in_threads_end_with_collection_on():
    inside, release = threading.Barrier(3), threading.Event()

    def work():
        with gcpause.collection_paused():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert not gc.isenabled()
    release.set()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_collect_frees_a_cycle_made_inside_a_pause():
    class Node:
        pass

    with gcpause.collection_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = [type(obj) is Node for obj in gc.get_objects()].count(True)
        del a, b
        for _ in range(gcpause.FULL_EVERY):
            gcpause.collect()
        assert [type(obj) is Node for obj in gc.get_objects()].count(True) == alive - 2
