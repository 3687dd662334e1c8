"""When SAM publishes a new version of a function with ``AutoPublishAlias``
(``sam_resources.py::_construct_version``), and what its ``CodeUri`` packages.

The version's logical id ends in a hash; a new hash means a new version, and with a ``DeploymentPreference``
a traffic shift. By default the hash covers the resolved code location, ``Environment``, ``MemorySize`` and
``SnapStart`` (when ``ApplyOn`` is not ``None``). With ``AutoPublishAliasAllProperties: true`` it covers every
property of the generated ``AWS::Lambda::Function`` (and layers with ``PublishLambdaVersion``); with
``AutoPublishCodeSha256`` it is that string alone, whatever else is set.
"""
from __future__ import annotations

import posixpath

from sam_shift_lint.model.sam import Function
from sam_shift_lint.parsing.nodes import Node, Scalar

ALL_PROPERTIES = "AutoPublishAliasAllProperties"
CODE_SHA256 = "AutoPublishCodeSha256"

# Function properties that configure what a published version runs, are stored in the version, and are not
# in the default hash: changing only them leaves the alias on the old version.
UNHASHED_VERSION_PROPERTIES = (
    "Runtime",
    "Handler",
    "Timeout",
    "Layers",
    "Architectures",
    "VpcConfig",
    "EphemeralStorage",
    "FileSystemConfigs",
    "ImageConfig",
    "Tracing",
    "DeadLetterQueue",
    "KmsKeyArn",
    "LoggingConfig",
    "RuntimeManagementConfig",
)


def unhashed_properties(function: Function) -> list[str]:
    """The properties of ``function`` (after the Globals merge) a change of which publishes no version."""
    found = []
    for name in UNHASHED_VERSION_PROPERTIES:
        node = function.get(name)
        if node is not None and not (isinstance(node, Scalar) and node.value in (None, "")):
            found.append(name)
    return found


def packages_template_folder(code_uri: Node | None, template_path: str) -> bool:
    """``CodeUri`` names the folder the template is in or one above it (``.``, ``./``, ``..``,
    ``../<this folder>``), judged from the strings alone: nothing is opened. Such a function's package holds
    the template itself (and the build output), so every change of any file there gives it a new code hash."""
    if not isinstance(code_uri, Scalar) or not isinstance(code_uri.value, str):
        return False
    text = code_uri.value.strip().replace("\\", "/")
    if not text or "://" in text:
        return False
    relative = posixpath.normpath(text)
    if all(part == ".." for part in relative.split("/")) or relative == ".":
        return True
    if template_path in ("", "-"):
        return False
    folder = posixpath.dirname(posixpath.abspath(template_path.replace("\\", "/")))
    target = posixpath.normpath(posixpath.join(folder, text))  # join keeps an absolute text as it is
    return target == folder or folder.startswith(target.rstrip("/") + "/")
