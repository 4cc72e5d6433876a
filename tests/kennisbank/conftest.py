import pytest

from tests.kennisbank.factories import ensure_seeded


@pytest.fixture(autouse=True)
def _kennisbank_seed(request):
    if request.node.get_closest_marker("django_db"):
        ensure_seeded()
