# syntax=docker/dockerfile:1
# Switchyard: one image with the three services (switchyard-ingest, -normalize, -dispatch in
# /usr/local/bin); the Kubernetes Deployments pick one with `command:` (deploy/k8s, docs/deploy.md).
#   docker build -t REGISTRY/switchyard:TAG .
#   docker run --rm -e SWITCHYARD_KAFKA_BOOTSTRAP=... REGISTRY/switchyard:TAG /usr/local/bin/switchyard-normalize

# ---- build: Debian 12 toolchain and -dev packages (the build half of scripts/install-deps.sh)
FROM debian:12 AS builder
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config \
      librdkafka-dev libboost1.81-dev libsimdjson-dev libhiredis-dev prometheus-cpp-dev libssl-dev \
      libhowardhinnant-date-dev libmimalloc-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Only what the CMake tree needs (see .dockerignore): tests are off, so tests/ is not copied, and
# bench/ and fuzz/ are optional in CMakeLists.txt. ctest image_build_context
# (tests/deploy/check_image_context.py) replays this stage from exactly these COPY lines.
# Base images: pin FROM lines by digest for release builds (docs/deploy.md, "Base images").
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY libs/ libs/
COPY services/ services/
COPY tools/ tools/

ARG JOBS=2
ARG BUILD_TYPE=Release
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE="${BUILD_TYPE}" -DSWITCHYARD_BUILD_TESTS=OFF \
 && cmake --build /build -j"${JOBS}" --target switchyard-ingest switchyard-normalize switchyard-dispatch switchyard-admin \
 && mkdir -p /out \
 && install -m 0755 /build/services/ingest/switchyard-ingest \
                    /build/services/normalize/switchyard-normalize \
                    /build/services/dispatch/switchyard-dispatch \
                    /build/tools/switchyard-admin/switchyard-admin /out/

# ---- runtime: the shared libraries the binaries link (ldd), CA certificates for HTTPS to PSAs
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates \
      librdkafka++1 librdkafka1 \
      libhiredis0.14 \
      libsimdjson14 \
      libprometheus-cpp-core1.0 \
      libssl3 \
      libdate-tz3 tzdata \
      libmimalloc2.0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 switchyard \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin switchyard

COPY --from=builder /out/ /usr/local/bin/

# Fail the build if a shared library is missing, and check every binary starts: with no
# configuration each must stop with exit code 2 (invalid configuration; switchyard-admin: usage).
RUN ! ldd /usr/local/bin/switchyard-* | grep -F 'not found' \
 && for b in switchyard-ingest switchyard-normalize switchyard-dispatch switchyard-admin; do \
      rc=0; env -i "/usr/local/bin/$b" 2>/dev/null || rc=$?; \
      [ "$rc" -eq 2 ] || { echo "$b exited $rc, expected 2 (invalid configuration)"; exit 1; }; \
    done

USER 10001:10001
# The default listeners (docs/configuration.md#listeners): ingest's PSA webhooks (8080) and
# vendor API (8081); every service's operator port (9090: /metrics, /healthz, /readyz).
EXPOSE 8080 8081 9090
CMD ["/usr/local/bin/switchyard-ingest"]
