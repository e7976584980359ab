"""What a serving process built at start-up is left out of later garbage collections."""

from __future__ import annotations

import gc

from entrypoints.bootstrap import FULL_COLLECTION_EVERY, freeze_start_up_heap
from tests.support import collector_kept


def test_what_start_up_built_is_out_of_later_collections_and_what_comes_after_is_not() -> None:
    # Given: an object alive when start-up ends
    built_at_start_up: list[object] = [object()]
    with collector_kept():  # this test process goes on building apps
        # When
        frozen = freeze_start_up_heap()
        made_later: list[object] = [object()]
        # Then: collections no longer look at it (nor at the rest of start-up's heap), and
        # they still look at what is made afterwards
        in_sight = {id(tracked) for tracked in gc.get_objects()}
        assert id(built_at_start_up) not in in_sight
        assert id(made_later) in in_sight
        # (frozen objects freed since, here or by another thread, leave the count)
        assert 0 < gc.get_freeze_count() <= frozen
        # and full collections come after 100 middle ones, the young ones as before
        assert gc.get_threshold()[2] == FULL_COLLECTION_EVERY == 100
    assert gc.get_threshold()[2] != FULL_COLLECTION_EVERY  # the test process's, put back
