import secrets

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from bereik import services
from bereik.csvfiles import POPULATION_COLUMNS
from bereik.forms import ImportForm
from bereik.models import PopulationImport
from privacy.admin import ReadOnlyAdmin

# A previewed file waits this long for "Import" (in the cache, never on disk).
PREVIEW_SECONDS = 30 * 60


def _import_view(request, *, admin_site, opts, kind: str, title, run, columns, full_option):
    """Upload -> preview (nothing stored) -> import the previewed file, in one admin page."""
    form = ImportForm(request.POST or None, request.FILES or None, full_option=full_option)
    context = {
        **admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "form": form,
        "columns": columns,
        "result": None,
        "token": "",
    }
    if request.method == "POST":
        token = request.POST.get("token", "")
        if token and "import" in request.POST:
            stored = cache.get(f"bereik-import:{kind}:{request.user.pk}:{token}")
            if stored is None:
                form.add_error(None, _("The preview has expired. Choose the file again."))
                return TemplateResponse(request, "admin/bereik/import.html", context, status=400)
            cache.delete(f"bereik-import:{kind}:{request.user.pk}:{token}")
            result = run(
                data=stored["data"], name=stored["name"], full=stored["full"], preview=False
            )
            if result.refused:
                messages.error(request, result.refused)
            else:
                messages.success(request, _("Imported: %(counts)s") % {"counts": _counts(result)})
            context["result"] = result
            return TemplateResponse(request, "admin/bereik/import.html", context)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            full = form.cleaned_data.get("full_export", False)
            result = run(data=data, name=upload.name, full=full, preview=True)
            context["result"] = result
            context["preview"] = True
            if not result.refused:
                token = secrets.token_urlsafe(16)
                cache.set(
                    f"bereik-import:{kind}:{request.user.pk}:{token}",
                    {"data": data, "name": upload.name, "full": full},
                    timeout=PREVIEW_SECONDS,
                )
                context["token"] = token
            status = 400 if result.refused else 200
            return TemplateResponse(request, "admin/bereik/import.html", context, status=status)
        return TemplateResponse(request, "admin/bereik/import.html", context, status=400)
    return TemplateResponse(request, "admin/bereik/import.html", context)


def _counts(result) -> str:
    return ", ".join(f"{key}: {value}" for key, value in result.counts.items())


@admin.register(PopulationImport)
class PopulationImportAdmin(ReadOnlyAdmin):
    """Runs of the population import; "Import a file" and "Import postcodes" start one."""

    list_display = [
        "started_at",
        "file_name",
        "source",
        "full_export",
        "by",
        "summary",
        "error_count",
    ]
    list_filter = ["source", "full_export"]
    list_select_related = ["by"]
    readonly_fields = [
        "file_name",
        "sha256",
        "source",
        "full_export",
        "started_at",
        "finished_at",
        "by",
        "counts",
        "errors",
    ]
    change_list_template = "admin/bereik/populationimport/change_list.html"

    @admin.display(description=_("counts"))
    def summary(self, obj):
        return ", ".join(f"{k}: {v}" for k, v in obj.counts.items() if v)

    @admin.display(description=_("errors"))
    def error_count(self, obj):
        return len(obj.errors)

    def get_urls(self):
        return [
            path(
                "importeren/",
                self.admin_site.admin_view(self.population_view),
                name="bereik_populationimport_import",
            ),
            path(
                "postcodes/",
                self.admin_site.admin_view(self.postcodes_view),
                name="bereik_populationimport_postcodes",
            ),
            *super().get_urls(),
        ]

    def population_view(self, request):
        if not request.user.has_perm("bereik.add_populationimport"):
            raise PermissionDenied

        def run(*, data, name, full, preview):
            return services.import_population(
                data=data,
                file_name=name,
                source=PopulationImport.Source.ADMIN,
                by=request.user,
                full_export=full,
                preview=preview,
            )

        return _import_view(
            request,
            admin_site=self.admin_site,
            opts=self.model._meta,
            kind="population",
            title=_("Import the population (DD JGZ export)"),
            run=run,
            columns=POPULATION_COLUMNS,
            full_option=True,
        )

    def postcodes_view(self, request):
        if not (
            request.user.has_perm("teams.add_postcodearea")
            and request.user.has_perm("teams.change_postcodearea")
        ):
            raise PermissionDenied

        def run(*, data, name, full, preview):
            return services.import_postcodes(data=data, preview=preview)

        return _import_view(
            request,
            admin_site=self.admin_site,
            opts=self.model._meta,
            kind="postcodes",
            title=_("Import postcode areas and wijken"),
            run=run,
            columns=("postcode", "wijk", "team"),
            full_option=False,
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("bereik.view_populationimport")
