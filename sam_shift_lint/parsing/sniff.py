"""What the head of a file says it is, before it is parsed or its size is held against it.

Two questions, answered from bytes only (no parse, no decoding but for UTF-16):

* :func:`is_candidate` — could the file be ours at all? A SAM template names ``AWS::Serverless`` (its
  ``Transform`` or a resource type); an IAM policy and a template with a deploy role both have a ``Statement``.
  These markers are *necessary*: a file without both is skipped before anything else is done with it. They are
  looked for in the head, the first :data:`HEAD` bytes, which is all of any file small enough to be checked,
  so no template that could be checked is ever skipped here.
* :func:`claim` — is the file *clearly* ours? Only then is failing to read or parse it (too large, binary, not
  UTF-8, a syntax error ...) reported, with exit code 2; a candidate that is not clearly ours and cannot be
  parsed is skipped silently. A file that parses is judged by its parsed content, whatever it claims, so the
  claim decides nothing about a template that can be checked. It is looked for with anchored patterns:

  - a SAM template: a resource ``Type: AWS::Serverless::...`` or a ``Transform`` whose value (a name, a flow or
    JSON list, or a block list) includes ``AWS::Serverless-2016-10-31``, the way templates write them (a JSON
    schema of templates has an object after ``"Type"``/``"Transform"``, not these values);
  - a template with a deploy role: a resource ``Type: AWS::IAM::Role`` and a deploy-role hint (``cloudformation``
    as in the trust policy's principal, ``CodeStarWorker`` or ``sam-shift-lint`` as in a role's Metadata);
  - an IAM policy: ``Statement`` as a top-level key (YAML: at the start of a line; JSON: a key of the root object,
    among the first :data:`POLICY_HEAD` bytes: IAM accepts no policy a tenth that size), in a file that is no
    template (no top-level ``Resources`` or ``AWSTemplateFormatVersion``).

  A JSON Schema (a root-level ``$schema`` key, which no template or policy may have) claims nothing, even when
  its examples hold a template. A file with Helm or Go template actions (``{{ .Values.x }}``, ``{{- include ...
  }}``, ``{{ toYaml ... }}``) is the input of a template engine, not a template CloudFormation or IAM could read,
  and claims nothing. Jinja tags (``{{ cookiecutter.x }}``, ``{%- if ... %}``) take away only the weaker claims
  (a deploy role, a policy): a file that declares the SAM transform or a SAM resource type is a SAM template
  even when written for cookiecutter (the SAM CLI's ``sam init`` templates are reported as they always were;
  ``exclude`` them to skip them). (Docker log tags such as ``{{.Name}}``, CloudFormation's ``{{resolve:...}}``
  and Step Functions' JSONata ``{% $states.input %}`` are not template-engine tags.)
"""
from __future__ import annotations

import functools
import re

from sam_shift_lint.parsing.errors import MAX_BYTES

HEAD = MAX_BYTES
POLICY_HEAD = 64 * 1024

SAM_TEMPLATE = "a SAM template"
DEPLOY_ROLE_TEMPLATE = "a template with a deploy role"
POLICY = "an IAM policy"

SERVERLESS_MARKER = b"AWS::Serverless"
STATEMENT_MARKER = b"Statement"
# The marker as UTF-16 text too, so a SAM template saved as UTF-16 is reported (unsupported) rather than skipped.
# The marker in UTF-16: an ASCII text's bytes, each with a NUL after it (LE) or before it (BE). Written out rather
# than encoded, which would import both codecs on every run.
_WIDE_MARKERS = (
    (bytes(byte for char in SERVERLESS_MARKER for byte in (char, 0)), "utf-16-le"),
    (bytes(byte for char in SERVERLESS_MARKER for byte in (0, char)), "utf-16-be"),
)

_KEY_START = rb"""(?:^|[\s{,])["']?"""
_KEY_END = rb"""["']?[ \t]*:[ \t]*"""
_TRANSFORM_NAME = rb"""["']?AWS::[A-Za-z]+(?:-\d{4}-\d{2}-\d{2})?["']?"""
_SAM_TRANSFORM = rb"AWS::Serverless-2016-10-31"
_COMMENT_EOL = rb"[ \t]*(?:#[^\r\n]*)?\r?\n"
# The patterns (compiled on first use: only a file that cannot be parsed is asked what it claims to be).
_SOURCES: dict[str, tuple[bytes, int]] = {
    "sam_type": (_KEY_START + rb"Type" + _KEY_END + rb"""["']?AWS::Serverless::[A-Za-z]""", re.M),
    # Transform: AWS::Serverless-2016-10-31 / [AWS::LanguageExtensions, AWS::Serverless-...] / "Transform": [...]
    "sam_transform": (
        _KEY_START + rb"Transform" + _KEY_END + rb"(?:\[\s*)?(?:" + _TRANSFORM_NAME + rb"\s*,\s*)*" + rb"""["']?""" + _SAM_TRANSFORM,
        re.M,
    ),
    # Transform:\n  - AWS::LanguageExtensions\n  - AWS::Serverless-2016-10-31
    "sam_transform_block": (
        _KEY_START + rb"""Transform["']?[ \t]*:""" + _COMMENT_EOL
        + rb"(?:" + _COMMENT_EOL + rb"|[ \t]*-[ \t]*" + _TRANSFORM_NAME + _COMMENT_EOL + rb")*"
        + rb"""[ \t]*-[ \t]*["']?""" + _SAM_TRANSFORM,
        re.M,
    ),
    "role_type": (_KEY_START + rb"Type" + _KEY_END + rb"""["']?AWS::IAM::Role\b""", re.M),
    "role_hint": (rb"cloudformation|CodeStarWorker|sam-shift-lint", 0),
    "yaml_statement": (rb"""^["']?Statement["']?[ \t]*:""", re.M),
    "yaml_schema": (rb"""^["']?\$schema["']?[ \t]*:""", re.M),
    "yaml_template": (rb"""^["']?(?:Resources|AWSTemplateFormatVersion)["']?[ \t]*:""", re.M),
    # Helm / Go templates
    "helm_go": (
        rb"\{\{-?\s*(?:\.(?:Values|Release|Chart|Capabilities|Files|Template|Env)\b|(?:include|template|define|toYaml|tpl|required)\s)"
        rb"|\{\{-\s|\s-\}\}",
        0,
    ),
    # Jinja as cookiecutter (the SAM CLI's own `sam init` templates) writes it
    "jinja": (
        rb"\{\{-?\s*cookiecutter\."
        rb"|\{%-?\s*(?:if|elif|else|endif|for|endfor|set|raw|endraw|macro|block|extends|include|import)\b",
        0,
    ),
    "json_token": (rb'"(?:[^"\\]|\\.)*"|[{}\[\]]', 0),
    "colon": (rb"\s*:", 0),
}


@functools.cache
def _pattern(name: str) -> re.Pattern[bytes]:
    source, flags = _SOURCES[name]
    return re.compile(source, flags)


_NOT_POLICY_KEYS = {b"Resources", b"AWSTemplateFormatVersion"}


def mentions_serverless(raw: bytes) -> bool:
    """A SAM template names ``AWS::Serverless`` (its Transform or a resource type), in UTF-8 or UTF-16."""
    return SERVERLESS_MARKER in raw or any(marker in raw for marker, _ in _WIDE_MARKERS)


def is_candidate(head: bytes) -> bool:
    """Could this file be a SAM template, an IAM policy or a template with a deploy role? (See the module.)"""
    return mentions_serverless(head) or STATEMENT_MARKER in head


def claim(head: bytes) -> str | None:
    """What the file clearly is (:data:`SAM_TEMPLATE`, :data:`DEPLOY_ROLE_TEMPLATE`, :data:`POLICY`), or None
    when it is not clearly ours (see the module for exactly what is looked for)."""
    text = _as_ascii_compatible(head[:HEAD])
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    if _pattern("helm_go").search(text) or _is_json_schema(text):
        return None
    if _pattern("sam_type").search(text) or _pattern("sam_transform").search(text) or _pattern("sam_transform_block").search(text):
        return SAM_TEMPLATE
    if _pattern("jinja").search(text):
        return None
    if _pattern("role_type").search(text) and _pattern("role_hint").search(text):
        return DEPLOY_ROLE_TEMPLATE
    if _top_level_statement(text):
        return POLICY
    return None


def _as_ascii_compatible(head: bytes) -> bytes:
    """UTF-16 text (a BOM, or the UTF-16 form of the SAM marker) re-encoded as UTF-8, so the same patterns
    apply; anything else as it is."""
    codec = None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = next((name for marker, name in _WIDE_MARKERS if marker in head and SERVERLESS_MARKER not in head), None)
    if codec is None:
        return head
    return head[: len(head) - len(head) % 2].decode(codec, errors="replace").encode("utf-8", errors="replace")


def _is_json_schema(text: bytes) -> bool:
    """A root-level ``$schema`` key: a JSON Schema (CloudFormation rejects the key in a template, IAM in a policy)."""
    if text.lstrip()[:1] != b"{":
        return bool(_pattern("yaml_schema").search(text))
    return b"$schema" in _json_top_level_keys(text[:POLICY_HEAD])


def _top_level_statement(text: bytes) -> bool:
    """Is ``Statement`` a key of the root mapping, in a file that is no template and no JSON schema?"""
    if text.lstrip()[:1] != b"{":
        return bool(_pattern("yaml_statement").search(text)) and not _pattern("yaml_template").search(text)
    keys = _json_top_level_keys(text[:POLICY_HEAD])
    return b"Statement" in keys and not keys & _NOT_POLICY_KEYS


def _json_top_level_keys(text: bytes) -> set[bytes]:
    """The keys of the root object of (the start of) a JSON text: strings at depth one followed by a colon."""
    keys: set[bytes] = set()
    depth = 0
    for match in _pattern("json_token").finditer(text):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
        elif token in (b"}", b"]"):
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and _pattern("colon").match(text, match.end()):
            keys.add(token[1:-1])
    return keys
