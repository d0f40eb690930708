#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *greet(PyObject *self, PyObject *args) {
    return PyUnicode_FromString("hello from a C extension");
}

static PyMethodDef methods[] = {{"greet", greet, METH_NOARGS, "A greeting."}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastgreet", NULL, -1, methods};

PyMODINIT_FUNC PyInit_fastgreet(void) { return PyModule_Create(&module); }
