# One image for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ouderportaal ouderportaal
COPY accounts accounts
COPY families families
COPY outbox outbox
COPY privacy privacy
COPY vragen vragen
COPY afspraken afspraken
COPY nieuwsbrieven nieuwsbrieven
RUN pip install .
COPY . .
RUN DJANGO_DEBUG=1 python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "ouderportaal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
