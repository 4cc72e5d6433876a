import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    Invitation = apps.get_model("families", "Invitation")
    for invitation in Invitation.objects.only("pk", "token_hash"):
        invitation.token_hash = hashlib.sha256(invitation.token_hash.encode()).hexdigest()
        invitation.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    """Store only a hash of invitation tokens; links already sent keep working."""

    dependencies = [
        ("families", "0003_family_postcode"),
    ]

    operations = [
        migrations.RenameField(model_name="invitation", old_name="token", new_name="token_hash"),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="token (SHA-256)"),
        ),
    ]
