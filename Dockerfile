# motcua image: nginx + motcua-fcgi; MariaDB is external (MOTCUA_DB_* variables).
# The build stage uses the same Makefile as developers do.
FROM debian:12-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc make pkg-config libc6-dev \
      libfcgi-dev libmariadb-dev libjson-c-dev libssl-dev libcmocka-dev \
      libargon2-dev libhpdf-dev libqrencode-dev fonts-dejavu-core poppler-utils zbar-tools \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY scripts ./scripts
COPY fcgi ./fcgi
COPY sql ./sql
COPY tests/unit ./tests/unit
RUN make build unit

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light libfcgi0ldbl libmariadb3 \
      libjson-c5 libssl3 libargon2-1 libhpdf-2.3.0 libqrencode4 fonts-dejavu-core \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/motcua /var/lib/motcua/files /srv/motcua \
 && chown www-data:www-data /run/motcua /var/lib/motcua/files
COPY --from=build /src/build/motcua-fcgi /src/build/motcua-admin /src/build/motcua-worker /usr/local/bin/
COPY sql /srv/motcua/sql
COPY www /srv/motcua/www
COPY nginx/motcua.conf /etc/nginx/conf.d/motcua.conf
COPY nginx/security-headers.conf /etc/nginx/motcua-security-headers.conf
COPY scripts/docker-entrypoint.sh /usr/local/bin/motcua-entrypoint
RUN rm -f /etc/nginx/sites-enabled/default
ENV MOTCUA_FCGI_SOCKET=/run/motcua/fcgi.sock \
    MOTCUA_FILES_DIR=/var/lib/motcua/files \
    MOTCUA_THREADS=8
EXPOSE 80 443
ENTRYPOINT ["/usr/local/bin/motcua-entrypoint"]
