from django.core.management.base import BaseCommand

from cijfers.services import rebuild_figures


class Command(BaseCommand):
    help = (
        "Recompute the figures' aggregate tables for every day still inside retention; "
        "older days keep their aggregates."
    )

    def handle(self, *args, **options):
        for report in rebuild_figures():
            self.stdout.write(
                f"{report.domain}: {report.start} .. {report.end}, {report.days} days recomputed"
            )
