"""Every public callable of the public modules has a docstring for the API reference.

Sphinx autodoc builds the reference from these docstrings, so each one names
its parameters (``:param name:``), its return value (``:returns:``) and the
exceptions its own code raises (``:raises Name:``), and is valid reST.  Each
also has type hints: the package ships ``py.typed``.
"""
import importlib
import inspect
import re
import textwrap

import docutils.core
import docutils.utils
import pytest
from docutils.parsers.rst import roles

MODULES = ['atomx', 'atomx.version', 'atomx.session', 'atomx.transport', 'atomx.exceptions',
           'atomx.names', 'atomx.models', 'atomx.model_docs', 'atomx.attributes',
           'atomx.reports', 'atomx.report_frame', 'atomx.paging',
           'atomx.cli', 'atomx.cli_commands', 'atomx.cli_output', 'atomx.testing',
           'atomx.sandbox', 'atomx.protocol', 'atomx.checks']

#: The Sphinx roles the docstrings use; docutils alone does not know them.
SPHINX_ROLES = ['class', 'meth', 'func', 'mod', 'attr', 'data', 'exc', 'obj']


def public_callables():
    """``(name, object, defining class or None)`` of every public callable, once each."""
    seen = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        exported = getattr(module, '__all__', None)
        for name, obj in vars(module).items():
            if name.startswith('_') or not (
                    name in exported if exported is not None
                    else getattr(obj, '__module__', None) == module_name):
                continue
            if not getattr(obj, '__module__', '').startswith('atomx'):
                continue
            if id(obj) in seen or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            seen.add(id(obj))
            yield f'{module_name}.{name}', obj, None
            if inspect.isclass(obj):
                for member_name, member in vars(obj).items():
                    if member_name.startswith('_'):
                        continue
                    if isinstance(member, (classmethod, staticmethod)):
                        member = member.__func__
                    if inspect.isfunction(member) or isinstance(member, property):
                        yield f'{module_name}.{name}.{member_name}', member, obj


CALLABLES = list(public_callables())
IDS = [name for name, _, _ in CALLABLES]


def parameters(obj):
    """The parameter names a docstring has to describe (``self`` and ``cls`` not)."""
    if isinstance(obj, property):
        return []
    target = obj
    if inspect.isclass(obj):
        if '__init__' not in vars(obj) and '__new__' not in vars(obj) and \
                not hasattr(obj, '_fields'):
            return []  # inherited: the documented base class describes them
        target = obj
    return [name for name in inspect.signature(target).parameters if name not in ('self', 'cls')]


def own_raises(obj):
    """The exception names that ``obj``'s own source raises (not its helpers')."""
    if isinstance(obj, property):
        obj = obj.fget
    if inspect.isclass(obj):
        obj = vars(obj).get('__init__')
        if obj is None:
            return set()
    source = textwrap.dedent(inspect.getsource(obj))
    return set(re.findall(r'^\s*raise ([A-Z]\w+)\(', source, re.MULTILINE)) - {'AssertionError'}


def test_the_core_modules_have_public_callables():
    assert len(CALLABLES) > 100  # 42 model classes, the session and its methods, ...
    assert 'atomx.Atomx.get' in IDS and 'atomx.models.Zipcode' in IDS
    assert 'atomx.sandbox.Sandbox.start' in IDS and 'atomx.paging.iterate' in IDS


@pytest.mark.parametrize('name, obj, owner', CALLABLES, ids=IDS)
def test_the_docstring_names_every_parameter_and_the_return_value(name, obj, owner):
    doc = inspect.getdoc(obj)
    assert doc and len(doc) > 20, f'{name} has no docstring'
    bases = [base for base in getattr(obj, '__mro__', ())[1:]
             if base.__module__.startswith('atomx')]
    inherits = any('__init__' in vars(base) for base in bases)
    if inspect.isclass(obj) and not parameters(obj) and inherits:
        bases = [base.__name__ for base in bases]
        assert any(f':class:`{base}`' in doc for base in bases), \
            f'{name} inherits its arguments: its docstring must point to a base class'
    for parameter in parameters(obj):
        assert f':param {parameter}:' in doc, f'{name}: parameter {parameter!r} not described'
    if inspect.isfunction(obj):
        returned = inspect.signature(obj).return_annotation
        if returned not in (None, 'None', inspect.Signature.empty):
            assert ':returns:' in doc, f'{name}: the return value is not described'


@pytest.mark.parametrize('name, obj, owner', CALLABLES, ids=IDS)
def test_the_docstring_names_the_exceptions_the_code_raises(name, obj, owner):
    doc = inspect.getdoc(obj) or ''
    for raised in own_raises(obj):
        assert re.search(rf':raises (~?[\w.]+\.)?{raised}:', doc), \
            f'{name} raises {raised} but does not say so'


@pytest.fixture(scope='module')
def rest_parser():
    for role in SPHINX_ROLES:
        roles.register_generic_role(role, docutils.nodes.literal)

    def parse(text):
        problems = []
        settings = {'report_level': docutils.utils.Reporter.WARNING_LEVEL,
                    'halt_level': docutils.utils.Reporter.SEVERE_LEVEL + 1,
                    'warning_stream': False}
        doctree = docutils.core.publish_doctree(text, settings_overrides=settings)
        for message in doctree.findall(docutils.nodes.system_message):
            if message['level'] >= docutils.utils.Reporter.WARNING_LEVEL:
                problems.append(message.astext())
        return problems
    return parse


@pytest.mark.parametrize('name, obj, owner', CALLABLES, ids=IDS)
def test_the_docstring_is_valid_rest(rest_parser, name, obj, owner):
    assert rest_parser(inspect.getdoc(obj) or '') == []


@pytest.mark.parametrize('module_name', MODULES)
def test_every_module_docstring_is_valid_rest(rest_parser, module_name):
    doc = importlib.import_module(module_name).__doc__
    assert doc
    assert rest_parser(inspect.cleandoc(doc)) == []


@pytest.mark.parametrize('name, obj, owner', CALLABLES, ids=IDS)
def test_the_public_api_has_type_hints(name, obj, owner):
    function = obj.fget if isinstance(obj, property) else obj
    if inspect.isclass(obj):
        function = vars(obj).get('__init__')
        if function is None:
            return  # inherited: checked where it is defined
    signature = inspect.signature(function)
    unannotated = [parameter for parameter, value in signature.parameters.items()
                   if parameter not in ('self', 'cls')
                   and value.annotation is inspect.Parameter.empty]
    assert unannotated == [], f'{name}: parameters without a type hint'
    assert signature.return_annotation is not inspect.Signature.empty, \
        f'{name}: no return type hint'
