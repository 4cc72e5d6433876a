import pytest

from tests.conftest_worker import celery_worker, smtp_sink  # noqa: F401
from tests.vragen.factories import ensure_seeded


@pytest.fixture(autouse=True)
def _vragen_seed(request):
    # pytest-django's own autouse fixture has enabled the database by now (plugins go first).
    if request.node.get_closest_marker("django_db"):
        ensure_seeded()
