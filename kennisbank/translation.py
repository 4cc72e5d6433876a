"""Which content fields have a column per language (django-modeltranslation).

Registering a model adds `<field>_<lang>` columns for every `settings.CONTENT_LANGUAGES` code; the
plain attribute reads the active language and falls back to Dutch.
"""

from modeltranslation.translator import TranslationOptions, register

from contactmomenten.models import ContactMoment
from kennisbank.models import Article
from nieuwsbrieven.models import Edition, Milestone
from onderwerpen.models import Topic
from vragen.models import AlarmRule, StandardAnswer


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


# The portal's other content parents read. Their admins use TranslationAdmin (one field per
# language); a reader whose language is missing sees the Dutch.
@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "body")


@register(StandardAnswer)
class StandardAnswerTranslation(TranslationOptions):
    fields = ("title", "body")


@register(ContactMoment)
class ContactMomentTranslation(TranslationOptions):
    fields = ("name", "description")


@register(AlarmRule)
class AlarmRuleTranslation(TranslationOptions):
    fields = ("advice",)
