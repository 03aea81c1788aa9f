"""Write every .docx/.xlsx of the layout gallery: `python tests/data/layouts/_build/make_all.py`."""

import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

for module in sorted(p.stem for p in HERE.glob("make_*.py") if p.stem != "make_all"):
    importlib.import_module(module).main(HERE.parent)
