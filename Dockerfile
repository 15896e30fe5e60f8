# syntax=docker/dockerfile:1
# Two stages: the first builds wheels (newsingest and every dependency), the second
# installs them into a clean slim image that holds no compiler, no pip cache, no sources.
# No HEALTHCHECK here: docker-compose.yml gives each service the one that fits its role.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY service ./service
COPY workers ./workers
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels newsingest \
 && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin newsingest
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["newsingest"]
CMD ["serve"]
