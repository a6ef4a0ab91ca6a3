"""Shared fixtures: the test world is built once per session and every test runs in a rolled-back transaction."""
import pytest

from ipcity.core.testing import build_world, load_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(db):
    return load_world()


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path_factory):
    """Each test gets its own search index directory: the database rolls back after a test, the index files
    would not."""
    settings.IPCITY_SEARCH_DIR = str(tmp_path_factory.mktemp("search"))


@pytest.fixture(autouse=True)
def _own_evidence_tree(settings, tmp_path_factory):
    """Likewise the evidence log's tree files: each test's entries roll back with its transaction."""
    settings.IPCITY_EVIDENCE_DIR = str(tmp_path_factory.mktemp("evidence"))
    yield
    from ipcity.evidence.log import forget_open_trees

    forget_open_trees()


# Fixtures through which a test reaches a database (pytest-django's, or a subprocess installation of the platform).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server", "installation", "server"}


def pytest_collection_modifyitems(config, items):
    """With IPCITY_DATABASE_TESTS_ONLY=1 (the PostgreSQL pass of .ci/run), run only the tests that touch a database:
    the others (parsers, readers, the search engine, the deadline engine…) already ran on SQLite and would give the
    same result again, at the cost of minutes."""
    import os

    if os.environ.get("IPCITY_DATABASE_TESTS_ONLY") != "1":
        return
    keep, skip = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or DATABASE_FIXTURES & set(item.fixturenames)
        (keep if uses_db else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
        print(f"\nIPCITY_DATABASE_TESTS_ONLY=1: {len(skip)} tests that use no database are not repeated here")
