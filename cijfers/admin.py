from django.contrib import admin

from cijfers.models import PublicResponse


@admin.register(PublicResponse)
class PublicResponseAdmin(admin.ModelAdmin):
    """Managers write "Jullie zeiden, wij deden" here; published ones are on the public page."""

    list_display = ["theme", "published_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["theme", "you_said", "we_did"]
    fields = ["theme", "you_said", "we_did", "is_published", "published_on"]
