from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import parent_required, professional_required
from core import ratelimit
from families.selectors import list_children_for_parent
from kennisbank import selectors as kennisbank_selectors
from vragen import appointments, forms, selectors, services
from vragen.exceptions import FeedbackRefused, NotAllowed, TransitionRefused
from vragen.models import Question

# --- Parent ------------------------------------------------------------------------------------


@parent_required
def my_questions(request):
    questions = selectors.list_questions_for_parent(parent=request.user)
    return render(request, "vragen/my_questions.html", {"questions": questions})


@parent_required
@require_http_methods(["GET", "POST"])
def ask(request):
    """Only a stored question counts toward the limit: not a form error, not the "Bel nu" step
    (a parent in a hurry must always get that page), and over the limit the text is kept."""
    form = forms.AskForm(
        request.POST or None,
        children=list(list_children_for_parent(parent=request.user)),
        appointments=appointments.list_upcoming_for_family(family_id=request.user.family_id),
        family_id=request.user.family_id,
    )
    if request.method == "GET":
        return render(request, "vragen/ask.html", {"form": form})
    if not form.is_valid():
        return render(request, "vragen/ask.html", {"form": form}, status=400)
    if "edit" in request.POST:
        return render(request, "vragen/ask.html", {"form": form})
    data = form.service_kwargs()
    rules = services.find_alarm_rules(
        text=data["text"], family_id=request.user.family_id, child=data["child"]
    )
    if rules and not form.cleaned_data["alarm_confirmed"]:
        # Advice first: the question is only sent when the parent chooses to send it anyway.
        return render(
            request,
            "vragen/alarm.html",
            {"form": form, "rules": rules, "calls": services.numbers_to_call(rules)},
        )
    if not ratelimit.within_limit(request, "question"):
        context = {"form": form, "limited_minutes": ratelimit.wait_minutes("question")}
        return render(request, "vragen/ask.html", context, status=429)
    question = services.submit_question(parent=request.user, **data)
    ratelimit.hit(request, "question")
    return redirect("vragen:sent", question_id=question.pk)


@parent_required
def sent(request, question_id):
    question = selectors.get_question_for_parent(parent=request.user, question_id=question_id)
    return render(
        request,
        "vragen/sent.html",
        {"question": question, "promise": services.describe_promise(question)},
    )


def _render_thread(request, question, *, reply_form=None, status=200, limited_minutes=None):
    services.mark_read_by_parent(question=question)
    feedback_token = None
    if (
        question.status == Question.Status.CLOSED
        and not question.feedback.filter(round=question.close_count).exists()
        and question.closed_at
        and timezone.now() - question.closed_at
        < timedelta(days=settings.VRAGEN_FEEDBACK_VALID_DAYS)
    ):
        feedback_token = services.make_feedback_token(question)
    return render(
        request,
        "vragen/thread.html",
        {
            "question": question,
            "thread": selectors.list_messages_for_parent(question=question),
            "reply_form": reply_form or forms.ReplyForm(),
            "can_reply": question.status != Question.Status.CLOSED,
            "feedback_token": feedback_token,
            "promise": services.describe_promise(question) if question.is_open else "",
            "limited_minutes": limited_minutes,
        },
        status=status,
    )


@parent_required
def detail(request, question_id):
    question = selectors.get_question_for_parent(parent=request.user, question_id=question_id)
    return _render_thread(request, question)


@parent_required
@require_POST
def reply(request, question_id):
    question = selectors.get_question_for_parent(parent=request.user, question_id=question_id)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, question, reply_form=form, status=400)
    if not ratelimit.within_limit(request, "question"):
        return _render_thread(
            request,
            question,
            reply_form=form,
            status=429,
            limited_minutes=ratelimit.wait_minutes("question"),
        )
    try:
        services.reply_as_parent(
            parent=request.user, question_id=question.pk, body=form.cleaned_data["body"]
        )
    except TransitionRefused:
        messages.error(request, _("This question is closed. Ask a new question instead."))
        return _render_thread(request, question, reply_form=form, status=409)
    ratelimit.hit(request, "question")
    messages.success(request, _("Your reply has been sent."))
    return redirect("vragen:detail", question_id=question.pk)


@parent_required
@require_POST
def solve(request, question_id):
    question = selectors.get_question_for_parent(parent=request.user, question_id=question_id)
    try:
        services.mark_solved(parent=request.user, question_id=question.pk)
    except TransitionRefused:
        messages.error(request, _("This question is already closed."))
    else:
        messages.success(request, _("Good to hear. We have closed your question."))
    return redirect("vragen:detail", question_id=question.pk)


@require_http_methods(["GET", "POST"])
def feedback(request, token):
    """Works from the e-mail link without logging in: the signed token is the permission."""
    error = None
    try:
        services.read_feedback_token(token)
    except FeedbackRefused as exc:
        error = exc.reason
    if request.method == "POST" and error is None:
        helped = request.POST.get("helped")
        if helped not in ("yes", "no"):
            return render(request, "vragen/feedback.html", {"token": token}, status=400)
        try:
            question = services.give_feedback(token=token, helped=helped == "yes")
        except FeedbackRefused as exc:
            error = exc.reason
        else:
            return render(
                request,
                "vragen/feedback.html",
                {"done": True, "helped": helped == "yes", "question": question},
            )
    status = 410 if error in ("expired", "used") else (400 if error else 200)
    return render(request, "vragen/feedback.html", {"token": token, "error": error}, status=status)


# --- Staff -------------------------------------------------------------------------------------


@professional_required
def queue(request):
    form = forms.QueueFilterForm(request.GET or None)
    page = selectors.get_queue_page(
        actor=request.user, filters=form.filters(), page=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vragen/staff/queue.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.count_by_status(actor=request.user),
            "query": query.urlencode(),
            "now": timezone.now(),
        },
    )


@professional_required
def call_list(request):
    day = parse_date(request.GET.get("on") or "") or timezone.localdate()
    return render(
        request,
        "vragen/staff/call_list.html",
        {
            "day": day,
            "questions": selectors.list_call_backs(actor=request.user, on=day),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
        },
    )


def _staff_forms(question: Question, request, bound: dict) -> dict:
    standard = None
    if request.method == "GET" and request.GET.get("standard", "").isdigit():
        standard = selectors.get_standard_answer(
            answer_id=int(request.GET["standard"]), topic_id=question.topic_id
        )
    body = standard.body if standard else ""
    shared = None
    if request.method == "GET" and request.GET.get("article"):
        shared = kennisbank_selectors.get_published_or_none(slug=request.GET["article"][:80])
    if shared is not None:
        body = "\n\n".join(part for part in (body, kennisbank_selectors.share_line(shared)) if part)
    defaults = {
        "urgency_form": forms.UrgencyForm(initial={"urgency": question.urgency}),
        "assign_form": forms.AssignForm(initial={"assignee": question.assignee_id}),
        "answer_form": forms.AnswerForm(initial={"body": body}),
        "info_form": forms.InfoRequestForm(),
        "note_form": forms.NoteForm(),
        "call_back_form": forms.CallBackForm(
            initial={
                "on": timezone.localdate(),
                "part_of_day": question.call_back_part_of_day or Question.PartOfDay.MORNING,
                "phone": question.call_back_phone,
            }
        ),
        "close_form": forms.CloseForm(),
    }
    return {**defaults, **bound}


def _render_question(request, question, *, status=200, **bound):
    context = selectors.get_question_context_for_staff(actor=request.user, question=question)
    # The family's children are loaded already: no extra query for the child's age.
    child = next((c for c in context["children"] if c.pk == question.child_id), None)
    context["articles_to_share"] = kennisbank_selectors.list_to_share(
        child=child, topic_id=question.topic_id, today=timezone.localdate()
    )
    return render(
        request,
        "vragen/staff/question.html",
        {
            "question": question,
            "promise": services.describe_promise(question) if question.deadline_at else "",
            **context,
            **_staff_forms(question, request, bound),
        },
        status=status,
    )


@professional_required
def staff_question(request, question_id):
    question = selectors.get_question_for_staff(actor=request.user, question_id=question_id)
    return _render_question(request, question)


# One table for the staff actions: form class, form name in the template, service call.
def _do_urgency(request, question, data):
    services.set_urgency(actor=request.user, question_id=question.pk, urgency=data["urgency"])
    return _("Urgency saved.")


def _do_assign(request, question, data):
    services.assign_question(actor=request.user, question_id=question.pk, assignee=data["assignee"])
    return _("Assignment saved.")


def _do_answer(request, question, data):
    services.answer_question(actor=request.user, question_id=question.pk, body=data["body"])
    return _("Your answer has been sent to the parent.")


def _do_ask_info(request, question, data):
    services.request_information(actor=request.user, question_id=question.pk, body=data["body"])
    return _("Your question has been sent to the parent. The question waits for the reply.")


def _do_call_back(request, question, data):
    services.plan_call_back(
        actor=request.user,
        question_id=question.pk,
        on=data["on"],
        part_of_day=data["part_of_day"],
        phone=data["phone"],
        message=data["message"],
    )
    return _("The call back has been planned.")


def _do_note(request, question, data):
    services.add_internal_note(actor=request.user, question_id=question.pk, body=data["body"])
    return _("Note saved.")


def _do_close(request, question, data):
    services.close_question(actor=request.user, question_id=question.pk, reason=data["reason"])
    return _("The question has been closed.")


ACTIONS = {
    "urgency": (forms.UrgencyForm, "urgency_form", _do_urgency),
    "assign": (forms.AssignForm, "assign_form", _do_assign),
    "answer": (forms.AnswerForm, "answer_form", _do_answer),
    "ask_info": (forms.InfoRequestForm, "info_form", _do_ask_info),
    "call_back": (forms.CallBackForm, "call_back_form", _do_call_back),
    "note": (forms.NoteForm, "note_form", _do_note),
    "close": (forms.CloseForm, "close_form", _do_close),
}


@professional_required
@require_POST
def staff_action(request, question_id, action):
    if action not in ACTIONS:
        raise Http404
    question = selectors.get_question_for_staff(actor=request.user, question_id=question_id)
    form_class, name, handler = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_question(request, question, status=400, **{name: form})
    try:
        done = handler(request, question, form.cleaned_data)
    except TransitionRefused:
        messages.error(request, _("That is not possible in the current status of the question."))
        question.refresh_from_db()
        return _render_question(
            request, question, status=409, unsent=form.cleaned_data.get("body", ""), **{name: form}
        )
    except NotAllowed:
        messages.error(request, _("That is not allowed."))
        return _render_question(request, question, status=403, **{name: form})
    messages.success(request, done)
    return redirect("vragen:staff_question", question_id=question.pk)


@professional_required
@require_POST
def take(request, question_id):
    question = selectors.get_question_for_staff(actor=request.user, question_id=question_id)
    services.assign_question(actor=request.user, question_id=question.pk, assignee=request.user)
    messages.success(request, _("You have taken this question."))
    return redirect("vragen:staff_question", question_id=question.pk)
