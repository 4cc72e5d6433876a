from django.db import models
from django.utils.translation import gettext_lazy as _

from core.cache import FALLBACK_TABLE


class CacheEntry(models.Model):
    """Django's database-cache table: the cache while Redis is unreachable (core.cache).

    The columns are the ones `createcachetable` makes, so Django's DatabaseCache reads it.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = FALLBACK_TABLE
        verbose_name = _("cache entry")
        verbose_name_plural = _("cache entries")

    def __str__(self):
        return self.cache_key
