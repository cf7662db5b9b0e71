
import django.db.models.deletion
import django.utils.timezone
import documents.models
from django.db import migrations, models


def fill_codes(apps, schema_editor):
    """A distinct verification code for every document issued before codes existed."""
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    taken = set()
    for document in IssuedDocument.objects.only("pk").iterator():
        code = documents.models.new_code()
        while code in taken:
            code = documents.models.new_code()
        taken.add(code)
        IssuedDocument.objects.filter(pk=document.pk).update(code=code)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_issued_on_index'),
    ]

    operations = [
        # Nullable and not unique first (0004 makes it unique): a callable default is evaluated once for
        # every existing row.
        migrations.AddField(
            model_name='issueddocument',
            name='code',
            field=models.CharField(editable=False, max_length=10, null=True, verbose_name='verification code'),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.CreateModel(
            name='IssuedFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('format', models.CharField(choices=[('pdf', 'PDF'), ('docx', 'DOCX')], max_length=4, verbose_name='format')),
                ('version', models.PositiveSmallIntegerField(default=1, verbose_name='version')),
                ('kind', models.CharField(choices=[('issued', 'as issued')], default='issued', max_length=10, verbose_name='kind')),
                ('file', models.FileField(upload_to='issued/%Y/%m/', verbose_name='file')),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                ('size', models.PositiveBigIntegerField(verbose_name='size in bytes')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='stored at')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='documents.issueddocument', verbose_name='issued document')),
            ],
            options={
                'verbose_name': 'stored file of an issued document',
                'verbose_name_plural': 'stored files of issued documents',
                'ordering': ['document', 'version', 'format'],
                'constraints': [models.UniqueConstraint(fields=('document', 'format', 'version', 'kind'), name='issued_file_once_per_format_and_version', violation_error_message='This file of the document is already stored.'), models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='issued_file_version_positive', violation_error_message='Versions start at 1.')],
            },
        ),
    ]
