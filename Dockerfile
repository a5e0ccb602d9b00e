# syntax=docker/dockerfile:1
# Pantau: one image for the worker (`pantau worker`, the default) and the delivery service (`pantau notify`).
#
#   docker build -t pantau .
#   docker run --rm -e PANTAU_KAFKA_BOOTSTRAP=kafka:9092 -p 6066:6066 pantau            # a worker
#   docker run --rm -e PANTAU_KAFKA_BOOTSTRAP=kafka:9092 -e PANTAU_NOTIFY_CONFIG=... pantau notify
#
# Two stages: `build` has a C compiler, installs the package into a virtual environment and compiles the
# detection core with Cython (`pantau compile`, as `make install` does); `runtime` gets that environment
# only, with no compiler, no Cython and no pip cache, and runs as an unprivileged user.

# Both stages must be the same interpreter: a compiled module loads only into the Python it was built for
# (detectors/compiled.py checks the ABI and falls back to the sources otherwise). Pin a digest in production.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build

# gcc and the C library headers for Cython's output; the Python headers come with the python image.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

ENV VIRTUAL_ENV=/opt/pantau \
    PATH=/opt/pantau/bin:$PATH \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# Build tools in the same ranges as pyproject.toml's build-system and dev extra.
RUN --mount=type=cache,target=/root/.cache/pip \
    python -m venv /opt/pantau \
    && pip install --upgrade pip 'setuptools>=68,<81' 'cython>=3.0,<4'

WORKDIR /src
# Dependencies first, from pyproject.toml alone: this layer is reused until the dependency list changes.
COPY pyproject.toml README.md ./
RUN --mount=type=cache,target=/root/.cache/pip \
    python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# The package itself, not editable: the runtime stage copies /opt/pantau and nothing from /src.
COPY . .
RUN pip install --no-deps .

# Compile from the installed sources (outside /src, so that `detectors` is the installed package): the
# manifest records their digests, and the runtime stage runs the compiled core only while they match.
# The build fails here if the compiled core would not be used.
WORKDIR /
RUN pantau compile \
    && status="$(pantau compile --status)" && echo "compiled core: $status" && test "$status" = compiled \
    && pip uninstall -y cython \
    && build_dir="$(python -c 'from detectors import compiled; print(compiled.BUILD_DIR)')" \
    && rm -rf "$build_dir/c" "$build_dir/tmp"


FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="pantau" \
      org.opencontainers.image.description="Streaming early warning of trending diplomatic incidents"

# tini as PID 1: forwards SIGTERM to pantau (whose worker then takes its final checkpoint) and reaps
# children (the embedded broker, when PANTAU_KAFKA_BOOTSTRAP is unset).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*

# A fixed numeric uid/gid: Kubernetes' runAsNonRoot can only verify a numeric USER, and volumes are
# prepared for it (fsGroup 10001 in deploy/k8s).
RUN groupadd --system --gid 10001 pantau \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/pantau --shell /usr/sbin/nologin pantau \
    && install -d -o 10001 -g 10001 -m 0750 \
        /var/lib/pantau /var/lib/pantau/data /var/lib/pantau/state /var/lib/pantau/notify

COPY --from=build /opt/pantau /opt/pantau

# Container defaults: bind every interface (the port is published, not the loopback), and keep all state
# under /var/lib/pantau. The rest of the settings are the service's own defaults (README.md).
ENV PATH=/opt/pantau/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/var/lib/pantau \
    PANTAU_WEB_HOST=0.0.0.0 \
    PANTAU_DATA_DIR=/var/lib/pantau/data \
    PANTAU_STATE_DIR=/var/lib/pantau/state \
    PANTAU_NOTIFY_STATE_DIR=/var/lib/pantau/notify

# Detection checkpoints (shared by the workers of one service), Faust's data and the delivery ledger.
VOLUME ["/var/lib/pantau"]
WORKDIR /var/lib/pantau
USER 10001:10001

# 6066: the worker's /metrics, /healthz, /readyz and /console; 6067: the delivery service's.
EXPOSE 6066 6067

# Liveness of whichever command PID 1 runs: the delivery service answers on PANTAU_NOTIFY_PORT, a worker
# on PANTAU_WEB_PORT. Python's urllib, so the image needs no curl; a non-200 answer raises, and exits 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; argv = open('/proc/1/cmdline', 'rb').read().split(b'\\0'); port = os.environ.get('PANTAU_NOTIFY_PORT', '6067') if b'notify' in argv else os.environ.get('PANTAU_WEB_PORT', '6066'); urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

ENTRYPOINT ["/usr/bin/tini", "--", "pantau"]
CMD ["worker"]
