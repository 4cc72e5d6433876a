from django.core.management.base import BaseCommand

from afspraken.services import generate_slots


class Command(BaseCommand):
    help = "Generate appointment slots from the schedules over the rolling horizon (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=None, help="Horizon in weeks.")

    def handle(self, *args, weeks=None, **options):
        result = generate_slots(weeks=weeks)
        self.stdout.write(
            f"created {result.created}, reactivated {result.reactivated}, "
            f"deactivated {result.deactivated}, flagged for staff {result.flagged}"
        )
