from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("vragen", "0007_seed_alarm_rules")]

    operations = [migrations.DeleteModel(name="AlarmPhrase")]
