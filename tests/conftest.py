import pytest

from tests.installation import make_installation


@pytest.fixture
def installation(tmp_path):
    """A fresh ipcity installation (own home; own database on the PostgreSQL run) driven by subprocess."""
    yield from make_installation(tmp_path)
