# conflictbrief: one image for the bot and the NLP queue workers (compose.yaml runs both).
#   docker build -t conflictbrief .
#   docker run --env-file .env conflictbrief                          # the bot
#   docker run --env-file .env conflictbrief python -m bot.queue_worker  # an NLP worker
FROM python:3.11-slim

ENV PYTHONPATH=/app PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first (the spaCy model package included), so a code change does not reinstall them.
COPY pyproject.toml README.md LICENSE ./
COPY summarize/ summarize/
COPY storage/ storage/
COPY bot/ bot/
RUN pip install .

RUN useradd --system --uid 10001 --home-dir /app conflictbrief && mkdir -p /app/data \
    && chown conflictbrief /app/data
USER conflictbrief

# Webhook server port (TELEGRAM_WEBHOOK_PORT); the reverse proxy in front terminates TLS.
EXPOSE 8443
CMD ["python", "-m", "bot"]
