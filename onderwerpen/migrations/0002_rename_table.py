"""The moved topics get their own table name; ids and every reference stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("onderwerpen", "0001_initial"),
        ("vragen", "0009_topic_moved_to_onderwerpen"),
        ("afspraken", "0009_topics_from_onderwerpen"),
    ]

    operations = [migrations.AlterModelTable(name="topic", table=None)]
