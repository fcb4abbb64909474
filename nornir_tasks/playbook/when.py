"""Per-host ``when:`` conditions over earlier steps' results.

A condition is a Python-like expression over the results of earlier steps *for one host*:
``compliance.state == "non_compliant"``, ``render.changed and not backup.failed``,
``deploy.status in ["changed", "ok"]``. Only names of earlier steps, attribute access, constants, lists,
comparisons and ``and``/``or``/``not`` are allowed: no calls, no subscripts, nothing else — so a playbook
cannot run code. A step that did not produce a result for a host gives ``None`` for every attribute.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from typing import Any

_CMP = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: b is not None and a in b, ast.NotIn: lambda a, b: b is None or a not in b,
    ast.Is: operator.is_, ast.IsNot: operator.is_not,
}


class WhenError(ValueError):
    """A condition that is not valid (its message says what to change)."""


def parse(text: str, known_steps: set[str]) -> ast.Expression:
    """Parse and check a condition; names must be earlier steps.

    Examples:
        >>> _ = parse('compliance.state == "non_compliant"', {"compliance"})
        >>> try:
        ...     parse("__import__('os').system('x')", {"compliance"})
        ... except WhenError as exc:
        ...     print(exc)
        only step results, constants, comparisons and and/or/not are allowed (found a call)
        >>> try:
        ...     parse("deploy.changed", {"compliance"})
        ... except WhenError as exc:
        ...     print(exc)
        'deploy' is not an earlier step (earlier steps: compliance)
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise WhenError(f"not a valid condition: {exc.msg}") from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in known_steps and node.id not in ("True", "False", "None"):
                earlier = ", ".join(sorted(known_steps)) or "none"
                raise WhenError(f"{node.id!r} is not an earlier step (earlier steps: {earlier})")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                raise WhenError(f"attribute {node.attr!r} is not allowed")
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _CMP for op in node.ops):
                raise WhenError("unsupported comparison")
        elif not isinstance(node, (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not,
                                   ast.Constant, ast.List, ast.Tuple, ast.Load, *(_CMP.keys()))):
            kind = {ast.Call: "a call", ast.Subscript: "a subscript", ast.Lambda: "a lambda"}.get(
                type(node), type(node).__name__)
            raise WhenError(f"only step results, constants, comparisons and and/or/not are allowed (found {kind})")
    return tree


def _eval(node: ast.AST, env: Mapping[str, Mapping[str, Any]]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, env) for e in node.elts]
    if isinstance(node, ast.Name):
        return {"True": True, "False": False, "None": None}.get(node.id, env.get(node.id, {}))
    if isinstance(node, ast.Attribute):
        base = _eval(node.value, env)
        return base.get(node.attr) if isinstance(base, Mapping) else None
    if isinstance(node, ast.UnaryOp):
        return not _eval(node.operand, env)
    if isinstance(node, ast.BoolOp):
        values = (_eval(v, env) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        for op, right_node in zip(node.ops, node.comparators):
            right = _eval(right_node, env)
            try:
                if not _CMP[type(op)](left, right):
                    return False
            except TypeError:
                return False
            left = right
        return True
    raise WhenError(f"unsupported expression {type(node).__name__}")  # pragma: no cover - parse() refuses it


def evaluate(tree: ast.Expression, env: Mapping[str, Mapping[str, Any]]) -> bool:
    """True when the condition holds for one host; ``env`` maps step id → that host's result fields.

    Examples:
        >>> t = parse('compliance.state == "non_compliant" and not render.failed', {"compliance", "render"})
        >>> evaluate(t, {"compliance": {"state": "non_compliant"}, "render": {"failed": False}})
        True
        >>> evaluate(t, {"compliance": {"state": "compliant"}, "render": {"failed": False}})
        False
        >>> evaluate(parse('deploy.status in ["changed"]', {"deploy"}), {})
        False
    """
    return bool(_eval(tree, env))
