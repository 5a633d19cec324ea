# Tasks of the linnworks-go module. `make help` lists them.
SHELL := /bin/bash
GO ?= go

# The official Linnworks spec files, reference data kept beside the project (never in it).
UPSTREAM ?= ../shared/linnworks-public-api-specs/1.0
PUBLIC_SPECS := $(abspath ../shared/linnworks-public-api-specs)
ifneq ($(wildcard $(PUBLIC_SPECS)),)
export LINNWORKS_PUBLIC_SPECS ?= $(PUBLIC_SPECS)
endif

.PHONY: help run generate build check test bench spec-import spec-drift

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: ## the main job: call the API (the embedded mock when no LINNWORKS_* credentials are set)
	$(GO) run ./cmd/linnworks call Inventory_GetCategories

generate: ## bundle openapi/ and regenerate gen/
	$(GO) generate ./...

build: ## compile everything
	$(GO) build ./...

check: generate ## regenerate and fail if anything changed (untracked files included); gofmt
	@changed=$$(git status --porcelain --untracked-files=all); \
	if [ -n "$$changed" ]; then \
		echo "make check: the tree differs after go generate (commit generated code, or fix openapi/):"; \
		echo "$$changed"; git --no-pager diff --stat; exit 1; fi
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "make check: not gofmt-ed:"; echo "$$unformatted"; exit 1; fi
	@echo "make check: generated code is current"

test: ## vet and run every test with the race detector
	$(GO) vet ./...
	$(GO) test -race ./...

bench: ## run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

spec-import: ## import the upstream Swagger files (UPSTREAM=dir) into openapi/ and regenerate
	$(GO) run ./internal/cmd/specsync import -upstream $(UPSTREAM)
	$(GO) generate ./...

spec-drift: ## report differences between upstream (UPSTREAM=dir) and openapi/; non-zero on drift
	$(GO) run ./internal/cmd/specsync drift -upstream $(UPSTREAM)
