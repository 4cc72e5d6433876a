"""The public "Informatie" pages: no login needed; a logged-in parent sees their children's ages."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.markdown import markdown_to_html
from families.selectors import list_children_for_parent
from kennisbank import selectors, services
from kennisbank.exceptions import AlreadyVoted
from kennisbank.forms import BrowseForm, VoteForm


def _children_ages(request):
    user = request.user
    if not user.is_authenticated or not user.is_parent:
        return []
    children = list_children_for_parent(parent=user)
    return selectors.ages_of_children(children, today=timezone.localdate())


def _body_html(article) -> str:
    # markdown_to_html keeps only safe tags (nh3); without mark_safe the page showed "<p>".
    return mark_safe(markdown_to_html(article.body))  # noqa: S308


def index(request):
    form = BrowseForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "articles": [], "topics": selectors.list_topics_with_articles()}
        return render(request, "kennisbank/index.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    topic = data.get("topic")
    ages = [] if request.GET.get("all") or data.get("age") else _children_ages(request)
    if data.get("q"):
        articles = selectors.search(text=data["q"], ages=ages)
    else:
        articles = selectors.list_published(ages=ages, topic=topic)
    if data.get("age"):
        articles = articles.filter(selectors.band_q(data["age"]))
    articles = list(articles)
    language = get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        for item in articles:  # shown in Dutch (no translation yet): marked lang="nl"
            item.in_dutch = not getattr(item, f"title_{language}", None)
    context = {
        "form": form,
        "topic": topic,
        "query": data.get("q", ""),
        "articles": articles,
        "ages": ages,
        "topics": selectors.list_topics_with_articles(),
    }
    return render(request, "kennisbank/index.html", context)


def article(request, slug):
    found = selectors.get_published(slug=slug)
    context = {
        "article": found,
        "body_html": _body_html(found),
        "state": selectors.translation_state(found, field="body"),
        "voted": selectors.has_voted(article=found, session_key=request.session.session_key),
        "form": VoteForm(),
    }
    return render(request, "kennisbank/article.html", context)


@require_POST
def vote(request, slug):
    found = selectors.get_published(slug=slug)
    form = VoteForm(request.POST)
    if not form.is_valid():
        context = {
            "article": found,
            "body_html": _body_html(found),
            "state": selectors.translation_state(found, field="body"),
            "voted": False,
            "form": form,
        }
        return render(request, "kennisbank/article.html", context, status=400)
    if not request.session.session_key:
        request.session.save()
    try:
        services.vote(
            article=found,
            session_key=request.session.session_key,
            helpful=form.cleaned_data["helpful"],
        )
    except AlreadyVoted:
        messages.info(request, _("You already answered this question for this page."))
    else:
        messages.success(request, _("Thank you for your answer."))
    return redirect("kennisbank:article", slug=found.slug)
