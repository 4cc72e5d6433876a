from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bereik import services
from bereik.models import PopulationImport


class Command(BaseCommand):
    help = "Import the population (DD JGZ export, CSV) from a file or from the drop folder."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file; without it: the drop folder")
        parser.add_argument("--full", action="store_true", help="the file holds every child")
        parser.add_argument("--preview", action="store_true", help="report only, store nothing")

    def handle(self, *args, file=None, full=False, preview=False, **options):
        if file is None:
            results = services.import_drop_folder()
            self.stdout.write(f"{len(results)} file(s) imported from the drop folder")
            return
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        result = services.import_population(
            data=path.read_bytes(),
            file_name=path.name,
            source=PopulationImport.Source.COMMAND,
            full_export=full,
            preview=preview,
        )
        if result.refused:
            raise CommandError(result.refused)
        for error in result.errors:
            self.stdout.write(f"regel {error.line}: {error.message}")
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.counts.items()))
