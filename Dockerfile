# One image for web, worker and beat. Production packages only, from the hashed lock.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# System libraries: Pango and a font for WeasyPrint (the outreach letter as PDF); the other
# wheels are self-contained. scripts/system-deps.sh lists what the tests need on top.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/prod.lock requirements/prod.lock
RUN pip install --require-hashes --no-deps -r requirements/prod.lock
COPY . .
RUN pip install --no-deps . \
    && DJANGO_DEBUG=1 python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "ouderportaal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
