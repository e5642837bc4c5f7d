# syntax=docker/dockerfile:1
# opguard worker image.
#   docker build -t opguard .
#   docker run --rm -e OPGUARD_FINGERPRINT_KEY=... -e OPGUARD_KAFKA_BOOTSTRAP=... opguard
# Stage 1 builds wheels for opguard and every dependency; stage 2 installs them with no
# compiler and no network, and runs as an unprivileged user.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
# .dockerignore keeps the context to what the wheel needs.
COPY . .
# rocksdict: the RocksDB binding faust uses for OPGUARD_STORE=rocksdb:// (production).
RUN pip wheel --wheel-dir /wheels . "rocksdict>=0.3,<1"

FROM ${PYTHON_IMAGE} AS runtime
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OPGUARD_STORE=rocksdb:// \
    OPGUARD_DATA_DIR=/var/lib/opguard/data \
    OPGUARD_METRICS_PORT=9464 \
    OPGUARD_WEB_PORT=6066 \
    OPGUARD_CACHE_DIR=/opt/opguard/cache
# The matcher's compiled lexicon is built into the image (workers start in milliseconds).
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels opguard rocksdict \
 && python -m streams.detection.registry \
 && groupadd --system --gid 10001 opguard \
 && useradd --system --uid 10001 --gid opguard --home-dir /var/lib/opguard --shell /usr/sbin/nologin opguard \
 && mkdir -p /var/lib/opguard/data \
 && chown -R opguard:opguard /var/lib/opguard
WORKDIR /var/lib/opguard
USER 10001:10001
VOLUME ["/var/lib/opguard"]
# 6066: Faust web server (/health, /ready); 9464: Prometheus /metrics.
EXPOSE 6066 9464
# slim has no curl: ask the liveness endpoint with the standard library.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:6066/health', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["opguard"]
CMD ["worker"]
