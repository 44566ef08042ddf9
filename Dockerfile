# The A-EXPECS API image (production-like runs use Neo4j through docker-compose.yml).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_api ./graph_api
COPY schema ./schema
COPY resolvers ./resolvers
COPY graph_db ./graph_db
RUN pip install . && useradd --create-home --uid 10001 expecs && mkdir -p /app/var && chown expecs /app/var
USER expecs
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
CMD ["sh", "-c", "expecs migrate && expecs serve --host 0.0.0.0 --port 8000"]
