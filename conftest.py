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
