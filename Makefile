# motcua: build, run, stop, test, bench.
#   make run    install what is missing, build, start MariaDB + motcua-fcgi + nginx under ./var
#   make stop   stop exactly what `make run` started
#   make test   the same on a throw-away stack (./var-test, port 8091), then every test
#   make bench  benchmarks (not part of make test)

CC      ?= cc
SAN     ?=
OPT     ?= -O2
PKGS     = fcgi libmariadb json-c libcrypto libssl libargon2 zlib
SCHEMA_VERSION := $(shell ls sql/[0-9][0-9][0-9]_*.sql 2>/dev/null | sed 's|sql/0*\([0-9]*\)_.*|\1|' | sort -n | tail -1)

CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wformat=2 \
           -fstack-protector-strong -D_FORTIFY_SOURCE=2 -Ifcgi \
           -DMOTCUA_SCHEMA_VERSION=$(SCHEMA_VERSION) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SAN)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lqrencode -lpthread -lm $(SAN)

B        = build
DOMAIN   = $(patsubst fcgi/%.c,$(B)/%.o,$(wildcard fcgi/domain/*.c))
CORE     = $(patsubst fcgi/%.c,$(B)/%.o,$(wildcard fcgi/core/*.c))
# what the command-line tools need of core: no HTTP
CORE_CLI = $(B)/core/db.o $(B)/core/config.o $(B)/core/log.o $(B)/core/crypto.o
STORE    = $(patsubst fcgi/%.c,$(B)/%.o,$(wildcard fcgi/store/*.c))
API      = $(patsubst fcgi/%.c,$(B)/%.o,$(wildcard fcgi/api/*.c))
FORMS    = $(patsubst fcgi/%.c,$(B)/%.o,$(wildcard fcgi/forms/*.c))
SIG      = $(patsubst fcgi/%.c,$(B)/%.o,$(wildcard fcgi/sig/*.c))
TOOLS    = $(patsubst fcgi/%.c,$(B)/%.o,$(filter-out fcgi/tools/admin.c fcgi/tools/sign.c fcgi/tools/httpc.c,$(wildcard fcgi/tools/*.c)))
# core pieces that unit tests may link: no FastCGI, no database
CORE_PURE = $(B)/core/multipart.o $(B)/core/filestore.o
UNIT     = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all build deps run stop test unit bench clean distclean
# objects built only for tests are kept, not deleted as intermediates
.SECONDARY:
all: build
build: deps-build $(B)/motcua-fcgi $(B)/motcua-admin $(B)/motcua-worker $(B)/motcua-sign www/vendor/chart.umd.js

# The dashboard's chart library (Chart.js, pinned by package-lock.json). The copy in
# www/vendor/ is committed so that `make run` needs no npm; after `npm ci` it is refreshed
# from node_modules, and tests/api/dashboard.test.mjs checks the two are the same.
www/vendor/chart.umd.js: $(wildcard node_modules/chart.js/dist/chart.umd.js)
	@mkdir -p $(dir $@)
	@if [ -f node_modules/chart.js/dist/chart.umd.js ]; then cp node_modules/chart.js/dist/chart.umd.js $@; fi

$(B)/%.o: fcgi/%.c $(wildcard fcgi/*/*.h) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# MOTCUA_SCHEMA_VERSION comes from the migrations: a new one must rebuild its readers
$(B)/main.o $(B)/api/system.o: $(wildcard sql/[0-9][0-9][0-9]_*.sql)

$(B)/motcua-fcgi: $(B)/main.o $(API) $(FORMS) $(SIG) $(STORE) $(CORE) $(DOMAIN)
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LDLIBS)

$(B)/motcua-admin: $(B)/tools/admin.o $(TOOLS) $(STORE) $(CORE_CLI) $(DOMAIN)
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LDLIBS)

# the command-line signer: PKCS#12 (or a PKCS#11 key when OpenSSL has a provider for it)
$(B)/motcua-sign: $(B)/tools/sign.o $(B)/tools/httpc.o $(B)/sig/pdfsign.o $(B)/sig/pdf.o
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LDLIBS)

$(B)/motcua-worker: $(B)/worker.o $(STORE) $(CORE_CLI) $(B)/core/smtp.o $(B)/core/sms.o $(DOMAIN) \
                   $(B)/core/crlrefresh.o $(B)/core/httpget.o $(B)/sig/sigverify.o $(B)/sig/pdfsig.o $(B)/sig/pdf.o
	@echo "  LINK    $@"
	@$(CC) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(DOMAIN) $(FORMS) $(SIG) $(CORE_PURE) $(wildcard fcgi/domain/*.h fcgi/forms/*.h fcgi/core/*.h fcgi/sig/*.h tests/sig/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS) -Wno-shadow -o $@ $< $(DOMAIN) $(FORMS) $(SIG) $(CORE_PURE) $(shell pkg-config --libs cmocka) $(LDLIBS)

# bench/sig.sh: signature verification in-process and against the FastCGI socket
$(B)/sigbench: bench/sigbench.c $(DOMAIN) $(FORMS) $(SIG) $(CORE_PURE) $(wildcard fcgi/sig/*.h)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -o $@ bench/sigbench.c $(DOMAIN) $(FORMS) $(SIG) $(CORE_PURE) $(LDLIBS)

# Packages: installed only when missing, so `make run` stays fast and offline once set up.
DEB_BUILD = gcc make pkg-config libfcgi-dev libmariadb-dev libjson-c-dev libssl-dev libcmocka-dev libargon2-dev libhpdf-dev libqrencode-dev zlib1g-dev
DEB_RUN   = mariadb-server mariadb-client nginx-light curl openssl fonts-dejavu-core
DEB_TEST  = chromium fonts-liberation poppler-utils zbar-tools libnss3-tools python3-aiosmtpd
deps-build:
	@scripts/deps.sh $(DEB_BUILD)
deps: deps-build
	@scripts/deps.sh $(DEB_RUN)
deps-test: deps
	@scripts/deps.sh $(DEB_TEST)
	@command -v npm >/dev/null || scripts/deps.sh nodejs npm
	@scripts/npm-deps.sh

run: deps build
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

unit: $(UNIT)
	@for t in $(UNIT); do $$t || exit 1; done

test: deps-test build $(UNIT)
	@bash tests/run.sh

bench: deps build $(B)/sigbench
	@bash bench/run.sh

clean:
	rm -rf $(B)
distclean: clean
	rm -rf var var-test var-bench node_modules
