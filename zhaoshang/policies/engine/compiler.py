"""A JSON Logic rule compiled once into Python closures: the same answer as ``json_logic.jsonLogic`` (the
reference semantics, ``panzi-json-logic``) for every node, without walking the tree on each evaluation.

Each closure returns exactly what the interpreter's ``apply`` returns for that node (not only its truth), so
``and`` / ``or`` keep their value-returning short-circuit and the operations keep their own coercions: the
compiled form calls the very same operation functions with the same arguments. Nodes the compiler does not
specialise (``if``, ``map``, ``filter``, … — none of which the clause editor allows) are handed to the
interpreter as they are. ``tests/policies/test_compiled.py`` checks the equality on generated rules × facts."""

import operator

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS, not_, to_bool

SCALARS = {str, int, float, bool, type(None)}
ORDERED = {
    BUILTINS[">"]: operator.gt,
    BUILTINS[">="]: operator.ge,
    BUILTINS["<"]: operator.lt,
    BUILTINS["<="]: operator.le,
}
INTERPRETED = {"if", "?:", "filter", "reduce", "map", "all", "some", "none"}


def _constant(value):
    return lambda data: value


def _is_plain(value) -> bool:
    """A literal the interpreter returns unchanged (not a list it rebuilds, not a one-key object it applies)."""
    return not isinstance(value, list) and not (isinstance(value, dict) and len(value) == 1)


def compile_logic(logic, operations):  # size: one case per node kind, mirroring json_logic.apply
    """A function ``data -> value`` equal to ``jsonLogic(logic, data, operations)``."""
    if isinstance(logic, list):
        if all(type(item) in SCALARS for item in logic):
            # the interpreter rebuilds such a list on every call; one private copy per node behaves the same
            # for the operations (none mutates its arguments, and two nodes never share the copy)
            return _constant(list(logic))
        items = [compile_logic(item, operations) for item in logic]
        return lambda data: [item(data) for item in items]
    if not isinstance(logic, dict) or len(logic) != 1:
        return _constant(logic)
    op = next(iter(logic))
    args = logic[op]
    if not isinstance(args, list):
        args = [args]
    if op == "and":  # the interpreter's own, whatever the operations
        return _and([compile_logic(arg, operations) for arg in args])
    if op == "or":
        return _or([compile_logic(arg, operations) for arg in args])
    if op in INTERPRETED or op not in operations:  # unknown operations raise inside the interpreter, as before
        return lambda data: jsonLogic(logic, data, operations)
    fn = operations[op]
    if op == "var" and len(args) == 1 and isinstance(args[0], str) and args[0] and "." not in args[0]:
        key = args[0]
        # op_var on a dict with a plain key is ``data.get(key)`` (None stays None, the default)
        return lambda data: data.get(key) if type(data) is dict else fn(data, key)
    if all(_is_plain(arg) for arg in args):
        return lambda data: fn(data, *args)
    if len(args) == 2:
        return _binary(fn, args, operations)
    compiled = [compile_logic(arg, operations) for arg in args]
    return lambda data: fn(data, *[arg(data) for arg in compiled])


def _binary(fn, args, operations):
    first, second = args
    compare = ORDERED.get(fn)
    if compare is not None and type(second) in (int, float):
        # a number against a number literal: the builtin's first branch (``a <op> to_number(b)``) directly
        a = compile_logic(first, operations)
        return lambda data: compare(v, second) if type(v := a(data)) in (int, float) else fn(data, v, second)
    if _is_plain(second):
        a = compile_logic(first, operations)
        return lambda data: fn(data, a(data), second)
    if _is_plain(first):
        b = compile_logic(second, operations)
        return lambda data: fn(data, first, b(data))
    a, b = compile_logic(first, operations), compile_logic(second, operations)
    return lambda data: fn(data, a(data), b(data))


def _and(items):
    def run(data):
        current = None
        for item in items:
            current = item(data)
            if not_(current):
                return current
        return current

    return run


def _or(items):
    def run(data):
        current = None
        for item in items:
            current = item(data)
            if to_bool(current):
                return current
        return current

    return run
