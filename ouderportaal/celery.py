"""The one Celery app. Settings live in settings.py under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")

app = Celery("ouderportaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
