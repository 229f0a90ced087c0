# cropseg developer commands. `make demo` and `make test` set everything up first.
SHELL := /bin/bash
PYTHON := .venv/bin/python
export QT_QPA_PLATFORM ?= offscreen
export PYTHONDONTWRITEBYTECODE := 1
# xvfb-run picks a free display; in a chroot, which shares the host's X sockets, pin one (-n 150).
XVFB_RUN_ARGS ?= -a

.PHONY: setup test test-core test-qgis test-cli test-matrix demo screenshots bench accuracy feature-value \
	translations package deploy clean

setup:
	@scripts/setup.sh

test: setup
	$(MAKE) --no-print-directory test-core test-qgis test-cli

test-core:
	$(PYTHON) -m pytest -p no:qgis tests/core

# Dialogs are opened and photographed on a virtual X display.
test-qgis:
	QT_QPA_PLATFORM=xcb xvfb-run $(XVFB_RUN_ARGS) -s "-screen 0 1280x1024x24" $(PYTHON) -m pytest tests/qgis

test-cli:
	$(PYTHON) -m pytest -p no:qgis tests/cli

# The tests and the demo in Debian chroots of newer QGIS (needs root): trixie (3.40 LTR) by
# default, SUITES="trixie sid" adds 3.44.
SUITES ?= trixie
test-matrix:
	SUITES="$(SUITES)" scripts/test_matrix.sh

# Dialog screenshots and the demo's quicklook for the README's user guide.
screenshots: demo
	mkdir -p docs/images
	CROPSEG_SCREENSHOTS=docs/images QT_QPA_PLATFORM=xcb xvfb-run $(XVFB_RUN_ARGS) -s "-screen 0 1280x1024x24" \
		$(PYTHON) -m pytest -q tests/qgis/test_plugin.py -k dialog
	$(PYTHON) -c "from PIL import Image; Image.open('demo_output/quicklook.png').convert('RGB')\
		.save('docs/images/demo_quicklook.jpg', quality=80)"

demo: setup
	$(PYTHON) scripts/demo.py demo_output

bench:
	@scripts/setup.sh --bench
	$(PYTHON) bench/run.py

# Accuracy on held-out fields of the real data in ../shared/data/real, beside Orfeo ToolBox.
accuracy:
	@scripts/setup.sh --bench
	$(PYTHON) bench/accuracy.py

feature-value: setup
	$(PYTHON) bench/feature_value.py

# The Qt Linguist template of every text the interface shows (resources/i18n/cropseg.ts).
translations: setup
	$(PYTHON) scripts/translations.py

package:
	python3 scripts/package.py cropseg.zip

deploy:
	@profile="$${QGIS_PROFILE_DIR:-$$HOME/.local/share/QGIS/QGIS3/profiles/default}"; \
	mkdir -p "$$profile/python/plugins"; \
	ln -sfn "$(CURDIR)" "$$profile/python/plugins/cropseg"; \
	echo "deploy: linked $(CURDIR) into $$profile/python/plugins/cropseg"

clean:
	rm -rf demo_output cropseg.zip .pytest_cache .qgis-settings
