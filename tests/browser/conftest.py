import pytest


@pytest.fixture
def page(page):
    page.set_default_timeout(8000)
    return page


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
