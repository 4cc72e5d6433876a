"""Which content fields have a column per language (django-modeltranslation).

Registering a model adds `<field>_<lang>` columns for every `settings.CONTENT_LANGUAGES` code; the
plain attribute reads the active language and falls back to Dutch.
"""

from modeltranslation.translator import TranslationOptions, register

from kennisbank.models import Article


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
