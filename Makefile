# ckanext-ogpguatemala — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= $(CURDIR)/.venv
export OGP_VENV := $(VENV)

.PHONY: run test test-cloud stop status deps services bench i18n help

help:
	@echo "make run    install what is missing, start PostgreSQL, Redis and Solr, serve CKAN on http://127.0.0.1:5000"
	@echo "make test   the same set-up on the test database and Solr core, then the whole test suite"
	@echo "make test-cloud  the search, facet, commitment and observatory tests on a SolrCloud (2 nodes, 2 shards x 2 replicas) and the node-loss check"
	@echo "make bench  benchmark against plain CKAN + scheming"
	@echo "make stop   stop CKAN (gunicorn, jobs worker), Solr, Redis and PostgreSQL"
	@echo "make status what runs: the portal's web and jobs workers, the services"
	@echo "make i18n   extract the messages into the .pot, update the .po, compile the .mo"

deps:
	@services/deps.sh

services: deps
	@services/postgres.sh start
	@services/redis.sh start
	@services/solr.sh start

run: services
	@services/ckan.sh portal
	@services/ckan.sh serve

test: services
	@services/ckan.sh testdb
	@cd $(CURDIR) && $(VENV)/bin/pytest --ckan-ini=test.ini tests --ignore=tests/cloud --durations=15 \
		--junitxml=.run/test-report.xml $(PYTEST_ARGS)

# The tests of everything that searches, run against a SolrCloud collection
# (services/solr.sh with OGP_SOLR_MODE=cloud) instead of the standalone core,
# then the node-loss check in tests/cloud/. CI runs it after `make test`.
CLOUD_URL := http://127.0.0.1:8985/solr/ckan_test
CLOUD_TESTS := tests/cloud tests/test_facets.py tests/test_linking.py tests/test_types.py \
	tests/test_home.py tests/test_registry.py tests/test_observatory.py \
	tests/test_observatory_pages.py tests/test_observatory_figures.py tests/test_dcat.py \
	tests/test_oc4ids.py tests/test_no_leaks.py
test-cloud: deps
	@services/postgres.sh start
	@services/redis.sh start
	@OGP_SOLR_MODE=cloud services/solr.sh start
	@services/ckan.sh testdb
	@cd $(CURDIR) && OGP_SOLR_MODE=cloud CKAN_SOLR_URL=$(CLOUD_URL) OGP_PRESTART=0 \
		$(VENV)/bin/pytest --ckan-ini=test.ini $(CLOUD_TESTS) --durations=10 \
		--junitxml=.run/test-cloud-report.xml $(PYTEST_ARGS); \
		status=$$?; OGP_SOLR_MODE=cloud services/solr.sh stop; exit $$status

status:
	@services/web.sh status portal; services/postgres.sh status; services/redis.sh status; services/solr.sh status

stop:
	@services/web.sh stop portal
	@services/web.sh stop live-test
	@services/web.sh stop harvest-target
	@services/web.sh stop publish-target
	@services/solr.sh stop
	@OGP_SOLR_HOME=$(CURDIR)/.run/solr-outage services/solr.sh stop
	@OGP_SOLR_MODE=cloud services/solr.sh stop
	@OGP_SOLR_PORT=8989 OGP_SOLR_HOME=$(CURDIR)/.run/bench/solr services/solr.sh stop
	@OGP_SOLR_MODE=cloud OGP_SOLR_PORT=8987 OGP_SOLR_HOME=$(CURDIR)/.run/bench/solrcloud services/solr.sh stop
	@services/redis.sh stop
	@services/postgres.sh stop

bench: services
	@services/ckan.sh testdb
	@$(VENV)/bin/python bench/bench.py
	@OGP_SOLR_PORT=8989 OGP_SOLR_HOME=$(CURDIR)/.run/bench/solr services/solr.sh stop
	@$(VENV)/bin/python bench/tables.py

i18n: deps
	@services/i18n.sh update
