"""Demo questions in several states, so the queue, a thread and the staff home have content
(one matches an alarm rule and tops the queue). The alarm rules themselves are seeded by
migration 0007. Idempotent: a question already there is left alone."""

from onderwerpen.models import Topic
from vragen import services
from vragen.models import Question

# (family index, child's first name or None: about the parent, topic, text, what happens next).
# By name, not by position: a family's children are ordered by birth date, oldest first.
QUESTIONS = [
    (0, "Noor", "Slapen", "Noor wordt elke nacht drie keer wakker. Is dat normaal?", "open"),
    (
        0,
        "Daan",
        "Gedrag en opvoeden",
        "Daan heeft veel driftbuien. Hoe ga ik daarmee om?",
        "answered",
    ),
    (1, "Yasmin", "School", "Yasmin wil 's ochtends niet naar school. Wat kan ik doen?", "waiting"),
    (2, "Lotte", "Puberteit", "Lotte zit veel op haar telefoon en slaapt slecht.", "call_back"),
    (4, "Elif", "Voeding", "Elif drinkt slecht uit de fles. Moet ik wisselen van speen?", "open"),
    (3, None, "Ouderschap en relatie", "Ik ben erg moe en zie op tegen de bevalling.", "closed"),
    # The pregnancy alarm rule matches: the parent saw "Bel nu" and sent it anyway (urgent).
    (3, None, "Ziek zijn en gezondheid", "Ik voel de baby sinds vanmorgen minder bewegen.", "open"),
]


def load(*, staff, families):
    nurse = staff.get("nurse") or next(iter(staff.values()))
    for family_index, child_name, topic_name, text, state in QUESTIONS:
        if family_index >= len(families):
            continue
        family = families[family_index]
        if Question.objects.filter(family=family, text=text).exists():
            continue
        parent = family.parents.order_by("date_joined").first()
        child = family.children.filter(first_name=child_name).first() if child_name else None
        question = services.submit_question(
            parent=parent,
            topic=Topic.objects.get(name=topic_name),
            text=text,
            channel="call_back" if state == "call_back" else "online",
            child=child,
            call_back_phone="06 12345678" if state == "call_back" else "",
            call_back_part_of_day="morning" if state == "call_back" else "",
        )
        if state == "answered":
            services.answer_question(
                actor=nurse,
                question_id=question.pk,
                body="Driftbuien horen bij deze leeftijd. Blijf rustig, benoem wat je ziet en "
                "geef je kind even tijd om af te koelen. Wil je er verder over praten? Laat "
                "het weten.",
            )
        elif state == "waiting":
            services.request_information(
                actor=nurse,
                question_id=question.pk,
                body="Sinds wanneer speelt dit? En zegt Yasmin zelf waarom ze niet wil?",
            )
        elif state == "call_back":
            from django.utils import timezone

            services.plan_call_back(
                actor=nurse,
                question_id=question.pk,
                on=timezone.localdate(),
                part_of_day="morning",
                phone="06 12345678",
                message="We bellen je vandaag in de ochtend.",
            )
        elif state == "closed":
            services.answer_question(
                actor=nurse,
                question_id=question.pk,
                body="Dat is heel begrijpelijk. We bellen je graag om samen te kijken wat "
                "je kan helpen.",
            )
            services.close_question(actor=nurse, question_id=question.pk, reason="answered")
        elif state == "open" and family_index == 0:
            services.assign_question(actor=nurse, question_id=question.pk, assignee=nurse)
