import documents.models
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0003's data update: PostgreSQL refuses to alter a table with pending trigger events."""

    dependencies = [
        ('documents', '0003_issued_files_and_codes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='issueddocument',
            name='code',
            field=models.CharField(default=documents.models.new_code, editable=False, help_text='Printed on the document with a QR code; anyone may check a copy with it at /xac-thuc/.', max_length=10, unique=True, verbose_name='verification code'),
        ),
    ]
