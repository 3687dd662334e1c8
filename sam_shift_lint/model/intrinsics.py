"""CloudFormation intrinsic functions as the SAM model and the checks read them from nodes: which function a
mapping is, what a ``Ref``/``Fn::GetAtt`` points at, the values an ``Fn::If`` may take, ``AWS::NoValue`` and the
literal text of ``Fn::Sub``/``Fn::Join``. (Turning policy values into IAM patterns is :mod:`sam_shift_lint.iam.intrinsics`,
which works on plain data so the IAM package stays independent of the parser.)"""
from __future__ import annotations

from sam_shift_lint.parsing.nodes import Mapping, Node, PathItem, Scalar, Sequence

URL_SUFFIX = "amazonaws.com"


def is_intrinsic(node: Node | None) -> bool:
    return isinstance(node, Mapping) and node.intrinsic() is not None


def if_branches(node: Node) -> list[tuple[Node, str | None, tuple[PathItem, ...]]]:
    """(value, condition, path below ``node``) for each value an ``Fn::If`` may take (recursively; the innermost
    condition names it), or ``[(node, None, ())]``."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic and intrinsic[0] == "Fn::If" and isinstance(intrinsic[1], Sequence) and len(intrinsic[1].items) == 3:
        condition = intrinsic[1].items[0]
        name = str(condition.value) if isinstance(condition, Scalar) else "?"
        out: list[tuple[Node, str | None, tuple[PathItem, ...]]] = []
        for index in (1, 2):
            for value, inner, extra in if_branches(intrinsic[1].items[index]):
                out.append((value, inner or name, ("Fn::If", index) + extra))
        return out
    return [(node, None, ())]


def is_no_value(node: Node) -> bool:
    """``Ref: AWS::NoValue``."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    return bool(intrinsic and intrinsic[0] == "Ref" and isinstance(intrinsic[1], Scalar) and intrinsic[1].value == "AWS::NoValue")


def ref_target(node: Node) -> str | None:
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic and intrinsic[0] == "Ref" and isinstance(intrinsic[1], Scalar) and isinstance(intrinsic[1].value, str):
        return intrinsic[1].value
    return None


def getatt_target(node: Node) -> str | None:
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if not intrinsic or intrinsic[0] != "Fn::GetAtt":
        return None
    argument = intrinsic[1]
    if isinstance(argument, Sequence) and argument.items and isinstance(argument.items[0], Scalar):
        return str(argument.items[0].value)
    if isinstance(argument, Scalar) and isinstance(argument.value, str):
        return argument.value.split(".", 1)[0]
    return None


def literal_text(node: Node | None, url_suffix: bool = False) -> str | None:
    """A string as CloudFormation would make it, when the template tells: a literal, an ``Fn::Sub`` text
    (variables left as ``${...}``, ``${AWS::URLSuffix}`` as amazonaws.com when asked) or an ``Fn::Join``."""
    if isinstance(node, Scalar):
        return node.value if isinstance(node.value, str) else None
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is None:
        return None
    name, argument = intrinsic
    if name == "Fn::Sub":
        text = argument.items[0] if isinstance(argument, Sequence) and argument.items else argument
        if isinstance(text, Scalar) and isinstance(text.value, str):
            return text.value.replace("${AWS::URLSuffix}", URL_SUFFIX) if url_suffix else text.value
        return None
    if name == "Ref" and url_suffix and isinstance(argument, Scalar) and argument.value == "AWS::URLSuffix":
        return URL_SUFFIX
    if name == "Fn::Join" and isinstance(argument, Sequence) and len(argument.items) == 2:
        delimiter, parts = argument.items
        if isinstance(delimiter, Scalar) and isinstance(parts, Sequence):
            texts = [literal_text(part, url_suffix) for part in parts.items]
            known = [text for text in texts if text is not None]
            if len(known) == len(texts):
                return str(delimiter.value or "").join(known)
    return None


def getatt_attribute(node: Node) -> str | None:
    """The attribute an ``Fn::GetAtt`` reads (``Arn`` of ``!GetAtt F.Arn``; ``Version.Version`` of
    ``!GetAtt F.Version.Version``), or None."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is None or intrinsic[0] != "Fn::GetAtt":
        return None
    argument = intrinsic[1]
    if isinstance(argument, Sequence) and len(argument.items) == 2 and isinstance(argument.items[1], Scalar):
        return str(argument.items[1].value)
    if isinstance(argument, Scalar) and isinstance(argument.value, str) and "." in argument.value:
        return argument.value.split(".", 1)[1]
    return None
