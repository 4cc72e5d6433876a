"""One access-log row per page view or action: record, child and family ids become arrays.

Existing rows keep what they said: their single ids become one-element arrays. The copy is
the one UPDATE the append-only trigger must let through, so it runs with the trigger switched
off for the length of this migration (the owner role runs migrations; the app role cannot).
"""

from django.conf import settings
from django.db import migrations, models

from privacy.fields import gin_indexes, id_array

COPY_SQL = """
ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_append_only;
UPDATE privacy_accesslog SET
    record_ids = CASE WHEN record_id IN ('', 'list', 'csv') THEN '{}'
                      ELSE ARRAY[record_id]::varchar(64)[] END,
    child_ids = CASE WHEN child_id IS NULL THEN '{}' ELSE ARRAY[child_id] END,
    family_ids = CASE WHEN family_id IS NULL THEN '{}' ELSE ARRAY[family_id] END;
ALTER TABLE privacy_accesslog ENABLE TRIGGER privacy_accesslog_append_only;
"""


def copy_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COPY_SQL)
        return
    AccessLog = apps.get_model("privacy", "AccessLog")
    for row in AccessLog.objects.all():
        row.record_ids = [] if row.record_id in ("", "list", "csv") else [row.record_id]
        row.child_ids = [str(row.child_id)] if row.child_id else []
        row.family_ids = [str(row.family_id)] if row.family_id else []
        row.save(update_fields=["record_ids", "child_ids", "family_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_youth_question"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="actor",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=models.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("search", "Searched"),
                    ("change", "Changed"),
                    ("create", "Created"),
                    ("export", "Exported"),
                    ("delete", "Deleted"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="record_ids",
            field=id_array(models.CharField(max_length=64), verbose_name="records"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="child_ids",
            field=id_array(models.UUIDField(), verbose_name="children"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="family_ids",
            field=id_array(models.UUIDField(), verbose_name="families"),
        ),
        migrations.RunPython(copy_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="accesslog", name="record_id"),
        migrations.RemoveField(model_name="accesslog", name="child_id"),
        migrations.RemoveField(model_name="accesslog", name="family_id"),
        *[
            migrations.AddIndex(model_name="accesslog", index=index)
            for index in gin_indexes("privacy_log", ["child_ids", "family_ids"])
        ],
    ]
