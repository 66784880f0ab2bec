# Deployment image for Autoencoder Lab: CPU-only PyTorch + Streamlit, non-root, port 8501.
# Build: docker build -t autoencoder-lab .   Run: docker run -p 8501:8501 autoencoder-lab

# Base image: the tag for people, the digest of its multi-architecture index for Docker (the
# tag is rebuilt upstream; the digest is not). Update both together, e.g. with Renovate.

# ---- build stage: a virtualenv with the pinned dependencies -------------------------------
FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
# Build stages never run as containers (hadolint DL3057 wants a decision per stage).
HEALTHCHECK NONE
WORKDIR /src
COPY requirements.lock .
# torch comes from PyTorch's CPU wheel index (no CUDA libraries); the rest from PyPI, every
# file checked against the hashes of the lock (tools/lock.sh; torch is not in it).
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir \
        --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0+cpu" \
 && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock

# ---- runtime stage -------------------------------------------------------------------------
FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/app \
    XDG_CACHE_HOME=/home/app/.cache \
    NUMBA_CACHE_DIR=/home/app/.cache/numba \
    MPLCONFIGDIR=/home/app/.cache/matplotlib \
    OMP_NUM_THREADS=1 \
    MKL_NUM_THREADS=1 \
    NUMBA_NUM_THREADS=1 \
    AE_TORCH_THREADS=1
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# App code stays root-owned and read-only; only the home/cache dirs belong to uid 10001.
COPY . .
RUN python -m compileall -q /app \
 && mkdir -p "$NUMBA_CACHE_DIR" "$MPLCONFIGDIR" \
 && chown -R 10001:10001 "$HOME" \
 && chmod -R u+rwX "$HOME"
USER 10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]
ENTRYPOINT ["streamlit", "run", "app.py"]
CMD ["--server.address=0.0.0.0", "--server.port=8501"]
