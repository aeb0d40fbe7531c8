# billbridge: every target CI and developers use.
.PHONY: help build run check test test-go test-n8n test-scripts lint fuzz openapi openapi-check openapi-lint e2e-n8n release clean
.DEFAULT_GOAL := help

GO ?= go

help: ## this list of targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_-]+:.*## / { printf "  make %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

build: ## the binary, in bin/
	$(GO) build -o bin/billbridge ./cmd/billbridge

run: build ## billbridge on its embedded defaults (SQLite in ./data, in-process cache)
	./bin/billbridge serve

check: ## the fast inner loop: lint, Go tests (-race) on PostgreSQL and Redis, OpenAPI drift and lint; no chromium, poppler or n8n (PKGS=./actions/ narrows the Go tests)
	bash scripts/check.sh $(PKGS)

test: ## the whole test suite; brings up PostgreSQL and Redis when none run
	bash scripts/test.sh

test-go: ## the Go tests only (needs TEST_DATABASE_URL and TEST_REDIS_URL, or use make test)
	$(GO) test -race -count=1 ./...

STATICCHECK = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: ## vet, staticcheck and formatting of the Go code
	$(GO) vet ./...
	cd client && $(GO) vet ./...
	$(STATICCHECK) ./...
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fuzz: ## a short run of every fuzz target
	$(GO) test -run='^$$' -fuzz=FuzzDecodeCursor -fuzztime=20s ./triggers/
	$(GO) test -run='^$$' -fuzz=FuzzBindJSON -fuzztime=20s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeInvoice -fuzztime=20s ./actions/
	$(GO) test -run='^$$' -fuzz=FuzzParseDecimal -fuzztime=20s .
	$(GO) test -run='^$$' -fuzz=FuzzImportDecimal -fuzztime=20s .
	$(GO) test -run='^$$' -fuzz=FuzzReadStatement -fuzztime=20s ./camt/
	$(GO) test -run='^$$' -fuzz=FuzzReadCSV -fuzztime=20s ./sheet/

openapi: ## regenerate openapi/ (OpenAPI 3.0 JSON and YAML) and the Go client client/client.gen.go from the annotations
	bash openapi/generate.sh

openapi-check: ## fail when the committed spec differs from what the code generates
	bash openapi/check.sh

openapi-lint: ## Redocly's recommended rules on the spec
	bash openapi/lint.sh

test-scripts: ## the curl, Python, Node and Go examples of docs/scripts.md against a live gateway
	bash scripts/test-scripts.sh

test-n8n: ## the n8n node's lint and unit tests (quick, no n8n)
	bash scripts/test-n8n.sh

e2e-n8n: ## the n8n node in a real n8n 2.x against a live billbridge (after make test-n8n)
	bash scripts/e2e-n8n.sh

release: ## static binaries for linux/amd64, linux/arm64, darwin, windows in dist/, with SHA256SUMS (VERSION=1.2.3)
	bash scripts/release.sh

clean: ## remove bin/ and dist/
	rm -rf bin dist
