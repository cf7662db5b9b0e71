# The dashboard aggregates a period's meetings under a Đảng bộ by date (issue 12).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["date"], name="meeting_date_idx"),
        ),
    ]
