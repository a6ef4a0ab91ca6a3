"""The one compiled part: the search index's analysis loops (src/ipcity/search/_analysis.c). Optional: without a C
compiler the install goes on and ipcity.search.segment runs the same loops in Python (identical tokens, slower)."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("ipcity.search._analysis", ["src/ipcity/search/_analysis.c"], optional=True,
                             extra_compile_args=["-O2"])])
