"""``manage.py generate_scale_data --preset tiny|school|district|province``: generated data at scale.

See :mod:`home.scale` for what it makes and docs/architecture.md ("Scale data") for the presets, the
password of the generated logins and the timings.
"""

from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from home.scale import PASSWORD, PRESETS, Generator, existing_data, refusal_message


class Command(BaseCommand):
    help = (
        "Generate a Party organisation with years of history in bulk, for benchmarks: a tiny, school, "
        "district or province preset; parameters override the preset. Refuses a database that holds "
        "other data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="school")
        parser.add_argument("--cells", type=int, help="Number of cells.")
        parser.add_argument("--members-per-cell", type=int, help="Mean number of members of a cell (8–60).")
        parser.add_argument("--years", type=int, help="Years of history, the current year included.")
        parser.add_argument("--seed", type=int, default=1, help="Seed: the same seed gives the same data.")
        parser.add_argument(
            "--force", action="store_true", help="Generate even though the database already holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        preset = PRESETS[options["preset"]]
        changes = {
            key: options[option]
            for key, option in (
                ("cells", "cells"),
                ("members_per_cell", "members_per_cell"),
                ("years", "years"),
            )
            if options[option] is not None
        }
        preset = replace(preset, **changes)
        if preset.cells < 1 or preset.years < 1 or not 8 <= preset.members_per_cell <= 60:
            raise CommandError("--cells and --years must be at least 1, --members-per-cell between 8 and 60.")
        foreign, generated = existing_data()
        if (foreign or generated) and not options["force"]:
            raise CommandError(refusal_message())
        generator = Generator(preset, seed=options["seed"], out=self.stdout.write)
        counts = generator.run()
        self.stdout.write(
            self.style.SUCCESS(
                f"{sum(counts.values()):,} rows in {len(counts)} tables. "
                f"Every generated login's password: {PASSWORD}"
            )
        )
