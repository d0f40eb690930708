from setuptools import Extension, setup

setup(name="fastgreet", version="1.0", ext_modules=[Extension("fastgreet", ["fastgreet.c"])])
