import pytest

from accounts.management.commands.demo_data import Command
from vragen import demo
from vragen.models import Question


@pytest.mark.django_db
def test_demo_questions_are_filed_under_the_child_they_name(settings):
    from tests.vragen.factories import ensure_seeded

    ensure_seeded()
    command = Command()
    demo.load(staff=command._staff(), families=command._families())
    questions = list(Question.objects.select_related("child"))
    assert len(questions) == len(demo.QUESTIONS)
    about_a_child = [q for q in questions if q.child is not None]
    assert len(about_a_child) == 5
    for question in about_a_child:
        assert question.text.startswith(question.child.first_name), question.text
