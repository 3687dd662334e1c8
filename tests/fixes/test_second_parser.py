"""Fix mode's second parser: ruamel.yaml must still accept what it accepted before the fix."""
import pytest

from sam_shift_lint import fixer
from sam_shift_lint.parsing.document import Document


def _original(text: str) -> Document:
    """A document standing for the file as it was (only its text and path matter here)."""
    return Document("t.yaml", text, None, "yaml")  # type: ignore[arg-type]


def test_a_fix_that_breaks_yaml_1_2_is_refused() -> None:
    fixer._still_yaml_1_2(_original("a: 1\n"), "a: 1\n")
    with pytest.raises(fixer.FixError, match=r"YAML 1\.2"):
        fixer._still_yaml_1_2(_original("a: 1\n"), "a: 1\nb: [\n")


def test_an_original_ruamel_rejects_does_not_block_a_fix() -> None:
    fixer._still_yaml_1_2(_original("a: 1\na: 2\n"), "a: 1\na: 2\nb: 3\n")
